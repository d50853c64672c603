import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Row, Space, Spin, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { ApartmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useDepartmentTree, type Department, type DepartmentTree } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DepartmentSelect } from '../../../components/DepartmentSelect';
import { PageContainer } from '../../../components/PageContainer';
import { StatusTag } from '../../../components/StatusTag';
import { formatDateTime } from '../../../lib/format';

interface DeptForm {
  name: string;
  code: string;
  parentId?: number | null;
}

function toTreeData(nodes: DepartmentTree[], keyword: string): TreeDataNode[] {
  const out: TreeDataNode[] = [];
  for (const n of nodes) {
    const children = toTreeData(n.children, keyword);
    const matches = !keyword || n.name.includes(keyword) || n.code.toLowerCase().includes(keyword.toLowerCase());
    if (!matches && children.length === 0) continue;
    out.push({
      key: n.id,
      title: (
        <span className={`dept-node ${n.status === 'disabled' ? 'dept-node-disabled' : ''}`}>
          <span className="dept-node-name">{n.name}</span>
          <span className="dept-node-code">{n.code}</span>
        </span>
      ),
      children,
    });
  }
  return out;
}

function findNode(nodes: DepartmentTree[], id: number): DepartmentTree | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const hit = findNode(n.children, id);
    if (hit) return hit;
  }
  return undefined;
}

const allKeys = (nodes: DepartmentTree[]): number[] => nodes.flatMap((n) => [n.id, ...allKeys(n.children)]);

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.departmentWrite);
  const tree = useDepartmentTree();
  const [selected, setSelected] = useState<number | null>(null);
  const [keyword, setKeyword] = useState('');
  const [creatingUnder, setCreatingUnder] = useState<DepartmentTree | 'root' | null>(null);
  const [expanded, setExpanded] = useState<React.Key[] | null>(null);

  const treeData = useMemo(() => toTreeData(tree.data ?? [], keyword.trim()), [tree.data, keyword]);
  const selectedNode = selected !== null ? findNode(tree.data ?? [], selected) : undefined;

  return (
    <PageContainer
      title={t('departments.title')}
      subtitle={t('departments.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreatingUnder('root')} data-testid="dept-create-root">
            {t('departments.createRoot')}
          </Button>
        )
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xl={8}>
          <Card
            className="section-card dept-tree-card"
            title={<Space><ApartmentOutlined />{t('departments.title')}</Space>}
            size="small"
          >
            <Input.Search
              allowClear
              placeholder={t('departments.searchPlaceholder')}
              onChange={(e) => setKeyword(e.target.value)}
              style={{ marginBottom: 12 }}
            />
            {tree.isLoading ? (
              <Spin />
            ) : treeData.length === 0 ? (
              <Empty description={t('departments.empty')} />
            ) : (
              <div className="tree-scroll">
                <Tree
                  showLine
                  blockNode
                  treeData={treeData}
                  expandedKeys={keyword ? allKeys(tree.data ?? []) : expanded ?? allKeys(tree.data ?? [])}
                  onExpand={(keys) => setExpanded(keys)}
                  selectedKeys={selected !== null ? [selected] : []}
                  onSelect={(keys) => keys.length && setSelected(Number(keys[0]))}
                />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16}>
          {selectedNode ? (
            <DepartmentDetail
              key={selectedNode.id}
              id={selectedNode.id}
              canWrite={canWrite}
              onCreateChild={() => setCreatingUnder(selectedNode)}
            />
          ) : (
            <Card className="section-card">
              <Empty description={t('departments.selectHint')} />
            </Card>
          )}
        </Col>
      </Row>
      {creatingUnder && (
        <CreateDepartment
          parent={creatingUnder === 'root' ? null : creatingUnder}
          onClose={() => setCreatingUnder(null)}
          onCreated={(d) => setSelected(d.id)}
        />
      )}
    </PageContainer>
  );
}

function DepartmentDetail({ id, canWrite, onCreateChild }: { id: number; canWrite: boolean; onCreateChild: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<DeptForm>();
  const detail = useQuery({
    queryKey: ['departments', 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/departments/{id}', { params: { path: { id } } })),
  });
  const d = detail.data;

  useEffect(() => {
    if (d) form.setFieldsValue({ name: d.name, code: d.code, parentId: d.parentId });
  }, [d, form]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['departments'] });
  };

  const save = useMutation({
    mutationFn: (v: DeptForm) =>
      unwrap(
        api.PUT('/api/v1/departments/{id}', {
          params: { path: { id } },
          body: { name: v.name, code: v.code, parentId: v.parentId ?? null, version: d!.version },
        }),
      ),
    onSuccess: () => {
      message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => onError(e, { form, onReload: refresh }),
  });

  const toggle = useMutation({
    mutationFn: (action: 'disable' | 'enable') =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/departments/{id}/disable' : '/api/v1/departments/{id}/enable', {
          params: { path: { id } },
          body: { version: d!.version },
        }),
      ),
    onSuccess: (_, action) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      refresh();
    },
    onError: (e) => onError(e, { onReload: refresh }),
  });

  if (!d) {
    return (
      <Card className="section-card">
        <Spin />
      </Card>
    );
  }

  return (
    <Card
      className="section-card"
      title={
        <Space>
          {d.name}
          <StatusTag status={d.status} />
        </Space>
      }
      extra={
        canWrite && (
          <Button size="small" icon={<PlusOutlined />} onClick={onCreateChild} data-testid="dept-create-child">
            {t('departments.createChild')}
          </Button>
        )
      }
    >
      <Form<DeptForm> name="departmentDetail" form={form} layout="vertical" disabled={!canWrite} onFinish={(v) => save.mutate(v)} className="detail-form">
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="code" label={t('departments.code')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="parentId" label={t('departments.parent')}>
              <DepartmentSelect exclude={d.id} placeholder={t('departments.noParent')} />
            </Form.Item>
          </Col>
        </Row>
        {canWrite && (
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
            {d.status === 'active' ? (
              <Button danger loading={toggle.isPending} onClick={() => toggle.mutate('disable')}>
                {t('common.disable')}
              </Button>
            ) : (
              <Button loading={toggle.isPending} onClick={() => toggle.mutate('enable')}>
                {t('common.enable')}
              </Button>
            )}
          </Space>
        )}
      </Form>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} className="detail-meta">
        <Descriptions.Item label="ID">{d.id}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <StatusTag status={d.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(d.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('common.updatedAt')}>{formatDateTime(d.updatedAt)}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function CreateDepartment({
  parent,
  onClose,
  onCreated,
}: {
  parent: DepartmentTree | null;
  onClose: () => void;
  onCreated: (d: Department) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<DeptForm>();
  const create = useMutation({
    mutationFn: (v: DeptForm) =>
      unwrap(api.POST('/api/v1/departments', { body: { name: v.name, code: v.code, parentId: v.parentId ?? null } })),
    onSuccess: (d) => {
      message.success(t('common.created'));
      void queryClient.invalidateQueries({ queryKey: ['departments'] });
      onCreated(d);
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={parent ? t('departments.createChildOf', { name: parent.name }) : t('departments.createRoot')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<DeptForm> name="departmentCreate" form={form} layout="vertical" initialValues={{ parentId: parent?.id ?? null }} onFinish={(v) => create.mutate(v)}>
        <Form.Item name="name" label={t('departments.name')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="code" label={t('departments.code')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="parentId" label={t('departments.parent')}>
          <DepartmentSelect placeholder={t('departments.noParent')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

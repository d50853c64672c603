import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Drawer, Form, Input, Row, Select, Space, Spin, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { usePermissionCatalogue, type DataScope, type Permission, type Role } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { useIsMobile } from '../../../components/useIsMobile';
import { formatDateTime } from '../../../lib/format';

const SCOPES: DataScope[] = ['self', 'department', 'department_tree', 'all'];

interface RoleForm {
  code: string;
  name: string;
  description?: string;
  dataScope: DataScope;
  permissions: string[];
}

/** Groups the permission catalogue by area, keeping the server's order. */
export function groupByArea(perms: Permission[]): [string, Permission[]][] {
  const groups = new Map<string, Permission[]>();
  for (const p of perms) groups.set(p.area, [...(groups.get(p.area) ?? []), p]);
  return [...groups.entries()];
}

export default function RolesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.roleWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Role | 'new' | null>(null);

  const list = useQuery({
    queryKey: ['roles', 'list', paging],
    queryFn: () => unwrap(api.GET('/api/v1/roles', { params: { query: paging } })),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: ({ role, action }: { role: Role; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/roles/{id}/disable' : '/api/v1/roles/{id}/enable', {
          params: { path: { id: role.id } },
          body: { version: role.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['roles'] });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });

  return (
    <PageContainer
      title={t('roles.title')}
      subtitle={t('roles.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('roles.create')}
          </Button>
        )
      }
    >
      <DataTable<Role>
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items}
        pagination={{
          current: paging.page,
          pageSize: paging.pageSize,
          total: list.data?.total,
          onChange: (page, pageSize) => setPaging({ page, pageSize }),
        }}
        columns={[
          { title: t('roles.code'), dataIndex: 'code', fixed: 'left' },
          {
            title: t('roles.name'),
            dataIndex: 'name',
            render: (name: string, r: Role) => (
              <Space size={4}>
                {name}
                {r.builtin && <Tag color="gold">{t('roles.builtin')}</Tag>}
              </Space>
            ),
          },
          { title: t('roles.dataScope'), dataIndex: 'dataScope', render: (s: DataScope) => <Tag color="blue">{t(`dataScope.${s}`)}</Tag> },
          {
            title: t('roles.permissions'),
            dataIndex: 'permissions',
            render: (p: string[]) => t('roles.permissionCount', { count: p.length }),
          },
          { title: t('common.description'), dataIndex: 'description', render: (v: string | null) => v || '-' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatDateTime },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: Role) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(r)}>
                        {t('common.edit')}
                      </Button>
                      {!r.builtin && (
                        <StatusAction name={r.name} status={r.status} onToggle={(action) => toggle.mutate({ role: r, action })} />
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <RoleEditor role={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}

function PermissionChecklist({
  value = [],
  onChange,
  catalogue,
  disabled,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  catalogue: Permission[];
  disabled?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en-US';
  const chosen = new Set(value);
  return (
    <div className="perm-groups">
      {groupByArea(catalogue).map(([area, perms]) => {
        const codes = perms.map((p) => p.code);
        const count = codes.filter((c) => chosen.has(c)).length;
        const setArea = (on: boolean) => {
          const next = new Set(chosen);
          codes.forEach((c) => (on ? next.add(c) : next.delete(c)));
          onChange?.(catalogue.map((p) => p.code).filter((c) => next.has(c)));
        };
        return (
          <div key={area} className="perm-group">
            <div className="perm-group-head">
              <Checkbox
                disabled={disabled}
                checked={count === codes.length}
                indeterminate={count > 0 && count < codes.length}
                onChange={(e) => setArea(e.target.checked)}
              >
                <Typography.Text strong>{t(`permissionAreas.${area}`, { defaultValue: area })}</Typography.Text>
              </Checkbox>
              <Typography.Text type="secondary">
                {count}/{codes.length}
              </Typography.Text>
            </div>
            <Row gutter={[8, 8]} className="perm-group-body">
              {perms.map((p) => (
                <Col key={p.code} xs={24} sm={12}>
                  <Checkbox
                    disabled={disabled}
                    checked={chosen.has(p.code)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(p.code);
                      else next.delete(p.code);
                      onChange?.(catalogue.map((c) => c.code).filter((c) => next.has(c)));
                    }}
                  >
                    {en ? p.nameEn : p.name}
                    <span className="perm-code">{p.code}</span>
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </div>
        );
      })}
    </div>
  );
}

function RoleEditor({ role, onClose }: { role: Role | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const isMobile = useIsMobile();
  const [form] = Form.useForm<RoleForm>();
  const [version, setVersion] = useState(role?.version);
  const catalogue = usePermissionCatalogue();

  const reload = async () => {
    if (!role) return;
    const fresh = await unwrap(api.GET('/api/v1/roles/{id}', { params: { path: { id: role.id } } }));
    form.setFieldsValue({ ...fresh, description: fresh.description ?? undefined });
    setVersion(fresh.version);
  };

  const save = useMutation({
    mutationFn: (v: RoleForm) => {
      const body = { code: v.code, name: v.name, description: v.description?.trim() || null, dataScope: v.dataScope, permissions: v.permissions ?? [] };
      return role
        ? unwrap(api.PUT('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { ...body, version: version! } }))
        : unwrap(api.POST('/api/v1/roles', { body }));
    },
    onSuccess: () => {
      message.success(t(role ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['roles'] });
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => void reload() }),
  });

  return (
    <Drawer
      open
      size={isMobile ? '100%' : 720}
      title={t(role ? 'roles.edit' : 'roles.create')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<RoleForm>
        name="roleForm"
        form={form}
        layout="vertical"
        initialValues={
          role
            ? { code: role.code, name: role.name, description: role.description ?? undefined, dataScope: role.dataScope, permissions: role.permissions }
            : { dataScope: 'self', permissions: [] }
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="code" label={t('roles.code')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('roles.name')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('common.description')}>
              <Input.TextArea rows={2} maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="dataScope" label={t('roles.dataScope')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
              <Select disabled={role?.builtin} options={SCOPES.map((s) => ({ value: s, label: t(`dataScope.${s}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        {role?.builtin && <Alert type="info" showIcon title={t('errors.builtin_role')} style={{ marginBottom: 16 }} />}
        <Form.Item name="permissions" label={t('roles.permissions')}>
          {catalogue.data ? <PermissionChecklist catalogue={catalogue.data} disabled={role?.builtin} /> : <Spin />}
        </Form.Item>
      </Form>
    </Drawer>
  );
}

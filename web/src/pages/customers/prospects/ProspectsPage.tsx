import { useState } from 'react';
import { App, Button, Col, DatePicker, Form, Input, Modal, Row, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Prospect, ProspectStatus } from '../../../api/customers';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { blankToNull, compact } from '../../../lib/format';
import { groupMobile } from '../../../lib/pii';
import { IndividualFields, toIndividualInput, type IndividualForm } from '../form/IndividualFormPage';
import { GradeSelect, ManagerSelect, PiiText } from '../shared';

const STATUSES: ProspectStatus[] = ['open', 'converted', 'dropped'];
const STATUS_COLORS: Record<ProspectStatus, string> = { open: 'processing', converted: 'success', dropped: 'default' };

interface Filters {
  status?: ProspectStatus;
  gradeId?: number;
  managerId?: number;
  mobile?: string;
  followUpBy?: Dayjs | null;
}

export default function ProspectsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.customerWrite);
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({ status: 'open' });
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Prospect | 'new' | null>(null);
  const [converting, setConverting] = useState<Prospect | null>(null);

  const query = {
    ...compact({
      status: filters.status,
      gradeId: filters.gradeId,
      managerId: filters.managerId,
      mobile: filters.mobile?.replace(/\s+/g, ''),
      followUpBy: filters.followUpBy?.format('YYYY-MM-DD'),
    }),
    ...paging,
  };
  const list = useQuery({
    queryKey: ['prospects', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/prospects', { params: { query } })),
    placeholderData: keepPreviousData,
  });

  const filterItems = [
    <Form.Item key="s" name="status" label={t('common.status')}>
      <Select allowClear placeholder={t('common.all')} options={STATUSES.map((s) => ({ value: s, label: t(`prospects.statuses.${s}`) }))} />
    </Form.Item>,
    <Form.Item key="g" name="gradeId" label={t('prospects.grade')}>
      <GradeSelect scope="prospect" placeholder={t('common.all')} />
    </Form.Item>,
    <Form.Item key="m" name="mobile" label={t('prospects.mobile')}>
      <Input allowClear inputMode="tel" placeholder={t('blacklist.valuePlaceholder')} />
    </Form.Item>,
    <Form.Item key="f" name="followUpBy" label={t('prospects.followUpBy')}>
      <DatePicker style={{ width: '100%' }} />
    </Form.Item>,
  ];
  if (has(P.userRead))
    filterItems.push(
      <Form.Item key="u" name="managerId" label={t('prospects.manager')}>
        <ManagerSelect placeholder={t('common.all')} />
      </Form.Item>,
    );

  return (
    <PageContainer
      title={t('prospects.title')}
      subtitle={t('prospects.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="prospect-create">
            {t('prospects.create')}
          </Button>
        )
      }
    >
      <ListFilters<Filters>
        name="prospectFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {filterItems}
      </ListFilters>
      <DataTable<Prospect>
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
          { title: t('prospects.name'), dataIndex: 'name' },
          { title: t('prospects.mobile'), dataIndex: 'mobile', render: (v: string) => <PiiText value={groupMobile(v)} /> },
          { title: t('prospects.source'), dataIndex: 'source', render: (v: string | null) => v ?? '-' },
          { title: t('prospects.grade'), dataIndex: 'gradeName', render: (v: string | null) => v ?? '-' },
          {
            title: t('prospects.followUpOn'),
            dataIndex: 'followUpOn',
            render: (v: string | null, p) =>
              v ? <span className={p.status === 'open' && v < dayjs().format('YYYY-MM-DD') ? 'overdue' : undefined}>{v}</span> : '-',
          },
          { title: t('prospects.notes'), dataIndex: 'notes', render: (v: string | null) => <span className="wrap-cell">{v ?? '-'}</span> },
          { title: t('prospects.manager'), dataIndex: 'managerName' },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: ProspectStatus, p) => (
              <Space size={4}>
                <Tag color={STATUS_COLORS[s]}>{t(`prospects.statuses.${s}`)}</Tag>
                {p.customerId && <Link to={`/customers/individuals/${p.customerId}`}>{t('prospects.openCustomer')}</Link>}
              </Space>
            ),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, p: Prospect) =>
                    p.status !== 'converted' && (
                      <Space size={0}>
                        <Button type="link" size="small" onClick={() => setEditing(p)}>
                          {t('prospects.followUp')}
                        </Button>
                        {p.status === 'open' && (
                          <Button type="link" size="small" onClick={() => setConverting(p)}>
                            {t('prospects.convert')}
                          </Button>
                        )}
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {editing && <ProspectEditor prospect={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {converting && <ConvertDialog prospect={converting} onClose={() => setConverting(null)} />}
    </PageContainer>
  );
}

interface ProspectForm {
  name: string;
  mobile: string;
  source?: string;
  gradeId?: number | null;
  followUpOn?: Dayjs | null;
  notes?: string;
  managerId?: number | null;
  status?: ProspectStatus;
}

function ProspectEditor({ prospect, onClose }: { prospect: Prospect | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<ProspectForm>();
  const save = useMutation({
    mutationFn: (v: ProspectForm) => {
      const body = {
        name: v.name.trim(),
        mobile: v.mobile.replace(/\s+/g, ''),
        source: blankToNull(v.source),
        gradeId: v.gradeId ?? null,
        followUpOn: v.followUpOn ? v.followUpOn.format('YYYY-MM-DD') : null,
        notes: blankToNull(v.notes),
        managerId: v.managerId ?? null,
      };
      return prospect
        ? unwrap(
            api.PUT('/api/v1/prospects/{id}', {
              params: { path: { id: prospect.id } },
              body: { ...body, status: v.status ?? 'open', version: prospect.version },
            }),
          )
        : unwrap(api.POST('/api/v1/prospects', { body }));
    },
    onSuccess: () => {
      message.success(t(prospect ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['prospects'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => { void queryClient.invalidateQueries({ queryKey: ['prospects'] }); onClose(); } }),
  });
  return (
    <Modal
      open
      title={prospect ? t('prospects.followUpTitle', { name: prospect.name }) : t('prospects.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<ProspectForm>
        name="prospect"
        form={form}
        layout="vertical"
        initialValues={
          prospect
            ? {
                name: prospect.name,
                source: prospect.source ?? undefined,
                gradeId: prospect.gradeId,
                followUpOn: prospect.followUpOn ? dayjs(prospect.followUpOn) : null,
                notes: prospect.notes ?? undefined,
                managerId: prospect.managerId,
                status: prospect.status,
              }
            : {}
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('prospects.name')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="mobile"
              label={t('prospects.mobile')}
              extra={prospect ? t('prospects.mobileReenter', { masked: prospect.mobile }) : undefined}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input inputMode="tel" maxLength={20} placeholder={prospect?.mobile} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="source" label={t('prospects.source')}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="gradeId" label={t('prospects.grade')}>
              <GradeSelect scope="prospect" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="followUpOn" label={t('prospects.followUpOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {prospect && (
            <Col xs={24} sm={12}>
              <Form.Item name="status" label={t('common.status')}>
                <Select options={(['open', 'dropped'] as const).map((s) => ({ value: s, label: t(`prospects.statuses.${s}`) }))} />
              </Form.Item>
            </Col>
          )}
          {has(P.userRead) && (
            <Col xs={24} sm={12}>
              <Form.Item name="managerId" label={t('prospects.manager')} extra={t('customers.managerHelp')}>
                <ManagerSelect />
              </Form.Item>
            </Col>
          )}
          <Col xs={24}>
            <Form.Item name="notes" label={t('prospects.notes')}>
              <Input.TextArea maxLength={2000} autoSize={{ minRows: 3, maxRows: 8 }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function ConvertDialog({ prospect, onClose }: { prospect: Prospect; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<IndividualForm>();
  const convert = useMutation({
    mutationFn: (v: IndividualForm) =>
      unwrap(
        api.POST('/api/v1/prospects/{id}/convert', {
          params: { path: { id: prospect.id } },
          body: { version: prospect.version, customer: toIndividualInput(v) },
        }),
      ),
    onSuccess: (c) => {
      message.success(t('prospects.convertedOk'));
      void queryClient.invalidateQueries({ queryKey: ['prospects'] });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      onClose();
      navigate(`/customers/individuals/${c.id}`);
    },
    onError: (e) => onError(e, { form, stripPrefix: 'customer.' }),
  });
  return (
    <Modal
      open
      width={880}
      title={t('prospects.convertTitle', { name: prospect.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('prospects.convert')}
      confirmLoading={convert.isPending}
      destroyOnHidden
    >
      <Form<IndividualForm>
        name="convert"
        form={form}
        layout="vertical"
        initialValues={{ name: prospect.name, managerId: prospect.managerId, contacts: [{}, {}], addresses: [] }}
        onFinish={(v) => convert.mutate(v)}
        scrollToFirstError
      >
        <IndividualFields />
      </Form>
    </Modal>
  );
}

import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Space, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Grade, GradeScope } from '../../../api/customers';
import { ALL_PAGE } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { blankToNull, formatDateTime } from '../../../lib/format';

function GradeList({ scope, onEdit }: { scope: GradeScope; onEdit: (g: Grade) => void }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.customerGradeWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const list = useQuery({
    queryKey: ['customer-grades', 'list', scope],
    queryFn: () => unwrap(api.GET('/api/v1/customer-grades', { params: { query: { scope, page: 1, pageSize: ALL_PAGE } } })),
  });
  const toggle = useMutation({
    mutationFn: ({ g, action }: { g: Grade; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/customer-grades/{id}/disable' : '/api/v1/customer-grades/{id}/enable', {
          params: { path: { id: g.id } },
          body: { version: g.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['customer-grades'] });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });
  return (
    <DataTable<Grade>
      rowKey="id"
      loading={list.isFetching}
      dataSource={list.data?.items}
      pagination={false}
      columns={[
        { title: t('grades.sortOrder'), dataIndex: 'sortOrder', width: 72 },
        { title: t('grades.code'), dataIndex: 'code' },
        { title: t('grades.name'), dataIndex: 'name' },
        { title: t('grades.criteria'), dataIndex: 'criteria', render: (v: string | null) => <span className="wrap-cell">{v ?? '-'}</span> },
        { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatDateTime },
        ...(canWrite
          ? [
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_: unknown, g: Grade) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => onEdit(g)}>
                      {t('common.edit')}
                    </Button>
                    <StatusAction name={g.name} status={g.status} onToggle={(action) => toggle.mutate({ g, action })} />
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

interface GradeForm {
  code: string;
  name: string;
  criteria?: string | null;
  sortOrder: number;
}

function GradeEditor({ scope, grade, onClose }: { scope: GradeScope; grade: Grade | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<GradeForm>();
  const save = useMutation({
    mutationFn: (v: GradeForm) => {
      const body = { scope, code: v.code.trim(), name: v.name.trim(), criteria: blankToNull(v.criteria), sortOrder: v.sortOrder ?? 0 };
      return grade
        ? unwrap(api.PUT('/api/v1/customer-grades/{id}', { params: { path: { id: grade.id } }, body: { ...body, version: grade.version } }))
        : unwrap(api.POST('/api/v1/customer-grades', { body }));
    },
    onSuccess: () => {
      message.success(t(grade ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['customer-grades'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => { void queryClient.invalidateQueries({ queryKey: ['customer-grades'] }); onClose(); } }),
  });
  return (
    <Modal open title={t(grade ? 'grades.edit' : 'grades.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={save.isPending} destroyOnHidden>
      <Form<GradeForm>
        name="grade"
        form={form}
        layout="vertical"
        initialValues={grade ? { code: grade.code, name: grade.name, criteria: grade.criteria, sortOrder: grade.sortOrder } : { sortOrder: 0 }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="code" label={t('grades.code')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="name" label={t('grades.name')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="criteria" label={t('grades.criteria')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 3, maxRows: 8 }} />
        </Form.Item>
        <Form.Item name="sortOrder" label={t('grades.sortOrder')}>
          <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function GradesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const [scope, setScope] = useState<GradeScope>('customer');
  const [editing, setEditing] = useState<Grade | 'new' | null>(null);
  return (
    <PageContainer
      title={t('grades.title')}
      subtitle={t('grades.subtitle')}
      extra={
        has(P.customerGradeWrite) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="grade-create">
            {t('grades.create')}
          </Button>
        )
      }
    >
      <Tabs
        activeKey={scope}
        onChange={(k) => setScope(k as GradeScope)}
        items={[
          { key: 'customer', label: t('grades.customerTab'), children: <GradeList scope="customer" onEdit={setEditing} /> },
          { key: 'prospect', label: t('grades.prospectTab'), children: <GradeList scope="prospect" onEdit={setEditing} /> },
        ]}
      />
      {editing && <GradeEditor scope={scope} grade={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}

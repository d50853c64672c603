import { useState } from 'react';
import { App, Button, Form, Input, Modal, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Position } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { formatDateTime } from '../../../lib/format';

interface PositionForm {
  code: string;
  name: string;
  description?: string;
}

export default function PositionsPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.positionWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Position | 'new' | null>(null);

  const list = useQuery({
    queryKey: ['positions', 'list', paging],
    queryFn: () => unwrap(api.GET('/api/v1/positions', { params: { query: paging } })),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: ({ position, action }: { position: Position; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/positions/{id}/disable' : '/api/v1/positions/{id}/enable', {
          params: { path: { id: position.id } },
          body: { version: position.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['positions'] });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });

  return (
    <PageContainer
      title={t('positions.title')}
      subtitle={t('positions.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('positions.create')}
          </Button>
        )
      }
    >
      <DataTable<Position>
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
          { title: t('positions.code'), dataIndex: 'code', fixed: 'left' },
          { title: t('positions.name'), dataIndex: 'name' },
          { title: t('common.description'), dataIndex: 'description', render: (v: string | null) => v || '-' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('common.updatedAt'), dataIndex: 'updatedAt', render: formatDateTime },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, p: Position) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(p)}>
                        {t('common.edit')}
                      </Button>
                      <StatusAction name={p.name} status={p.status} onToggle={(action) => toggle.mutate({ position: p, action })} />
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <PositionEditor position={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </PageContainer>
  );
}

function PositionEditor({ position, onClose }: { position: Position | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<PositionForm>();
  const [version, setVersion] = useState(position?.version);

  const reload = async () => {
    if (!position) return;
    // Typed as the list's rows: see the note on `Position` in api/queries.ts.
    const fresh = (await unwrap(api.GET('/api/v1/positions/{id}', { params: { path: { id: position.id } } }))) as unknown as Position;
    form.setFieldsValue({ code: fresh.code, name: fresh.name, description: fresh.description ?? undefined });
    setVersion(fresh.version);
  };

  const save = useMutation({
    mutationFn: (v: PositionForm) => {
      const body = { code: v.code, name: v.name, description: v.description?.trim() || null };
      return position
        ? unwrap(api.PUT('/api/v1/positions/{id}', { params: { path: { id: position.id } }, body: { ...body, version: version! } }))
        : unwrap(api.POST('/api/v1/positions', { body }));
    },
    onSuccess: () => {
      message.success(t(position ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['positions'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => void reload() }),
  });

  return (
    <Modal
      open
      title={t(position ? 'positions.edit' : 'positions.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<PositionForm>
        name="positionForm"
        form={form}
        layout="vertical"
        initialValues={position ? { code: position.code, name: position.name, description: position.description ?? undefined } : {}}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="code" label={t('positions.code')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="name" label={t('positions.name')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')}>
          <Input.TextArea rows={3} maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

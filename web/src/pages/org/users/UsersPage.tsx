import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Tag, Tooltip } from 'antd';
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { departmentNames, useAllRoles, useDepartmentTree, type User } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { passwordProblems } from '../../../auth/passwordPolicy';
import { DataTable } from '../../../components/DataTable';
import { DepartmentSelect } from '../../../components/DepartmentSelect';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { compact, formatDateTime } from '../../../lib/format';

interface Filters {
  keyword?: string;
  departmentId?: number;
  status?: 'active' | 'disabled';
}

interface UserForm {
  username: string;
  displayName: string;
  departmentId?: number | null;
  roleIds: number[];
  initialPassword?: string;
}

export default function UsersPage() {
  const { t } = useTranslation();
  const { has, me } = useAccess();
  const canWrite = has(P.userWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  const list = useQuery({
    queryKey: ['users', 'list', filters, paging],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { ...compact({ ...filters }), ...paging } } })),
    placeholderData: keepPreviousData,
  });
  const tree = useDepartmentTree();
  const roles = useAllRoles(has(P.roleRead));
  const deptNames = departmentNames(tree.data);
  const roleNames = new Map((roles.data?.items ?? []).map((r) => [r.id, r.name]));

  const toggle = useMutation({
    mutationFn: ({ user, action }: { user: User; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/users/{id}/disable' : '/api/v1/users/{id}/enable', {
          params: { path: { id: user.id } },
          body: { version: user.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });

  return (
    <PageContainer
      title={t('users.title')}
      subtitle={t('users.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="user-create">
            {t('users.create')}
          </Button>
        )
      }
    >
      <ListFilters<Filters>
        name="userFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="k" name="keyword" label={t('common.keyword')}>
            <Input allowClear placeholder={t('users.keywordPlaceholder')} />
          </Form.Item>,
          <Form.Item key="d" name="departmentId" label={t('users.department')}>
            <DepartmentSelect includeDisabled />
          </Form.Item>,
          <Form.Item key="s" name="status" label={t('common.status')}>
            <Select
              allowClear
              placeholder={t('common.all')}
              options={[
                { value: 'active', label: t('status.active') },
                { value: 'disabled', label: t('status.disabled') },
              ]}
            />
          </Form.Item>,
        ]}
      </ListFilters>

      <DataTable<User>
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
          { title: t('users.username'), dataIndex: 'username', fixed: 'left' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          {
            title: t('users.department'),
            dataIndex: 'departmentId',
            render: (id: number | null) => (id ? deptNames.get(id) ?? `#${id}` : '-'),
          },
          {
            title: t('users.roles'),
            dataIndex: 'roleIds',
            render: (ids: number[]) => (
              <Space size={[0, 4]} wrap>
                {ids.map((id) => (
                  <Tag key={id}>{roleNames.get(id) ?? `#${id}`}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (_: string, u) => (
              <Space size={4}>
                <StatusTag status={u.status} />
                {u.lockedUntil && new Date(u.lockedUntil) > new Date() && (
                  <Tooltip title={formatDateTime(u.lockedUntil)}>
                    <Tag color="error" icon={<LockOutlined />}>
                      {t('users.locked')}
                    </Tag>
                  </Tooltip>
                )}
                {u.mustChangePassword && <Tag color="warning">{t('users.mustChangePassword')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('users.lastLoginAt'),
            dataIndex: 'lastLoginAt',
            render: (v: string | null) => (v ? formatDateTime(v) : t('users.neverLoggedIn')),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, u: User) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(u)}>
                        {t('common.edit')}
                      </Button>
                      <Button type="link" size="small" onClick={() => setResetting(u)}>
                        {t('users.resetPassword')}
                      </Button>
                      {u.id !== me?.id && (
                        <StatusAction name={u.username} status={u.status} onToggle={(action) => toggle.mutate({ user: u, action })} />
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />

      {editing && (
        <UserEditor
          user={editing === 'new' ? null : editing}
          roleOptions={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name, disabled: r.status === 'disabled' }))}
          onClose={() => setEditing(null)}
        />
      )}
      {resetting && <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />}
    </PageContainer>
  );
}

function UserEditor({
  user,
  roleOptions,
  onClose,
}: {
  user: User | null;
  roleOptions: { value: number; label: string; disabled: boolean }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<UserForm>();
  const [version, setVersion] = useState(user?.version);

  const reload = async () => {
    if (!user) return;
    const fresh = await unwrap(api.GET('/api/v1/users/{id}', { params: { path: { id: user.id } } }));
    form.setFieldsValue({ displayName: fresh.displayName, departmentId: fresh.departmentId, roleIds: fresh.roleIds });
    setVersion(fresh.version);
  };

  const save = useMutation({
    mutationFn: (v: UserForm) =>
      user
        ? unwrap(
            api.PUT('/api/v1/users/{id}', {
              params: { path: { id: user.id } },
              body: { displayName: v.displayName, departmentId: v.departmentId ?? null, roleIds: v.roleIds ?? [], version: version! },
            }),
          )
        : unwrap(
            api.POST('/api/v1/users', {
              body: {
                username: v.username,
                displayName: v.displayName,
                departmentId: v.departmentId ?? null,
                roleIds: v.roleIds ?? [],
                initialPassword: v.initialPassword!,
              },
            }),
          ),
    onSuccess: () => {
      message.success(t(user ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => void reload() }),
  });

  return (
    <Modal
      open
      title={t(user ? 'users.edit' : 'users.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<UserForm>
        name="userForm"
        form={form}
        layout="vertical"
        initialValues={user ? { username: user.username, displayName: user.displayName, departmentId: user.departmentId, roleIds: user.roleIds } : { roleIds: [] }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input disabled={!!user} autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('users.department')}>
          <DepartmentSelect />
        </Form.Item>
        <Form.Item name="roleIds" label={t('users.roles')}>
          <Select mode="multiple" allowClear options={roleOptions} placeholder={t('common.pleaseSelect')} optionFilterProp="label" />
        </Form.Item>
        {!user && (
          <Form.Item
            name="initialPassword"
            label={t('users.initialPassword')}
            extra={t('users.initialPasswordHelp')}
            rules={[
              { required: true, message: t('validation.required') },
              ({ getFieldValue }) => ({
                validator(_, value: string | undefined) {
                  const problems = value ? passwordProblems(value, getFieldValue('username')) : [];
                  return problems.length ? Promise.reject(new Error(problems.map((p) => t(p)).join('；'))) : Promise.resolve();
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function ResetPasswordDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ newPassword: string }>();
  const reset = useMutation({
    mutationFn: (newPassword: string) =>
      unwrap(api.POST('/api/v1/users/{id}/reset-password', { params: { path: { id: user.id } }, body: { newPassword, version: user.version } })),
    onSuccess: () => {
      message.success(t('users.resetPasswordOk'));
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => { void queryClient.invalidateQueries({ queryKey: ['users'] }); onClose(); } }),
  });
  return (
    <Modal
      open
      title={t('users.resetPasswordTitle', { name: user.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Form name="resetPassword" form={form} layout="vertical" onFinish={(v) => reset.mutate(v.newPassword)}>
        <Form.Item
          name="newPassword"
          label={t('auth.newPassword')}
          extra={t('users.resetPasswordHelp')}
          rules={[
            { required: true, message: t('validation.required') },
            {
              validator(_, value: string | undefined) {
                const problems = value ? passwordProblems(value, user.username) : [];
                return problems.length ? Promise.reject(new Error(problems.map((p) => t(p)).join('；'))) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

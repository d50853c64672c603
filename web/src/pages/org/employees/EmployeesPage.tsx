import { useState } from 'react';
import { App, Button, Col, DatePicker, Form, Input, Modal, Row, Select, Space } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useAllPositions, useAllUsers, type Employee } from '../../../api/queries';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { DepartmentSelect } from '../../../components/DepartmentSelect';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { StatusTag } from '../../../components/StatusTag';
import { blankToNull, compact } from '../../../lib/format';

interface Filters {
  keyword?: string;
  departmentId?: number;
  positionId?: number;
  status?: 'active' | 'disabled';
}

interface EmployeeForm {
  employeeNo: string;
  name: string;
  phone?: string;
  email?: string;
  departmentId: number;
  positionId?: number | null;
  userId?: number | null;
  hiredOn?: Dayjs | null;
}

export default function EmployeesPage() {
  const { t } = useTranslation();
  const { has } = useAccess();
  const canWrite = has(P.employeeWrite);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [filterForm] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Employee | 'new' | null>(null);
  const positions = useAllPositions(has(P.positionRead));
  const positionOptions = (positions.data?.items ?? []).map((p) => ({ value: p.id, label: p.name, disabled: p.status === 'disabled' }));

  const list = useQuery({
    queryKey: ['employees', 'list', filters, paging],
    queryFn: () => unwrap(api.GET('/api/v1/employees', { params: { query: { ...compact({ ...filters }), ...paging } } })),
    placeholderData: keepPreviousData,
  });

  const toggle = useMutation({
    mutationFn: ({ employee, action }: { employee: Employee; action: 'disable' | 'enable' }) =>
      unwrap(
        api.POST(action === 'disable' ? '/api/v1/employees/{id}/disable' : '/api/v1/employees/{id}/enable', {
          params: { path: { id: employee.id } },
          body: { version: employee.version },
        }),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'disable' ? 'common.disabledOk' : 'common.enabledOk'));
      void queryClient.invalidateQueries({ queryKey: ['employees'] });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });

  return (
    <PageContainer
      title={t('employees.title')}
      subtitle={t('employees.subtitle')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="employee-create">
            {t('employees.create')}
          </Button>
        )
      }
    >
      <ListFilters<Filters>
        name="employeeFilters"
        form={filterForm}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="k" name="keyword" label={t('common.keyword')}>
            <Input allowClear placeholder={t('employees.keywordPlaceholder')} />
          </Form.Item>,
          <Form.Item key="d" name="departmentId" label={t('employees.department')}>
            <DepartmentSelect includeDisabled />
          </Form.Item>,
          <Form.Item key="p" name="positionId" label={t('employees.position')}>
            <Select allowClear placeholder={t('common.all')} options={positionOptions} optionFilterProp="label" showSearch />
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

      <DataTable<Employee>
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
          { title: t('employees.employeeNo'), dataIndex: 'employeeNo', fixed: 'left' },
          { title: t('employees.name'), dataIndex: 'name' },
          { title: t('employees.department'), dataIndex: 'departmentName' },
          { title: t('employees.position'), dataIndex: 'positionName', render: (v: string | null) => v ?? '-' },
          { title: t('employees.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '-' },
          { title: t('employees.email'), dataIndex: 'email', render: (v: string | null) => v ?? '-' },
          { title: t('employees.hiredOn'), dataIndex: 'hiredOn', render: (v: string | null) => v ?? '-' },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, e: Employee) => (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => setEditing(e)}>
                        {t('common.edit')}
                      </Button>
                      <StatusAction name={e.name} status={e.status} onToggle={(action) => toggle.mutate({ employee: e, action })} />
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <EmployeeEditor employee={editing === 'new' ? null : editing} positionOptions={positionOptions} onClose={() => setEditing(null)} />
      )}
    </PageContainer>
  );
}

function toForm(e: Employee): EmployeeForm {
  return {
    employeeNo: e.employeeNo,
    name: e.name,
    phone: e.phone ?? undefined,
    email: e.email ?? undefined,
    departmentId: e.departmentId,
    positionId: e.positionId,
    userId: e.userId,
    hiredOn: e.hiredOn ? dayjs(e.hiredOn) : null,
  };
}

function EmployeeEditor({
  employee,
  positionOptions,
  onClose,
}: {
  employee: Employee | null;
  positionOptions: { value: number; label: string; disabled: boolean }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<EmployeeForm>();
  const [version, setVersion] = useState(employee?.version);
  const users = useAllUsers(has(P.userRead));

  const reload = async () => {
    if (!employee) return;
    const fresh = await unwrap(api.GET('/api/v1/employees/{id}', { params: { path: { id: employee.id } } }));
    form.setFieldsValue(toForm(fresh));
    setVersion(fresh.version);
  };

  const save = useMutation({
    mutationFn: (v: EmployeeForm) => {
      const body = {
        employeeNo: v.employeeNo.trim(),
        name: v.name.trim(),
        phone: blankToNull(v.phone),
        email: blankToNull(v.email),
        departmentId: v.departmentId,
        positionId: v.positionId ?? null,
        userId: v.userId ?? null,
        hiredOn: v.hiredOn ? v.hiredOn.format('YYYY-MM-DD') : null,
      };
      return employee
        ? unwrap(api.PUT('/api/v1/employees/{id}', { params: { path: { id: employee.id } }, body: { ...body, version: version! } }))
        : unwrap(api.POST('/api/v1/employees', { body }));
    },
    onSuccess: () => {
      message.success(t(employee ? 'common.saved' : 'common.created'));
      void queryClient.invalidateQueries({ queryKey: ['employees'] });
      onClose();
    },
    onError: (e) => onError(e, { form, onReload: () => void reload() }),
  });

  return (
    <Modal
      open
      width={720}
      title={t(employee ? 'employees.edit' : 'employees.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form<EmployeeForm> name="employeeForm" form={form} layout="vertical" initialValues={employee ? toForm(employee) : {}} onFinish={(v) => save.mutate(v)}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="employeeNo" label={t('employees.employeeNo')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={32} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('employees.name')} rules={[{ required: true, message: t('validation.required') }]}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="departmentId" label={t('employees.department')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
              <DepartmentSelect />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="positionId" label={t('employees.position')}>
              <Select allowClear options={positionOptions} placeholder={t('common.pleaseSelect')} optionFilterProp="label" showSearch />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t('employees.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('validation.phone') }]}>
              <Input maxLength={11} inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="email" label={t('employees.email')} rules={[{ type: 'email', message: t('validation.email') }]}>
              <Input maxLength={128} inputMode="email" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="hiredOn" label={t('employees.hiredOn')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="userId" label={t('employees.user')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={t('common.optional')}
                loading={users.isLoading}
                options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

import { useState } from 'react';
import { App, Button, Checkbox, Empty, Form, Input, Modal, Popconfirm, Radio, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { BankAccount, BankAccountInput, Customer } from '../../../api/customers';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { StatusTag } from '../../../components/StatusTag';
import { blankToNull } from '../../../lib/format';
import { luhnValid } from '../../../lib/identity';
import { groupAccountNumber } from '../../../lib/pii';
import { PiiText } from '../shared';

export function BankAccountsTab({ customer, revealed }: { customer: Customer; revealed: boolean }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [adding, setAdding] = useState(false);
  const canWrite = has(P.customerWrite);
  const key = ['customers', 'bank-accounts', customer.id];
  const list = useQuery({
    queryKey: [...key, revealed],
    queryFn: () =>
      unwrap(api.GET('/api/v1/customers/{id}/bank-accounts', { params: { path: { id: customer.id }, query: { reveal: revealed } } })),
  });

  const change = useMutation({
    mutationFn: ({ a, action }: { a: BankAccount; action: 'primary' | 'disable' }) =>
      unwrap(
        api.POST(
          action === 'primary'
            ? '/api/v1/customers/{id}/bank-accounts/{accountId}/make-primary'
            : '/api/v1/customers/{id}/bank-accounts/{accountId}/disable',
          { params: { path: { id: customer.id, accountId: a.id } }, body: { version: a.version } },
        ),
      ),
    onSuccess: (_, { action }) => {
      message.success(t(action === 'primary' ? 'bankAccounts.primaryOk' : 'common.disabledOk'));
      void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (e) => onError(e, { onReload: () => void list.refetch() }),
  });

  return (
    <div className="tab-body">
      {canWrite && (
        <div className="tab-actions">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="bank-account-add">
            {t('bankAccounts.add')}
          </Button>
        </div>
      )}
      <div className="table-scroll">
        <Table<BankAccount>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bankAccounts.empty')} /> }}
          columns={[
            { title: t('bankAccounts.bankName'), dataIndex: 'bankName' },
            { title: t('bankAccounts.branch'), dataIndex: 'branch', render: (v: string | null) => v ?? '-' },
            { title: t('bankAccounts.accountType'), dataIndex: 'accountType', render: (v: string) => t(`bankAccounts.types.${v}`) },
            { title: t('bankAccounts.number'), dataIndex: 'number', render: (v: string) => <PiiText value={groupAccountNumber(v)} /> },
            { title: t('bankAccounts.holderName'), dataIndex: 'holderName' },
            {
              title: t('common.status'),
              key: 'status',
              render: (_: unknown, a) => (
                <Space size={4}>
                  {a.isPrimary && <Tag color="blue">{t('bankAccounts.isPrimary')}</Tag>}
                  <StatusTag status={a.status} />
                </Space>
              ),
            },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, a: BankAccount) =>
                      a.status === 'active' && (
                        <Space size={0}>
                          {!a.isPrimary && (
                            <Button type="link" size="small" onClick={() => change.mutate({ a, action: 'primary' })}>
                              {t('bankAccounts.setPrimary')}
                            </Button>
                          )}
                          <Popconfirm
                            title={t('bankAccounts.confirmDisable')}
                            onConfirm={() => change.mutate({ a, action: 'disable' })}
                            okText={t('common.ok')}
                            cancelText={t('common.cancel')}
                          >
                            <Button type="link" size="small" danger>
                              {t('common.disable')}
                            </Button>
                          </Popconfirm>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </div>
      {adding && <AddAccountDialog customer={customer} onClose={() => setAdding(false)} />}
    </div>
  );
}

type AccountForm = BankAccountInput;

function AddAccountDialog({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<AccountForm>();
  const accountType = Form.useWatch('accountType', form);
  const add = useMutation({
    mutationFn: (v: AccountForm) =>
      unwrap(
        api.POST('/api/v1/customers/{id}/bank-accounts', {
          params: { path: { id: customer.id } },
          body: { ...v, number: v.number.replace(/\s+/g, ''), branch: blankToNull(v.branch), isPrimary: !!v.isPrimary },
        }),
      ),
    onSuccess: () => {
      message.success(t('common.created'));
      void queryClient.invalidateQueries({ queryKey: ['customers', 'bank-accounts', customer.id] });
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('bankAccounts.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form<AccountForm>
        name="bankAccount"
        form={form}
        layout="vertical"
        initialValues={{ accountType: 'card', holderName: customer.name, isPrimary: false }}
        onFinish={(v) => add.mutate(v)}
      >
        <Form.Item name="accountType" label={t('bankAccounts.accountType')}>
          <Radio.Group
            optionType="button"
            options={(['card', 'account'] as const).map((k) => ({ value: k, label: t(`bankAccounts.types.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="bankName" label={t('bankAccounts.bankName')} rules={[{ required: true, message: t('validation.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="branch" label={t('bankAccounts.branch')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="number"
          label={t('bankAccounts.number')}
          rules={[
            { required: true, message: t('validation.required') },
            {
              warningOnly: true,
              validator: (_, v: string | undefined) =>
                accountType !== 'card' || !v || v.replace(/\s+/g, '').length < 12 || luhnValid(v)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('bankAccounts.luhnWarning'))),
            },
          ]}
        >
          <Input inputMode="numeric" maxLength={40} autoComplete="off" className="pii-input" />
        </Form.Item>
        <Form.Item
          name="holderName"
          label={t('bankAccounts.holderName')}
          extra={t('bankAccounts.holderHelp')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="isPrimary" valuePropName="checked">
          <Checkbox>{t('bankAccounts.isPrimary')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

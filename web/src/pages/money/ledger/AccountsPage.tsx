import { useMemo, useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Space, Spin, Switch, Table, Tag, Tooltip } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { financeKeys, type Account } from '../../../api/finance';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { StatusAction } from '../../../components/StatusAction';
import { accountTree, isChildCode, nextChildCode, type AccountNode } from '../../../lib/finance';
import { useChart } from '../shared';

/** 会计科目: the chart as a tree; sub-accounts added, accounts renamed or disabled (ledger:write). */
export default function AccountsPage() {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const chart = useChart();
  const canWrite = has(P.ledgerWrite);
  const [adding, setAdding] = useState<Account | null>(null);
  const [editing, setEditing] = useState<Account | null>(null);
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const tree = useMemo(() => accountTree(chart.data ?? []), [chart.data]);
  const toggle = useMutation({
    mutationFn: (a: Account) =>
      unwrap(api.PUT('/api/v1/accounts/{code}', { params: { path: { code: a.code } }, body: { name: a.name, enabled: !a.enabled, version: a.version } })),
    onSuccess: (a) => {
      message.success(t(a.enabled ? 'common.enabledOk' : 'common.disabledOk'));
      void queryClient.invalidateQueries({ queryKey: financeKeys.accounts });
    },
    onError: (e) => onError(e, { onReload: () => void chart.refetch() }),
  });

  if (chart.isPending)
    return (
      <PageContainer title={t('money.accountsTitle')}>
        <Spin />
      </PageContainer>
    );
  if (chart.isError)
    return (
      <PageContainer title={t('money.accountsTitle')}>
        <Empty description={translateError(chart.error, t, i18n)} />
      </PageContainer>
    );

  return (
    <PageContainer title={t('money.accountsTitle')} subtitle={t('money.accountsSubtitle')}>
      <div className="table-scroll">
        <Table<AccountNode>
          size="small"
          rowKey="code"
          dataSource={tree}
          pagination={false}
          scroll={{ x: 'max-content' }}
          expandable={{ defaultExpandAllRows: true }}
          data-testid="chart-of-accounts"
          onRow={(a) => ({ 'data-testid': `account-${a.code}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('money.accountCode'), dataIndex: 'code', render: (c: string) => <span className="mono">{c}</span> },
            {
              title: t('money.accountName'),
              dataIndex: 'name',
              render: (name: string, a) => (
                <Space size={4} wrap>
                  <span className={a.enabled ? '' : 'muted'}>{name}</span>
                  {a.isFund && <Tag color="blue">{t('money.fundAccount')}</Tag>}
                </Space>
              ),
            },
            { title: t('money.category'), dataIndex: 'category', render: (c: string) => t(`money.categories.${c}`) },
            { title: t('money.direction'), dataIndex: 'direction', render: (d: string) => t(`money.sides.${d}`) },
            {
              title: t('common.status'),
              dataIndex: 'enabled',
              render: (on: boolean) => <Tag color={on ? 'success' : 'default'}>{t(on ? 'status.active' : 'status.disabled')}</Tag>,
            },
            {
              title: t('money.usage'),
              key: 'usage',
              render: (_: unknown, a) =>
                a.hasChildren ? (
                  <Tag>{t('money.hasChildren')}</Tag>
                ) : a.inUse ? (
                  has(P.ledgerRead) ? (
                    <Link to={`/money/vouchers?account=${a.code}`}>{t('money.inUse')}</Link>
                  ) : (
                    t('money.inUse')
                  )
                ) : (
                  <span className="muted">{t('money.unused')}</span>
                ),
            },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, a: AccountNode) => {
                      // A parent with postings of its own cannot be split: its balance would have nowhere to go.
                      const splittable = !(a.inUse && !a.hasChildren);
                      return (
                        <Space size={0} wrap>
                          <Tooltip title={splittable ? undefined : t('money.cannotSplit')}>
                            <Button
                              type="link"
                              size="small"
                              icon={<PlusOutlined />}
                              disabled={!splittable}
                              onClick={() => setAdding(a)}
                              data-testid={`account-add-${a.code}`}
                            >
                              {t('money.addSubAccount')}
                            </Button>
                          </Tooltip>
                          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(a)} data-testid={`account-edit-${a.code}`}>
                            {t('common.edit')}
                          </Button>
                          <StatusAction
                            name={`${a.code} ${a.name}`}
                            status={a.enabled ? 'active' : 'disabled'}
                            loading={toggle.isPending && toggle.variables?.code === a.code}
                            onToggle={() => toggle.mutate(a)}
                          />
                        </Space>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />
      </div>
      {adding && <AddDialog parent={adding} accounts={chart.data ?? []} onClose={() => setAdding(null)} />}
      {editing && <EditDialog account={editing} onClose={() => setEditing(null)} onReload={() => void chart.refetch()} />}
    </PageContainer>
  );
}

function AddDialog({ parent, accounts, onClose }: { parent: Account; accounts: Account[]; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const add = useMutation({
    mutationFn: (v: { code: string; name: string }) =>
      unwrap(api.POST('/api/v1/accounts', { body: { parentCode: parent.code, code: v.code.trim(), name: v.name.trim() } })),
    onSuccess: (a) => {
      message.success(t('money.accountAdded', { code: a.code }));
      void queryClient.invalidateQueries({ queryKey: financeKeys.accounts });
      onClose();
    },
    onError: (e) => onError(e, { form }),
  });
  return (
    <Modal
      open
      title={t('money.addSubAccountTo', { parent: `${parent.code} ${parent.name}` })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      destroyOnHidden
    >
      <Form
        name="subAccount"
        form={form}
        layout="vertical"
        initialValues={{ code: nextChildCode(parent.code, accounts) ?? '' }}
        onFinish={(v) => add.mutate(v)}
      >
        <Form.Item
          name="code"
          label={t('money.accountCode')}
          extra={t('money.subCodeHelp', { parent: parent.code })}
          rules={[
            { required: true, message: t('validation.required') },
            {
              validator: async (_, v?: string) => {
                if (v && !isChildCode(v.trim(), parent.code)) throw new Error(t('fieldErrors.not_under_parent'));
              },
            },
          ]}
        >
          <Input className="mono" maxLength={parent.code.length + 2} />
        </Form.Item>
        <Form.Item name="name" label={t('money.accountName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} placeholder={parent.isFund ? t('money.fundNameHint') : undefined} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EditDialog({ account: a, onClose, onReload }: { account: Account; onClose: () => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const onError = useErrorHandler();
  const [form] = Form.useForm<{ name: string; enabled: boolean }>();
  const save = useMutation({
    mutationFn: (v: { name: string; enabled: boolean }) =>
      unwrap(api.PUT('/api/v1/accounts/{code}', { params: { path: { code: a.code } }, body: { name: v.name.trim(), enabled: v.enabled, version: a.version } })),
    onSuccess: () => {
      message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: financeKeys.accounts });
      onClose();
    },
    onError: (e) =>
      onError(e, {
        form,
        onReload: () => {
          onClose();
          onReload();
        },
      }),
  });
  return (
    <Modal
      open
      title={t('money.editAccount', { code: a.code })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form name="account" form={form} layout="vertical" initialValues={{ name: a.name, enabled: a.enabled }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="name" label={t('money.accountName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="enabled" label={t('common.status')} valuePropName="checked" extra={t('money.disableHelp')}>
          <Switch checkedChildren={t('status.active')} unCheckedChildren={t('status.disabled')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

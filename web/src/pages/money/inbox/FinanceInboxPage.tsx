import { useState } from 'react';
import { Badge, Button, Card, Tabs, Tag } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { AuditOutlined, EyeOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import type { Disbursement, Repayment } from '../../../api/finance';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { CHECK_PERMISSION, checkerState } from '../../../lib/finance';
import { formatDateTime } from '../../../lib/format';
import { CheckDrawer, type CheckTarget } from '../CheckDrawer';
import { Amount, PageBusinessDate } from '../shared';

type Kind = CheckTarget['kind'];

const REFRESH_MS = 30_000;

/** The action cell of a registration: check it, or (one's own) only look at it. */
function ActionCell({ kind, item, onOpen }: { kind: Kind; item: Disbursement | Repayment; onOpen: () => void }) {
  const { t } = useTranslation();
  const { me, has } = useAccess();
  const state = checkerState(item, me?.id, has(CHECK_PERMISSION[kind]));
  if (state === 'check')
    return (
      <Button type="primary" size="small" icon={<AuditOutlined />} onClick={onOpen} data-testid={`inbox-check-${kind}-${item.id}`}>
        {t(kind === 'disbursement' ? 'money.review' : 'money.confirm')}
      </Button>
    );
  return (
    <span className="inbox-own">
      {state === 'own' && (
        <Tag color="warning" data-testid={`inbox-own-${kind}-${item.id}`}>
          {t('money.ownTag')}
        </Tag>
      )}
      <Button size="small" type="link" icon={<EyeOutlined />} onClick={onOpen} data-testid={`inbox-view-${kind}-${item.id}`}>
        {t('common.view')}
      </Button>
    </span>
  );
}

/**
 * 财务待办: disbursements waiting for their review and repayments waiting for finance's
 * confirmation, oldest registrations included, each with who registered it and when.
 */
export default function FinanceInboxPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab: Kind = params.get('tab') === 'repayments' ? 'repayment' : 'disbursement';
  const [paging, setPaging] = useState({ disbursement: { page: 1, pageSize: 50 }, repayment: { page: 1, pageSize: 50 } });
  const [open, setOpen] = useState<CheckTarget | null>(null);
  const disbursements = useQuery({
    queryKey: ['finance', 'disbursements', 'list', { status: 'registered', ...paging.disbursement }],
    queryFn: () => unwrap(api.GET('/api/v1/disbursements', { params: { query: { status: 'registered', ...paging.disbursement } } })),
    placeholderData: keepPreviousData,
    // Registrations arrive from other desks: the queue refreshes itself while it is open.
    refetchInterval: REFRESH_MS,
  });
  const repayments = useQuery({
    queryKey: ['finance', 'repayments', 'list', { status: 'registered', ...paging.repayment }],
    queryFn: () => unwrap(api.GET('/api/v1/repayments', { params: { query: { status: 'registered', ...paging.repayment } } })),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
  const pagination = (kind: Kind, total: number | undefined) => ({
    current: paging[kind].page,
    pageSize: paging[kind].pageSize,
    total,
    onChange: (page: number, pageSize: number) => setPaging((p) => ({ ...p, [kind]: { page, pageSize } })),
  });
  const makerColumns = [
    { title: t('money.maker'), dataIndex: 'registeredByName' },
    { title: t('money.registeredAt'), dataIndex: 'registeredAt', render: formatDateTime },
  ];

  const disbursementTable = (
    <DataTable<Disbursement>
      rowKey="id"
      loading={disbursements.isFetching}
      dataSource={disbursements.data?.items}
      locale={{ emptyText: t('money.inboxEmpty') }}
      pagination={pagination('disbursement', disbursements.data?.total)}
      onRow={(d) => ({ 'data-testid': `inbox-disbursement-${d.id}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('money.contractNo'),
          dataIndex: 'contractNo',
          render: (no: string, d) => (
            <Link to={`/money/disbursements/${d.id}`} className="mono">
              {no}
            </Link>
          ),
        },
        { title: t('money.customer'), dataIndex: 'customerName' },
        { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
        { title: t('money.valueDate'), dataIndex: 'valueDate' },
        { title: t('money.payingAccount'), key: 'fund', render: (_: unknown, d) => `${d.fundAccountCode} ${d.fundAccountName}` },
        ...makerColumns,
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_: unknown, d) => <ActionCell kind="disbursement" item={d} onOpen={() => setOpen({ kind: 'disbursement', item: d })} />,
        },
      ]}
    />
  );
  const repaymentTable = (
    <DataTable<Repayment>
      rowKey="id"
      loading={repayments.isFetching}
      dataSource={repayments.data?.items}
      locale={{ emptyText: t('money.inboxEmpty') }}
      pagination={pagination('repayment', repayments.data?.total)}
      onRow={(r) => ({ 'data-testid': `inbox-repayment-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        {
          title: t('money.loanNo'),
          dataIndex: 'loanNo',
          render: (no: string, r) => (
            <Link to={`/money/repayments/${r.id}`} className="mono">
              {no}
            </Link>
          ),
        },
        { title: t('money.customer'), dataIndex: 'customerName' },
        { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (v: string) => <Amount value={v} /> },
        { title: t('money.channel'), dataIndex: 'channel', render: (c: string) => t(`money.channels.${c}`) },
        { title: t('money.arrivedOn'), dataIndex: 'valueDate' },
        { title: t('money.receivingAccount'), key: 'fund', render: (_: unknown, r) => `${r.fundAccountCode} ${r.fundAccountName}` },
        ...makerColumns,
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_: unknown, r) => <ActionCell kind="repayment" item={r} onOpen={() => setOpen({ kind: 'repayment', item: r })} />,
        },
      ]}
    />
  );

  return (
    <PageContainer title={t('money.inboxTitle')} subtitle={t('money.inboxSubtitle')} extra={<PageBusinessDate />}>
      <Card className="section-card detail-tabs" size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'repayment' ? { tab: 'repayments' } : {})}
          tabBarExtraContent={
            <Button
              size="small"
              icon={<ReloadOutlined />}
              loading={disbursements.isFetching || repayments.isFetching}
              onClick={() => {
                void disbursements.refetch();
                void repayments.refetch();
              }}
              data-testid="inbox-refresh"
            >
              {t('common.refresh')}
            </Button>
          }
          items={[
            {
              key: 'disbursement',
              label: (
                <span className="menu-count" data-testid="inbox-tab-disbursements">
                  {t('money.inboxDisbursements')}
                  <Badge count={disbursements.data?.total ?? 0} size="small" />
                </span>
              ),
              children: disbursementTable,
            },
            {
              key: 'repayment',
              label: (
                <span className="menu-count" data-testid="inbox-tab-repayments">
                  {t('money.inboxRepayments')}
                  <Badge count={repayments.data?.total ?? 0} size="small" />
                </span>
              ),
              children: repaymentTable,
            },
          ]}
        />
      </Card>
      {open && <CheckDrawer target={open} onClose={() => setOpen(null)} />}
    </PageContainer>
  );
}

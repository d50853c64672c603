import { Table } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { api, unwrap } from '../../../api/client';
import type { Loan } from '../../../api/finance';
import { Amount } from '../../money/shared';
import { LoanStatusTag, OverdueTag } from '../../money/loans/LoansPage';

/** The customer's loans (贷款) for the detail page's tab: read with loan:read. */
export function CustomerLoans({ customerId, empty }: { customerId: number; empty: ReactNode }) {
  const { t } = useTranslation();
  const { data, isLoading } = useQuery({
    queryKey: ['finance', 'loans', 'customer', customerId],
    queryFn: () => unwrap(api.GET('/api/v1/loans', { params: { query: { customerId, pageSize: 50 } } })),
  });
  if (!isLoading && (data?.items.length ?? 0) === 0) return <>{empty}</>;
  return (
    <Table<Loan>
      rowKey="id"
      size="small"
      loading={isLoading}
      pagination={false}
      scroll={{ x: true }}
      dataSource={data?.items ?? []}
      data-testid="customer-loans"
      columns={[
        { title: t('money.loanNo'), dataIndex: 'loanNo', render: (v: string, l) => <Link to={`/finance/loans/${l.id}`}>{v}</Link> },
        { title: t('common.status'), dataIndex: 'status', render: (_: unknown, l) => <LoanStatusTag status={l.status} /> },
        { title: t('money.principal'), dataIndex: 'principal', align: 'right', render: (v: string) => <Amount value={v} /> },
        { title: t('money.outstandingPrincipal'), dataIndex: 'outstandingPrincipal', align: 'right', render: (v: string) => <Amount value={v} /> },
        { title: t('money.valueDate'), dataIndex: 'valueDate' },
        { title: t('money.overdue'), key: 'overdue', render: (_: unknown, l) => <OverdueTag loan={l} /> },
      ]}
    />
  );
}

import { useState } from 'react';
import { Form, Input, Select, Space, Tag } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { LOAN_STATUSES, type Loan, type LoanQuery, type LoanStatus } from '../../../api/finance';
import { DataTable } from '../../../components/DataTable';
import { ListFilters } from '../../../components/ListFilters';
import { PageContainer } from '../../../components/PageContainer';
import { decimalToPercent } from '../../../lib/decimal';
import { STATUS_COLORS } from '../../../lib/finance';
import { compact } from '../../../lib/format';
import { ExportButton } from '../ExportButton';
import { Amount, PageBusinessDate } from '../shared';

interface Filters {
  q?: string;
  status?: LoanStatus;
  overdue?: 'yes';
}

export function LoanStatusTag({ status }: { status: LoanStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="loan-status">
      {t(`money.loanStatuses.${status}`)}
    </Tag>
  );
}

/** Days past due as a red tag, or nothing for a loan that is current. */
export function OverdueTag({ loan }: { loan: Pick<Loan, 'daysPastDue' | 'overdueInstallments'> }) {
  const { t } = useTranslation();
  if (loan.overdueInstallments <= 0) return <Tag color="success">{t('money.current')}</Tag>;
  return <Tag color="error">{t('money.overdueTag', { count: loan.overdueInstallments, days: loan.daysPastDue })}</Tag>;
}

/** 贷款台账 (and, filtered, 逾期台账): loans with their balances on the business date. */
export default function LoansPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>(() => (params.get('overdue') === 'true' ? { overdue: 'yes' } : {}));
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const filter = compact({ q: filters.q?.trim(), status: filters.status, overdue: filters.overdue === 'yes' ? true : undefined });
  const query: LoanQuery = { ...filter, ...paging };
  const list = useQuery({
    queryKey: ['finance', 'loans', 'list', query],
    queryFn: () => unwrap(api.GET('/api/v1/loans', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  return (
    <PageContainer title={t('money.loansTitle')} subtitle={t('money.loansSubtitle')} extra={
        <Space wrap>
          <PageBusinessDate />
          <ExportButton name="loans" query={filter} />
        </Space>
      }
    >
      <ListFilters<Filters>
        name="loanFilters"
        form={form}
        onSearch={(v) => {
          setFilters(v);
          setPaging((p) => ({ ...p, page: 1 }));
        }}
      >
        {[
          <Form.Item key="q" name="q" label={t('common.keyword')}>
            <Input allowClear placeholder={t('money.loanSearchHint')} />
          </Form.Item>,
          <Form.Item key="status" name="status" label={t('common.status')}>
            <Select allowClear placeholder={t('common.all')} options={LOAN_STATUSES.map((s) => ({ value: s, label: t(`money.loanStatuses.${s}`) }))} />
          </Form.Item>,
          <Form.Item key="overdue" name="overdue" label={t('money.overdueFilter')} initialValue={filters.overdue}>
            <Select allowClear placeholder={t('common.all')} options={[{ value: 'yes', label: t('money.overdueOnly') }]} />
          </Form.Item>,
        ]}
      </ListFilters>
      <DataTable<Loan>
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
          {
            title: t('money.loanNo'),
            dataIndex: 'loanNo',
            render: (no: string, l) => (
              <Link to={`/finance/loans/${l.id}`} className="mono" data-testid={`loan-link-${l.id}`}>
                {no}
              </Link>
            ),
          },
          { title: t('money.customer'), dataIndex: 'customerName' },
          { title: t('money.principal'), dataIndex: 'principal', align: 'right', render: (v: string) => <Amount value={v} /> },
          {
            title: t('money.outstandingPrincipal'),
            dataIndex: 'outstandingPrincipal',
            align: 'right',
            render: (v: string) => <Amount value={v} />,
          },
          { title: t('money.annualRate'), dataIndex: 'annualRate', render: (r: string) => `${decimalToPercent(r) ?? r}%` },
          { title: t('money.method'), dataIndex: 'method', render: (m: string) => t(`products.methods.${m}`) },
          { title: t('money.term'), dataIndex: 'termMonths', render: (n: number) => t('applications.months', { count: n }) },
          { title: t('money.valueDate'), dataIndex: 'valueDate' },
          { title: t('money.maturityDate'), dataIndex: 'maturityDate' },
          { title: t('money.overdue'), key: 'overdue', render: (_: unknown, l) => <OverdueTag loan={l} /> },
          { title: t('common.status'), dataIndex: 'status', render: (s: LoanStatus) => <LoanStatusTag status={s} /> },
        ]}
      />
    </PageContainer>
  );
}

import { useState } from 'react';
import { Button, Card, Descriptions, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { DollarOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useLoan, type LoanDetail, type LoanInstallment, type Repayment, type Voucher } from '../../../api/finance';
import { P } from '../../../access/permissions';
import { useAccess } from '../../../auth/hooks';
import { PageContainer } from '../../../components/PageContainer';
import { decimalToPercent } from '../../../lib/decimal';
import { INSTALLMENT_COLORS } from '../../../lib/finance';
import { formatDateTime } from '../../../lib/format';
import { Amount, PageBusinessDate, RepaymentAmount, RepaymentStatusTag, useMakerName } from '../shared';
import { LoanStatusTag, OverdueTag } from './LoansPage';
import { RepaymentDialog } from './RepaymentDialog';
import { PayoffQuote } from '../../books/payoff/PayoffQuote';
import { ClassificationCard } from '../../books/classification/ClassificationCard';

/** 贷款详情: the loan's terms, its sub-ledger, its installments on the business date, and the money received. */
export default function LoanDetailPage() {
  const { t, i18n } = useTranslation();
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { has } = useAccess();
  const detail = useLoan(id);
  const [repaying, setRepaying] = useState(false);
  if (detail.isPending)
    return (
      <PageContainer title={t('money.loanTitle')}>
        <Spin />
      </PageContainer>
    );
  if (detail.isError || !detail.data)
    return (
      <PageContainer title={t('money.loanTitle')}>
        <Empty description={translateError(detail.error, t, i18n)} />
      </PageContainer>
    );
  const d = detail.data;
  const l = d.loan;
  const figures = [
    { key: 'amountDue', label: t('money.amountDueOn', { date: d.asOf }), value: d.amountDue, strong: true },
    { key: 'outstanding', label: t('money.outstandingPrincipal'), value: l.outstandingPrincipal },
    { key: 'credit', label: t('money.creditBalance'), value: d.balances.creditBalance },
    { key: 'principal', label: t('money.principal'), value: l.principal },
  ];
  return (
    <PageContainer
      title={l.loanNo}
      subtitle={`${t('money.loanTitle')} · ${l.customerName} · ${l.contractNo}`}
      extra={
        <Space wrap>
          <LoanStatusTag status={l.status} />
          <OverdueTag loan={l} />
          <PageBusinessDate />
          {has(P.repaymentRegister) && l.status === 'active' && (
            <Button type="primary" icon={<DollarOutlined />} onClick={() => setRepaying(true)} data-testid="loan-repay">
              {t('money.registerRepayment')}
            </Button>
          )}
        </Space>
      }
    >
      <div className="figure-grid" data-testid="loan-figures">
        {figures.map((f) => (
          <div key={f.key} className={`figure ${f.strong ? 'figure-strong' : ''}`} data-testid={`loan-${f.key}`}>
            <div className="figure-label">{f.label}</div>
            <div className="figure-value">
              <Amount value={f.value} />
            </div>
          </div>
        ))}
      </div>
      <TermsCard detail={d} />
      <BalancesCard detail={d} />
      <InstallmentsCard detail={d} />
      <ClassificationCard loanId={l.id} />
      {l.status === 'active' && <PayoffQuote loanId={l.id} />}
      <RepaymentsCard loanId={l.id} />
      {has(P.ledgerRead) && <VouchersCard loanId={l.id} />}
      {repaying && (
        <RepaymentDialog
          loan={l}
          amountDue={d.amountDue}
          prepaymentDates={d.installments.slice(0, -1).map((i) => i.dueDate)}
          onClose={() => setRepaying(false)}
        />
      )}
    </PageContainer>
  );
}

function TermsCard({ detail: d }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const { has } = useAccess();
  const l = d.loan;
  const x = d.terms;
  return (
    <Card className="section-card" size="small" title={t('money.loanTerms')}>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }} className="detail-desc" data-testid="loan-terms">
        <Descriptions.Item label={t('money.principal')}>
          <Amount value={l.principal} /> {t('common.yuan')}
        </Descriptions.Item>
        <Descriptions.Item label={t('money.annualRate')}>{decimalToPercent(l.annualRate) ?? l.annualRate}%</Descriptions.Item>
        <Descriptions.Item label={t('money.method')}>{t(`products.methods.${l.method}`)}</Descriptions.Item>
        <Descriptions.Item label={t('money.term')}>{t('applications.months', { count: l.termMonths })}</Descriptions.Item>
        <Descriptions.Item label={t('money.valueDate')}>{l.valueDate}</Descriptions.Item>
        <Descriptions.Item label={t('money.maturityDate')}>{l.maturityDate}</Descriptions.Item>
        <Descriptions.Item label={t('money.contractNo')}>
          {has(P.contractRead) ? (
            <Link to={`/business/contracts/${l.contractId}`} className="mono">
              {l.contractNo}
            </Link>
          ) : (
            <span className="mono">{l.contractNo}</span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('money.customer')}>{l.customerName}</Descriptions.Item>
        <Descriptions.Item label={t('money.settledOn')}>{l.settledOn ?? '-'}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.dayBasis')}>{t('contracts.days', { count: x.dayBasis })}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.penalty')}>{t('contracts.penaltyText', { multiplier: x.penaltyMultiplier })}</Descriptions.Item>
        <Descriptions.Item label={t('contracts.graceDays')}>{t('contracts.days', { count: x.graceDays })}</Descriptions.Item>
        <Descriptions.Item label={t('money.periodFee')}>
          <Amount value={x.periodFee} />
        </Descriptions.Item>
        <Descriptions.Item label={t('money.vatRate')}>{decimalToPercent(x.vatRate) ?? x.vatRate}%</Descriptions.Item>
        <Descriptions.Item label={t('money.allocationOrder')}>
          {x.allocation.components.map((c) => t(`money.components.${c}`)).join(' → ')}
          <Typography.Text type="secondary">
            {' '}
            ({t(x.allocation.installmentByInstallment ? 'money.byInstallment' : 'money.byComponent')})
          </Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 分户账: the loan's own balances, which the reconciliation holds against the control accounts. */
function BalancesCard({ detail: d }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const b = d.balances;
  const rows: [string, string][] = [
    ['principalNormal', b.principalNormal],
    ['principalOverdue', b.principalOverdue],
    ['principalExtended', b.principalExtended],
    ['principalImpaired', b.principalImpaired],
    ['interestReceivable', b.interestReceivable],
    ['creditBalance', b.creditBalance],
  ];
  return (
    <Card className="section-card" size="small" title={t('money.subLedger')}>
      <Descriptions bordered size="small" column={{ xs: 1, sm: 2, md: 3 }} className="detail-desc" data-testid="loan-balances">
        {rows.map(([key, value]) => (
          <Descriptions.Item key={key} label={t(`money.balances.${key}`)}>
            <Amount value={value} />
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Card>
  );
}

function InstallmentsCard({ detail: d }: { detail: LoanDetail }) {
  const { t } = useTranslation();
  const money = (key: keyof LoanInstallment, title: string) => ({
    title,
    dataIndex: key,
    align: 'right' as const,
    render: (v: string) => <Amount value={v} />,
  });
  return (
    <Card className="section-card" size="small" title={t('money.installments', { date: d.asOf })}>
      <div className="table-scroll">
        <Table<LoanInstallment>
          size="small"
          rowKey="period"
          className="schedule-table"
          data-testid="loan-installments"
          dataSource={d.installments}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(i) => ({ 'data-testid': `installment-${i.period}`, 'data-status': i.status }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('calculator.period'), dataIndex: 'period', align: 'center', width: 56 },
            { title: t('calculator.dueDate'), dataIndex: 'dueDate' },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: LoanInstallment['status']) => <Tag color={INSTALLMENT_COLORS[s]}>{t(`money.installmentStatuses.${s}`)}</Tag>,
            },
            money('principal', t('calculator.principalCol')),
            money('interest', t('calculator.interestCol')),
            money('fees', t('money.fees')),
            money('paidPrincipal', t('money.paidPrincipal')),
            money('paidInterest', t('money.paidInterest')),
            money('paidFees', t('money.paidFees')),
            money('penaltyDue', t('money.penaltyDue')),
            money('compoundDue', t('money.compoundDue')),
            money('paidPenalty', t('money.paidPenalty')),
            money('paidCompound', t('money.paidCompound')),
            money('outstanding', t('money.installmentOutstanding')),
            { title: t('money.settledOn'), dataIndex: 'settledOn', render: (v: string | null) => v ?? '-' },
          ]}
        />
      </div>
      <Typography.Paragraph type="secondary" className="flow-help">
        {t('money.installmentsHelp')}
      </Typography.Paragraph>
    </Card>
  );
}

function RepaymentsCard({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const maker = useMakerName();
  const list = useQuery({
    queryKey: ['finance', 'repayments', 'of-loan', loanId],
    queryFn: () => unwrap(api.GET('/api/v1/repayments', { params: { query: { loanId, page: 1, pageSize: 200 } } })),
  });
  return (
    <Card className="section-card" size="small" title={t('money.loanRepayments')}>
      <div className="table-scroll">
        <Table<Repayment>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="loan-repayments"
          locale={{ emptyText: t('money.noRepayments') }}
          columns={[
            {
              title: t('money.arrivedOn'),
              dataIndex: 'valueDate',
              render: (v: string, r) => (
                <Link to={`/money/repayments/${r.id}`} data-testid={`repayment-link-${r.id}`}>
                  {v}
                </Link>
              ),
            },
            { title: t('money.amount'), dataIndex: 'amount', align: 'right', render: (_: string, r) => <RepaymentAmount repayment={r} /> },
            { title: t('money.channel'), dataIndex: 'channel', render: (c: string) => t(`money.channels.${c}`) },
            { title: t('common.status'), dataIndex: 'status', render: (s: Repayment['status']) => <RepaymentStatusTag status={s} /> },
            { title: t('money.maker'), dataIndex: 'registeredByName', render: (_: string | null, r) => maker(r) },
            { title: t('money.checker'), dataIndex: 'confirmedByName', render: (v: string | null) => v ?? '-' },
            { title: t('money.registeredAt'), dataIndex: 'registeredAt', render: formatDateTime },
          ]}
        />
      </div>
    </Card>
  );
}

function VouchersCard({ loanId }: { loanId: number }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['finance', 'vouchers', 'of-loan', loanId],
    queryFn: () => unwrap(api.GET('/api/v1/vouchers', { params: { query: { loanId, page: 1, pageSize: 200 } } })),
  });
  return (
    <Card className="section-card" size="small" title={t('money.loanVouchers')}>
      <div className="table-scroll">
        <Table<Voucher>
          size="small"
          rowKey="id"
          loading={list.isFetching}
          dataSource={list.data?.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('money.voucherNo'),
              dataIndex: 'voucherNo',
              render: (no: string, v) => (
                <Link to={`/money/vouchers/${v.id}`} className="mono">
                  {no}
                </Link>
              ),
            },
            { title: t('money.voucherDate'), dataIndex: 'voucherDate' },
            { title: t('money.summary'), dataIndex: 'summary' },
            { title: t('money.total'), dataIndex: 'total', align: 'right', render: (v: string) => <Amount value={v} /> },
          ]}
        />
      </div>
    </Card>
  );
}

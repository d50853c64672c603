import { Alert, Button, Descriptions, Spin, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ApiError, translateError, translateFieldError } from '../../../api/errors';
import type { components } from '../../../api/schema';
import { MONEY_PATTERN } from '../../customers/shared';
import { Amount } from '../shared';

export type PrepaymentPlan = components['schemas']['PrepaymentPlan'];
export type Reamortisation = PrepaymentPlan['reamortisation'];
export const REAMORTISATIONS: Reamortisation[] = ['keep_term', 'keep_installment'];

type Quote = { kind: 'payoff'; date: string } | { kind: 'prepayment'; date: string; principal?: string; mode?: Reamortisation };

/**
 * The early-repayment quote inside the repayment registration (提前结清试算 / 提前还款试算): what
 * the borrower must bring on the value date, with a button that puts it in the amount field. For
 * a partial prepayment it also shows the schedule before and after.
 */
export function EarlyRepaymentQuote({ loanId, quote, onUseAmount }: { loanId: number; quote: Quote; onUseAmount: (amount: string) => void }) {
  const { t, i18n } = useTranslation();
  const principal = quote.kind === 'prepayment' ? quote.principal?.trim() : undefined;
  const mode = quote.kind === 'prepayment' ? quote.mode : undefined;
  const ready = quote.kind === 'payoff' || (!!principal && MONEY_PATTERN.test(principal) && !!mode);
  const q = useQuery({
    queryKey: ['money', 'early-repayment-quote', loanId, quote.kind, quote.date, principal, mode],
    queryFn: async (): Promise<{ amount: string; plan?: PrepaymentPlan; due: string; fee: string }> => {
      if (quote.kind === 'payoff') {
        const f = await unwrap(api.GET('/api/v1/loans/{id}/payoff-quote', { params: { path: { id: loanId }, query: { date: quote.date } } }));
        return { amount: f.payoffAmount, due: f.dueAmount, fee: f.fee };
      }
      const plan = await unwrap(
        api.GET('/api/v1/loans/{id}/prepayment-quote', {
          params: { path: { id: loanId }, query: { date: quote.date, principal: principal ?? '', reamortisation: mode ?? 'keep_term' } },
        }),
      );
      return { amount: plan.amount, plan, due: plan.dueAmount, fee: plan.fee };
    },
    enabled: ready && loanId > 0,
    retry: false,
  });
  const title = t(quote.kind === 'payoff' ? 'money.quote.payoffTitle' : 'money.quote.prepaymentTitle', { date: quote.date });
  if (!ready)
    return <Alert className="check-note" type="info" showIcon title={t('money.quote.needsPrincipal')} data-testid="early-quote-waiting" />;
  if (q.isPending) return <Spin />;
  if (q.isError) {
    // The quote's refusals name what to change (the day, the principal), so they show as said.
    const fields = q.error instanceof ApiError ? q.error.fieldErrors : [];
    const title = fields.length ? fields.map((f) => translateFieldError(f, t, i18n)).join('；') : translateError(q.error, t, i18n);
    return <Alert className="check-note" type="warning" showIcon title={title} data-testid="early-quote-error" />;
  }
  const { amount, plan, due, fee } = q.data;
  return (
    <div className="check-note" data-testid="early-quote">
      <Typography.Text strong>{title}</Typography.Text>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('money.quote.due')}>
          <Amount value={due} testId="early-quote-due" />
        </Descriptions.Item>
        {plan && (
          <Descriptions.Item label={t('money.prepaidPrincipal')}>
            <Amount value={plan.prepaidPrincipal} />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('money.quote.fee')}>
          <Amount value={fee} testId="early-quote-fee" />
        </Descriptions.Item>
        <Descriptions.Item label={t('money.quote.total')}>
          <Amount value={amount} strong testId="early-quote-total" /> {t('common.yuan')}{' '}
          <Button size="small" type="link" onClick={() => onUseAmount(amount)} data-testid="early-quote-use">
            {t('money.quote.useAmount')}
          </Button>
        </Descriptions.Item>
      </Descriptions>
      {plan && <PlanComparison plan={plan} />}
    </div>
  );
}

/** The schedule a prepayment leaves: before and after, then the new installments. */
export function PlanComparison({ plan }: { plan: PrepaymentPlan }) {
  const { t } = useTranslation();
  const rows = [
    { key: 'balance', label: t('money.quote.balance'), before: <Amount value={plan.balanceBefore} />, after: <Amount value={plan.balanceAfter} /> },
    { key: 'installment', label: t('money.quote.installment'), before: <Amount value={plan.installmentBefore} />, after: <Amount value={plan.installmentAfter} /> },
    { key: 'periods', label: t('money.quote.periods'), before: plan.periodsBefore, after: plan.periodsAfter },
    { key: 'maturity', label: t('money.quote.maturity'), before: plan.maturityBefore, after: plan.maturityAfter },
  ];
  return (
    <>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        data-testid="early-quote-comparison"
        columns={[
          { title: '', dataIndex: 'label' },
          { title: t('money.quote.before'), dataIndex: 'before', align: 'right' },
          { title: t('money.quote.after'), dataIndex: 'after', align: 'right', onCell: (r) => ({ 'data-testid': `early-quote-after-${r.key}` }) as object },
        ]}
      />
      <details className="check-note">
        <summary>{t('money.quote.schedule')}</summary>
        <div className="table-scroll">
          <Table
            size="small"
            rowKey="period"
            pagination={false}
            dataSource={plan.schedule}
            data-testid="early-quote-schedule"
            columns={[
              { title: t('calculator.period'), dataIndex: 'period', align: 'center', width: 64 },
              { title: t('calculator.dueDate'), dataIndex: 'dueDate' },
              { title: t('money.components.principal'), dataIndex: 'principal', align: 'right', render: (v: string) => <Amount value={v} /> },
              { title: t('money.components.interest'), dataIndex: 'interest', align: 'right', render: (v: string) => <Amount value={v} /> },
              { title: t('money.quote.installment'), dataIndex: 'total', align: 'right', render: (v: string) => <Amount value={v} /> },
            ]}
          />
        </div>
      </details>
    </>
  );
}

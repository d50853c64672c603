import { useState } from 'react';
import { Alert, Card, DatePicker, Descriptions, Spin, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, translateError } from '../../../api/errors';
import { amountInWords } from '../../../lib/amounts';
import { booksApi, unwrap, useBusinessDate, type PayoffFigures } from '../api/client';
import { Amount, DAY } from '../shared';

/**
 * 提前结清试算: what paying a loan off in full on a date takes — (a) everything due and unpaid,
 * (b) the principal not yet due, (c) its interest from the last due date to the payoff date, (d)
 * the prepayment fee, and their total. A card for the loan page: `<PayoffQuote loanId={id} />`.
 */
export function PayoffQuote({ loanId, date: initialDate, bordered = true }: { loanId: number; date?: string; bordered?: boolean }) {
  const { t, i18n } = useTranslation();
  const businessDate = useBusinessDate();
  const [chosen, setChosen] = useState<string | undefined>(initialDate);
  const date = chosen ?? businessDate.data;
  const quote = useQuery({
    queryKey: ['books', 'payoff-quote', loanId, date],
    queryFn: () => unwrap(booksApi.GET('/api/v1/loans/{id}/payoff-quote', { params: { path: { id: loanId }, query: { date: date ?? '' } } })),
    enabled: !!date && loanId > 0,
    retry: false,
  });

  let body: React.ReactNode;
  if (!date || quote.isPending) body = <Spin />;
  else if (quote.isError)
    body = (
      <Alert
        type={quote.error instanceof ApiError && quote.error.code === 'loan_not_active' ? 'info' : 'error'}
        showIcon
        data-testid="books-payoff-error"
        title={translateError(quote.error, t, i18n)}
      />
    );
  else body = <Figures q={quote.data} />;

  return (
    <Card
      size="small"
      variant={bordered ? 'outlined' : 'borderless'}
      className="section-card"
      data-testid="books-payoff-quote"
      title={t('books.payoff.title')}
      extra={
        <DatePicker
          allowClear={false}
          value={date ? dayjs(date) : undefined}
          onChange={(d) => d && setChosen(d.format(DAY))}
          aria-label={t('books.payoff.date')}
          data-testid="books-payoff-date"
        />
      }
    >
      {body}
    </Card>
  );
}

function Figures({ q }: { q: PayoffFigures }) {
  const { t } = useTranslation();
  const words = amountInWords(q.payoffAmount);
  return (
    <>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('books.payoff.due')}>
          <Amount value={q.dueAmount} testId="books-payoff-due" />
        </Descriptions.Item>
        <Descriptions.Item label={t('books.payoff.remainingPrincipal')}>
          <Amount value={q.remainingPrincipal} testId="books-payoff-principal" />
        </Descriptions.Item>
        <Descriptions.Item label={t('books.payoff.interest')}>
          <Amount value={q.accruedInterest} testId="books-payoff-interest" />
          <Typography.Text type="secondary" data-testid="books-payoff-days">
            {' '}
            {t('books.payoff.interestDays', { from: q.interestFrom, to: q.date, days: q.accruedDays })}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('books.payoff.fee')}>
          <Amount value={q.fee} testId="books-payoff-fee" />
        </Descriptions.Item>
        <Descriptions.Item label={t('books.payoff.total')}>
          <span className="books-payoff-total">
            <Amount value={q.payoffAmount} strong testId="books-payoff-total" /> {t('common.yuan')}
          </span>
          {words && <div className="muted">{words}</div>}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" className="section-card">
        {t('books.payoff.help', { date: q.date })}
      </Typography.Paragraph>
    </>
  );
}

export default PayoffQuote;

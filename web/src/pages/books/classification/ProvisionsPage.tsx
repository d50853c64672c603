import { useState } from 'react';
import { Alert, DatePicker, Empty, Table, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { PageContainer } from '../../../components/PageContainer';
import { decimalToPercent } from '../../../lib/decimal';
import { booksApi, booksKeys, unwrap, type ProvisionLine, type RiskClass } from '../api/client';
import { addAmounts } from '../lib/fen';
import { Amount, DAY } from '../shared';
import { ClassTag } from './ClassificationCard';

/**
 * 贷款损失准备: a month-end provision run by class (loans, balance, rate, allowance) with the
 * totals, the general allowance, non-performing loans and their coverage. The latest run unless a
 * date is picked.
 */
export default function ProvisionsPage() {
  const { t, i18n } = useTranslation();
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const query = asOf ? { asOf: asOf.format(DAY) } : {};
  const report = useQuery({
    queryKey: [...booksKeys.provisions, query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/provisions', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  const shown = r?.asOf ? dayjs(r.asOf) : null;
  const loans = (r?.lines ?? []).reduce((n, l) => n + l.loans, 0);
  const figures = r
    ? [
        { key: 'gross', label: t('books.provisions.grossLoans'), value: <Amount value={r.grossLoans} /> },
        { key: 'specific', label: t('books.provisions.specific'), value: <Amount value={r.specificAllowance} /> },
        { key: 'general', label: t('books.provisions.general'), value: <Amount value={r.generalAllowance} /> },
        { key: 'total', label: t('books.provisions.totalAllowance'), value: <Amount value={addAmounts([r.specificAllowance, r.generalAllowance])} /> },
        { key: 'npl', label: t('books.provisions.nonPerforming'), value: <Amount value={r.nonPerforming} /> },
        {
          key: 'coverage',
          label: t('books.provisions.coverage'),
          value: r.coveragePct ? `${r.coveragePct}%` : <span className="muted">{t('books.provisions.noNpl')}</span>,
          strong: true,
        },
      ]
    : [];
  return (
    <PageContainer
      title={t('books.provisions.title')}
      subtitle={t('books.provisions.subtitle')}
      extra={
        <span>
          {t('books.provisions.asOf')}{' '}
          <DatePicker
            value={asOf ?? shown}
            onChange={(d) => setAsOf(d)}
            placeholder={t('books.provisions.latest')}
            data-testid="provisions-as-of"
          />
        </span>
      }
    >
      {report.isError && <Alert className="section-card" type="error" showIcon title={translateError(report.error, t, i18n)} />}
      {r && !r.asOf && <Empty description={t('books.provisions.none')} data-testid="provisions-none" />}
      {r?.asOf && (
        <>
          <Typography.Paragraph data-testid="provisions-shown">{t('books.provisions.shown', { date: r.asOf })}</Typography.Paragraph>
          <div className="figure-grid" data-testid="provisions-figures">
            {figures.map((f) => (
              <div key={f.key} className={`figure ${f.strong ? 'figure-strong' : ''}`} data-testid={`provisions-${f.key}`}>
                <div className="figure-label">{f.label}</div>
                <div className="figure-value">{f.value}</div>
              </div>
            ))}
          </div>
          <div className="table-scroll section-card">
            <Table<ProvisionLine>
              size="small"
              rowKey="classification"
              dataSource={r.lines}
              pagination={false}
              scroll={{ x: 'max-content' }}
              loading={report.isFetching}
              data-testid="provisions-lines"
              onRow={(l) => ({ 'data-testid': `provisions-line-${l.classification}` }) as React.HTMLAttributes<HTMLElement>}
              columns={[
                { title: t('books.provisions.class'), dataIndex: 'classification', render: (v: RiskClass) => <ClassTag value={v} /> },
                { title: t('books.provisions.loans'), dataIndex: 'loans', align: 'right' },
                { title: t('books.provisions.balance'), dataIndex: 'balance', align: 'right', render: (v: string) => <Amount value={v} /> },
                { title: t('books.provisions.rate'), dataIndex: 'rate', align: 'right', render: (v: string) => `${decimalToPercent(v) ?? v}%` },
                { title: t('books.provisions.allowance'), dataIndex: 'allowance', align: 'right', render: (v: string) => <Amount value={v} /> },
              ]}
              summary={() => (
                <Table.Summary.Row className="books-row-total" data-testid="provisions-sum">
                  <Table.Summary.Cell index={0}>{t('books.provisions.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {loans}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <Amount value={r.grossLoans} strong />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} />
                  <Table.Summary.Cell index={4} align="right">
                    <Amount value={r.specificAllowance} strong />
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </div>
        </>
      )}
      <Typography.Paragraph type="secondary" className="flow-help" data-testid="provisions-rates">
        {t('books.provisions.rates')}
      </Typography.Paragraph>
    </PageContainer>
  );
}

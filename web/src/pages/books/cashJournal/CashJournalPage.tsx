import { useMemo, useState } from 'react';
import { Alert, DatePicker, Empty, Select, Spin, Table, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { PageContainer } from '../../../components/PageContainer';
import { booksApi, unwrap, useAccounts, useBusinessDate, type FundSummaryRow, type JournalEntry } from '../api/client';
import { addAmounts } from '../lib/fen';
import { accountLabel, Amount, DAY, ExportButtons, fundAccounts } from '../shared';

type Range = [Dayjs, Dayjs];
type Row =
  | { kind: 'opening'; balance: string }
  | { kind: 'entry'; entry: JournalEntry; index: number }
  | { kind: 'total'; debit: string; credit: string }
  | { kind: 'closing'; balance: string };

/** The month so far: from the first of the business date's month to the business date. */
function defaultRange(today: string | undefined): Range | undefined {
  if (!today) return undefined;
  const d = dayjs(today);
  return [d.startOf('month'), d];
}

/**
 * 资金日记账 and 资金汇总: one cash or bank account's postings over a range with the running
 * balance (opening, each entry's 收入 / 支出, totals, closing), and every fund account's
 * opening, receipts, payments and closing over the same range; each as XLSX or PDF.
 */
export default function CashJournalPage() {
  const { t } = useTranslation();
  const businessDate = useBusinessDate();
  const chart = useAccounts();
  const accounts = useMemo(() => fundAccounts(chart.data, true), [chart.data]);
  const [code, setCode] = useState<string>();
  const [range, setRange] = useState<Range>();
  const r = range ?? defaultRange(businessDate.data);
  const from = r?.[0].format(DAY);
  const to = r?.[1].format(DAY);
  const account = code ?? accounts[0]?.code;

  return (
    <PageContainer title={t('books.cash.title')} subtitle={t('books.cash.subtitle')}>
      <div className="books-toolbar">
        <span>
          {t('books.cash.range')}{' '}
          <DatePicker.RangePicker
            allowClear={false}
            value={r}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="books-cash-range"
          />
        </span>
      </div>
      <Tabs
        items={[
          {
            key: 'journal',
            label: t('books.cash.journal'),
            children: (
              <>
                <div className="books-toolbar">
                  <Select<string>
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ minWidth: 260 }}
                    placeholder={t('books.cash.account')}
                    loading={chart.isLoading}
                    value={account}
                    onChange={setCode}
                    options={accounts.map((a) => ({ value: a.code, label: accountLabel(a) }))}
                    notFoundContent={t('books.cash.noFundAccounts')}
                    data-testid="books-cash-account"
                  />
                  <ExportButtons target={account && from && to ? { kind: 'cash-journal', code: account, from, to } : null} />
                </div>
                {account && from && to ? <Journal code={account} from={from} to={to} /> : chart.isLoading ? <Spin /> : <Empty description={t('books.cash.noFundAccounts')} />}
              </>
            ),
          },
          {
            key: 'summary',
            label: t('books.cash.summary'),
            children: from && to ? <FundSummary from={from} to={to} /> : <Spin />,
          },
        ]}
      />
    </PageContainer>
  );
}

function Journal({ code, from, to }: { code: string; from: string; to: string }) {
  const { t, i18n } = useTranslation();
  const journal = useQuery({
    queryKey: ['books', 'cash-journal', code, from, to],
    queryFn: () => unwrap(booksApi.GET('/api/v1/cash-journal/{code}', { params: { path: { code }, query: { from, to } } })),
  });
  if (journal.isPending) return <Spin />;
  if (journal.isError) return <Alert type="error" showIcon title={translateError(journal.error, t, i18n)} />;
  const j = journal.data;
  const rows: Row[] = [
    { kind: 'opening', balance: j.opening },
    ...j.entries.map((entry, index) => ({ kind: 'entry' as const, entry, index })),
    { kind: 'total', debit: j.totalDebit, credit: j.totalCredit },
    { kind: 'closing', balance: j.closing },
  ];
  const key = (row: Row) => (row.kind === 'entry' ? `e${row.index}` : row.kind);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('books.cash.journalOf', { account: `${j.accountCode} ${j.accountName}`, from: j.from, to: j.to })}
      </Typography.Paragraph>
      <div className="table-scroll">
        <Table<Row>
          size="small"
          rowKey={key}
          pagination={false}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          rowClassName={(row) => (row.kind === 'entry' ? '' : 'books-row-total')}
          onRow={(row) => ({ 'data-testid': `books-journal-${key(row)}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('books.cash.date'),
              key: 'date',
              render: (_: unknown, row) => (row.kind === 'entry' ? row.entry.voucherDate : row.kind === 'opening' ? from : row.kind === 'closing' ? to : ''),
            },
            {
              title: t('books.cash.voucherNo'),
              key: 'voucherNo',
              render: (_: unknown, row) =>
                row.kind === 'entry' ? (
                  <Link to={`/money/vouchers/${row.entry.voucherId}`} className="mono">
                    {row.entry.voucherNo}
                  </Link>
                ) : null,
            },
            {
              title: t('books.cash.summaryText'),
              key: 'summary',
              render: (_: unknown, row) =>
                row.kind === 'entry' ? (
                  <span className="wrap-cell">
                    {row.entry.summary}
                    {row.entry.memo && row.entry.memo !== row.entry.summary && <Typography.Text type="secondary"> · {row.entry.memo}</Typography.Text>}
                  </span>
                ) : (
                  <strong>{t(`books.cash.${row.kind}`)}</strong>
                ),
            },
            {
              title: t('books.cash.receipts'),
              key: 'debit',
              align: 'right',
              render: (_: unknown, row) => (row.kind === 'entry' ? <Amount value={row.entry.debit} /> : row.kind === 'total' ? <Amount value={row.debit} strong testId="books-journal-total-debit" /> : null),
            },
            {
              title: t('books.cash.payments'),
              key: 'credit',
              align: 'right',
              render: (_: unknown, row) => (row.kind === 'entry' ? <Amount value={row.entry.credit} /> : row.kind === 'total' ? <Amount value={row.credit} strong testId="books-journal-total-credit" /> : null),
            },
            {
              title: t('books.cash.balance'),
              key: 'balance',
              align: 'right',
              render: (_: unknown, row) =>
                row.kind === 'entry' ? (
                  <Amount value={row.entry.balance} />
                ) : row.kind === 'opening' || row.kind === 'closing' ? (
                  <Amount value={row.balance} strong testId={`books-journal-${row.kind}-balance`} />
                ) : null,
            },
          ]}
        />
      </div>
      {j.entries.length === 0 && <Typography.Text type="secondary">{t('books.cash.noEntries')}</Typography.Text>}
    </>
  );
}

function FundSummary({ from, to }: { from: string; to: string }) {
  const { t, i18n } = useTranslation();
  const summary = useQuery({
    queryKey: ['books', 'fund-summary', from, to],
    queryFn: () => unwrap(booksApi.GET('/api/v1/fund-summary', { params: { query: { from, to } } })),
  });
  const rows = summary.data ?? [];
  const total = (pick: (r: FundSummaryRow) => string) => addAmounts(rows.map(pick)) ?? '-';
  return (
    <>
      <div className="books-toolbar">
        <Typography.Text type="secondary">{t('books.cash.summaryOf', { from, to })}</Typography.Text>
        <ExportButtons target={{ kind: 'fund-summary', from, to }} />
      </div>
      {summary.isError && <Alert type="error" showIcon title={translateError(summary.error, t, i18n)} />}
      <div className="table-scroll">
        <Table<FundSummaryRow>
          size="small"
          rowKey="accountCode"
          loading={summary.isPending}
          pagination={false}
          dataSource={rows}
          scroll={{ x: 'max-content' }}
          onRow={(r) => ({ 'data-testid': `books-fund-${r.accountCode}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('books.cash.account'), key: 'account', render: (_: unknown, r) => <span className="mono">{`${r.accountCode} ${r.accountName}`}</span> },
            { title: t('books.cash.opening'), dataIndex: 'opening', align: 'right', render: (v: string) => <Amount value={v} /> },
            { title: t('books.cash.receipts'), dataIndex: 'debit', align: 'right', render: (v: string) => <Amount value={v} /> },
            { title: t('books.cash.payments'), dataIndex: 'credit', align: 'right', render: (v: string) => <Amount value={v} /> },
            { title: t('books.cash.closing'), dataIndex: 'closing', align: 'right', render: (v: string) => <Amount value={v} /> },
          ]}
          summary={() =>
            rows.length > 1 ? (
              <Table.Summary.Row className="books-row-total">
                <Table.Summary.Cell index={0}>{t('books.cash.total')}</Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <Amount value={total((r) => r.opening)} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={2} align="right">
                  <Amount value={total((r) => r.debit)} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <Amount value={total((r) => r.credit)} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <Amount value={total((r) => r.closing)} strong testId="books-fund-total-closing" />
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </div>
    </>
  );
}

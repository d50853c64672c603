import { useState } from 'react';
import { Alert, Card, DatePicker, Empty, Form, Input, Radio, Space, Table, Tabs, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { translateError } from '../../../api/errors';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { booksApi, unwrap, useBusinessDate, type AdbLine, type QualityLine } from '../api/client';
import { defaultAdbPeriod } from '../lib/balances';
import { ClassTag } from '../classification/ClassificationCard';
import { Amount, DAY } from '../shared';

const ID = /^\s*[1-9]\d{0,17}\s*$/;

/**
 * 日均余额与资产质量: the average daily balance of principal over a period, per product or per
 * loan, and the portfolio's quality at the end of a closed day by class and product — both from
 * the daily close's balance snapshots.
 */
export default function BalanceReportsPage() {
  const { t } = useTranslation();
  return (
    <PageContainer title={t('books.balances.title')} subtitle={t('books.balances.subtitle')}>
      <Tabs
        items={[
          { key: 'adb', label: t('books.balances.adbTab'), children: <AverageDailyBalance /> },
          { key: 'quality', label: t('books.balances.qualityTab'), children: <PortfolioQuality /> },
        ]}
      />
    </PageContainer>
  );
}

function AverageDailyBalance() {
  const { t, i18n } = useTranslation();
  const today = useBusinessDate().data;
  const [period, setPeriod] = useState<[Dayjs, Dayjs] | null>(null);
  const [groupBy, setGroupBy] = useState<'product' | 'loan'>('product');
  const [loanText, setLoanText] = useState('');
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const fallback = today ? defaultAdbPeriod(today) : null;
  const shown = period ?? (fallback ? ([dayjs(fallback.from), dayjs(fallback.to)] as [Dayjs, Dayjs]) : null);
  const loanId = ID.test(loanText) ? Number(loanText) : undefined;
  const query = shown ? { from: shown[0].format(DAY), to: shown[1].format(DAY), groupBy, ...(loanId ? { loanId } : {}), ...paging } : null;
  const report = useQuery({
    queryKey: ['books', 'average-daily-balance', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/reports/average-daily-balance', { params: { query: query! } })),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  return (
    <>
      <Card size="small" className="filter-card">
        <Space wrap>
          <span>{t('books.balances.period')}</span>
          <DatePicker.RangePicker
            value={shown}
            onChange={(v) => {
              if (v?.[0] && v[1]) setPeriod([v[0], v[1]]);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
            data-testid="adb-period"
          />
          <Radio.Group
            value={groupBy}
            onChange={(e) => {
              setGroupBy(e.target.value);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
            optionType="button"
            options={[
              { value: 'product', label: t('books.balances.byProduct') },
              { value: 'loan', label: t('books.balances.byLoan') },
            ]}
            data-testid="adb-group-by"
          />
          <Form.Item noStyle>
            <Input
              allowClear
              className="mono"
              inputMode="numeric"
              placeholder={t('books.balances.loanId')}
              value={loanText}
              onChange={(e) => setLoanText(e.target.value)}
              style={{ width: 160 }}
              data-testid="adb-loan"
            />
          </Form.Item>
        </Space>
      </Card>
      {report.isError && <Alert className="section-card" type="error" showIcon title={translateError(report.error, t, i18n)} />}
      {r && (
        <Typography.Paragraph data-testid="adb-total">
          {t('books.balances.adbTotal', { from: r.from, to: r.to, days: r.days })} <Amount value={r.averageDailyBalance} strong />
        </Typography.Paragraph>
      )}
      <DataTable<AdbLine>
        rowKey={(l) => `${l.productCode}-${l.loanId ?? ''}`}
        loading={report.isFetching}
        dataSource={r?.items}
        locale={{ emptyText: t('books.balances.none') }}
        onRow={(l) => ({ 'data-testid': `adb-row-${l.loanId ?? l.productCode}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: paging.page, pageSize: paging.pageSize, total: r?.total, onChange: (page, pageSize) => setPaging({ page, pageSize }) }}
        columns={[
          { title: t('books.balances.product'), dataIndex: 'productCode', render: (v: string) => <span className="mono">{v}</span> },
          ...(groupBy === 'loan' ? [{ title: t('books.balances.loanNo'), dataIndex: 'loanNo', render: (v: string | null) => <span className="mono">{v ?? '-'}</span> }] : []),
          { title: t('books.balances.balanceDays'), dataIndex: 'balanceDays', align: 'right', render: (v: string) => <Amount value={v} /> },
          { title: t('books.balances.adb'), dataIndex: 'averageDailyBalance', align: 'right', render: (v: string) => <Amount value={v} strong /> },
        ]}
      />
    </>
  );
}

function PortfolioQuality() {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState<Dayjs | null>(null);
  const query = date ? { date: date.format(DAY) } : {};
  const report = useQuery({
    queryKey: ['books', 'portfolio-quality', query],
    queryFn: () => unwrap(booksApi.GET('/api/v1/reports/portfolio-quality', { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const r = report.data;
  const columns = (withProduct: boolean) => [
    ...(withProduct ? [{ title: t('books.balances.product'), dataIndex: 'productCode', render: (v: string | null) => <span className="mono">{v}</span> }] : []),
    { title: t('books.balances.class'), dataIndex: 'classification', render: (v: QualityLine['classification']) => <ClassTag value={v} /> },
    { title: t('books.balances.loans'), dataIndex: 'loanCount', align: 'right' as const },
    { title: t('books.balances.principal'), dataIndex: 'principalOutstanding', align: 'right' as const, render: (v: string) => <Amount value={v} /> },
    { title: t('books.balances.overdue'), dataIndex: 'principalOverdue', align: 'right' as const, render: (v: string) => <Amount value={v} /> },
    { title: t('books.balances.interest'), dataIndex: 'interestReceivable', align: 'right' as const, render: (v: string) => <Amount value={v} /> },
    { title: t('books.balances.share'), dataIndex: 'sharePct', align: 'right' as const, render: (v: string) => `${v}%` },
  ];
  return (
    <>
      <Card size="small" className="filter-card">
        <Space>
          <span>{t('books.balances.asOf')}</span>
          <DatePicker value={date ?? (r?.date ? dayjs(r.date) : null)} onChange={setDate} placeholder={t('books.balances.latest')} data-testid="quality-date" />
        </Space>
      </Card>
      {report.isError && <Alert className="section-card" type="error" showIcon title={translateError(report.error, t, i18n)} />}
      {r && r.byProduct.length === 0 && <Empty description={t('books.balances.noQuality')} data-testid="quality-none" />}
      {r && r.byProduct.length > 0 && (
        <>
          <Typography.Paragraph data-testid="quality-shown">{t('books.balances.qualityShown', { date: r.date })}</Typography.Paragraph>
          <div className="table-scroll section-card">
            <Table<QualityLine>
              size="small"
              rowKey="classification"
              dataSource={r.byClass}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="quality-by-class"
              onRow={(l) => ({ 'data-testid': `quality-class-${l.classification}` }) as React.HTMLAttributes<HTMLElement>}
              columns={columns(false)}
              summary={() => (
                <Table.Summary.Row className="books-row-total" data-testid="quality-total">
                  <Table.Summary.Cell index={0}>{t('books.balances.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    {r.total.loanCount}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">
                    <Amount value={r.total.principalOutstanding} strong />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">
                    <Amount value={r.total.principalOverdue} strong />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    <Amount value={r.total.interestReceivable} strong />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">
                    {`${r.total.sharePct}%`}
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              )}
            />
          </div>
          <Typography.Title level={5}>{t('books.balances.byProductTitle')}</Typography.Title>
          <div className="table-scroll section-card">
            <Table<QualityLine>
              size="small"
              rowKey={(l) => `${l.productCode}-${l.classification}`}
              dataSource={r.byProduct}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="quality-by-product"
              onRow={(l) => ({ 'data-testid': `quality-product-${l.productCode}-${l.classification}` }) as React.HTMLAttributes<HTMLElement>}
              columns={columns(true)}
            />
          </div>
        </>
      )}
    </>
  );
}

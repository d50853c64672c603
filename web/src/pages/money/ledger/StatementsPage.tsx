import { Alert, Button, Card, Col, DatePicker, Row, Space, Spin, Table, Tabs, Tag } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useBusinessDate, type BalanceSheet, type IncomeLine, type IncomeStatement, type StatementLine } from '../../../api/finance';
import { PageContainer } from '../../../components/PageContainer';
import { periodOf } from '../../../lib/finance';
import { formatMoney } from '../../../lib/money';
import { ExportButton } from '../ExportButton';
import { PageBusinessDate } from '../shared';

/** One side of the balance sheet: its lines, totals in bold, and the side's total. */
function SheetSide({ title, lines, total, totalLabel, testId }: { title: string; lines: StatementLine[]; total?: string; totalLabel?: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <Table<StatementLine>
        size="small"
        rowKey="key"
        dataSource={lines}
        pagination={false}
        data-testid={testId}
        rowClassName={(l) => (l.level > 0 ? 'statement-total' : '')}
        onRow={(l) => ({ 'data-testid': `line-${l.key}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title, dataIndex: 'label' },
          {
            title: t('money.closingAmount'),
            dataIndex: 'amount',
            align: 'right',
            render: (v: string) => <span className="num">{formatMoney(v)}</span>,
          },
        ]}
        summary={() =>
          total !== undefined && (
            <Table.Summary.Row className="schedule-sum">
              <Table.Summary.Cell index={0}>{totalLabel}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <span className="num" data-testid={`${testId}-total`}>
                  {formatMoney(total)}
                </span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )
        }
      />
    </div>
  );
}

/** 资产负债表: assets against liabilities and owners' equity at the end of the period. */
export function BalanceSheetView({ sheet: s }: { sheet: BalanceSheet }) {
  const { t } = useTranslation();
  return (
    <div className="statement" data-testid="balance-sheet">
      <div className="statement-head">
        <strong>{t('money.balanceSheet')}</strong>
        <span>{t('money.asOf', { date: s.asOf })}</span>
        <span>{t('money.unitYuan')}</span>
        <Tag color={s.balanced ? 'success' : 'error'} data-testid="balance-sheet-balanced" data-balanced={s.balanced ? 'true' : 'false'}>
          {t(s.balanced ? 'money.sheetBalanced' : 'money.sheetUnbalanced')}
        </Tag>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <SheetSide title={t('money.assets')} lines={s.assets} total={s.totalAssets} totalLabel={t('money.totalAssets')} testId="sheet-assets" />
        </Col>
        <Col xs={24} lg={12}>
          <SheetSide title={t('money.liabilities')} lines={s.liabilities} testId="sheet-liabilities" />
          <div className="statement-gap" />
          <SheetSide
            title={t('money.equity')}
            lines={s.equity}
            total={s.totalLiabilitiesAndEquity}
            totalLabel={t('money.totalLiabilitiesAndEquity')}
            testId="sheet-equity"
          />
        </Col>
      </Row>
    </div>
  );
}

/** 利润表: the period's income and expenses, with the year to date. */
export function IncomeStatementView({ statement: s }: { statement: IncomeStatement }) {
  const { t } = useTranslation();
  return (
    <div className="statement" data-testid="income-statement">
      <div className="statement-head">
        <strong>{t('money.incomeStatement')}</strong>
        <span>{t('money.ofPeriod', { period: s.period })}</span>
        <span>{t('money.unitYuan')}</span>
      </div>
      <div className="table-scroll">
        <Table<IncomeLine>
          size="small"
          rowKey="key"
          dataSource={s.lines}
          pagination={false}
          rowClassName={(l) => (l.level > 0 ? 'statement-total' : 'statement-line')}
          onRow={(l) => ({ 'data-testid': `line-${l.key}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('money.item'), dataIndex: 'label' },
            { title: t('money.thisPeriod'), dataIndex: 'period', align: 'right', render: (v: string) => <span className="num">{formatMoney(v)}</span> },
            {
              title: t('money.yearToDate'),
              dataIndex: 'yearToDate',
              align: 'right',
              render: (v: string) => <span className="num">{formatMoney(v)}</span>,
            },
          ]}
        />
      </div>
    </div>
  );
}

/** 会计报表: the balance sheet and the income statement of a period, printable. */
export default function StatementsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const businessDate = useBusinessDate();
  const period = params.get('period') ?? (businessDate.data ? periodOf(businessDate.data) : undefined);
  const tab = params.get('tab') === 'income' ? 'income' : 'balance';
  const sheet = useQuery({
    queryKey: ['finance', 'balance-sheet', period],
    queryFn: () => unwrap(api.GET('/api/v1/balance-sheet', { params: { query: { period: period! } } })),
    enabled: !!period && tab === 'balance',
  });
  const income = useQuery({
    queryKey: ['finance', 'income-statement', period],
    queryFn: () => unwrap(api.GET('/api/v1/income-statement', { params: { query: { period: period! } } })),
    enabled: !!period && tab === 'income',
  });
  const set = (next: Record<string, string>) => setParams({ ...(period ? { period } : {}), ...(tab === 'income' ? { tab } : {}), ...next });
  const current = tab === 'balance' ? sheet : income;
  return (
    <PageContainer
      title={t('money.statementsTitle')}
      subtitle={t('money.statementsSubtitle')}
      className="statements-page"
      extra={
        <Space wrap>
          <PageBusinessDate />
          <ExportButton name={tab === 'balance' ? 'balance-sheet' : 'income-statement'} query={{ period }} disabled={!period} />
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('common.print')}
          </Button>
        </Space>
      }
    >
      <Card className="section-card no-print" size="small">
        <Space wrap>
          <span>{t('money.period')}</span>
          <DatePicker
            picker="month"
            allowClear={false}
            value={period ? dayjs(`${period}-01`) : undefined}
            onChange={(d) => d && set({ period: d.format('YYYY-MM') })}
            data-testid="statement-period"
          />
        </Space>
      </Card>
      <Card className="section-card detail-tabs" size="small">
        <Tabs
          activeKey={tab}
          onChange={(k) => {
            const next: Record<string, string> = period ? { period } : {};
            if (k === 'income') next.tab = 'income';
            setParams(next);
          }}
          items={[
            { key: 'balance', label: <span data-testid="statements-tab-balance">{t('money.balanceSheet')}</span> },
            { key: 'income', label: <span data-testid="statements-tab-income">{t('money.incomeStatement')}</span> },
          ]}
        />
        {current.isError ? (
          <Alert type="error" showIcon title={translateError(current.error, t, i18n)} />
        ) : tab === 'balance' ? (
          sheet.data ? <BalanceSheetView sheet={sheet.data} /> : <Spin />
        ) : income.data ? (
          <IncomeStatementView statement={income.data} />
        ) : (
          <Spin />
        )}
      </Card>
    </PageContainer>
  );
}

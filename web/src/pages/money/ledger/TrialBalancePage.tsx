import { Alert, Button, Card, DatePicker, Empty, Space, Spin, Table, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { translateError } from '../../../api/errors';
import { useBusinessDate, type ReconciliationCheck, type TrialBalance, type TrialBalanceRow } from '../../../api/finance';
import { PageContainer } from '../../../components/PageContainer';
import { balanceSide, periodOf } from '../../../lib/finance';
import { formatMoney } from '../../../lib/money';
import { ExportButton } from '../ExportButton';
import { Amount, PageBusinessDate } from '../shared';

/** A balance with its side: 借 1,000.00 / 贷 95,000.00 / 平. */
function Balance({ row, value, testId }: { row: TrialBalanceRow; value: string; testId: string }) {
  const { t } = useTranslation();
  const b = balanceSide(row.direction, value);
  return (
    <span className="tb-balance" data-testid={testId} data-side={b.side}>
      <span className="tb-side">{t(`money.sides.${b.side}`)}</span>
      {b.side !== 'flat' && <span className="num">{formatMoney(b.amount)}</span>}
    </span>
  );
}

/** The trial balance's verdict: the period's debits equal its credits, and the closing sides agree. */
export function BalancedBanner({ tb }: { tb: TrialBalance }) {
  const { t } = useTranslation();
  return (
    <Alert
      className="section-card"
      type={tb.balanced ? 'success' : 'error'}
      showIcon
      data-testid="trial-balanced"
      data-balanced={tb.balanced ? 'true' : 'false'}
      title={<strong>{t(tb.balanced ? 'money.balanced' : 'money.unbalanced')}</strong>}
      description={t('money.balancedDetail', {
        debit: formatMoney(tb.totalDebit),
        credit: formatMoney(tb.totalCredit),
        debitSide: formatMoney(tb.closingDebitSide),
        creditSide: formatMoney(tb.closingCreditSide),
      })}
    />
  );
}

export function TrialBalanceTable({ tb }: { tb: TrialBalance }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <Table<TrialBalanceRow>
        size="small"
        rowKey="code"
        className="trial-balance"
        data-testid="trial-balance"
        dataSource={tb.rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('money.noPostings') }}
        rowClassName={(r) => (r.level === 0 ? 'tb-top' : '')}
        onRow={(r) => ({ 'data-testid': `tb-row-${r.code}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('money.accountCode'),
            dataIndex: 'code',
            render: (code: string, r) => (
              <span className="mono" style={{ paddingLeft: r.level * 16 }}>
                {code}
              </span>
            ),
          },
          {
            title: t('money.accountName'),
            dataIndex: 'name',
            render: (name: string, r) => <span style={{ paddingLeft: r.level * 16 }}>{name}</span>,
          },
          {
            title: t('money.opening'),
            dataIndex: 'opening',
            align: 'right',
            render: (v: string, r) => <Balance row={r} value={v} testId={`tb-${r.code}-opening`} />,
          },
          {
            title: t('money.periodDebit'),
            dataIndex: 'debit',
            align: 'right',
            render: (v: string, r) => <span className="num" data-testid={`tb-${r.code}-debit`}>{formatMoney(v)}</span>,
          },
          {
            title: t('money.periodCredit'),
            dataIndex: 'credit',
            align: 'right',
            render: (v: string, r) => <span className="num" data-testid={`tb-${r.code}-credit`}>{formatMoney(v)}</span>,
          },
          {
            title: t('money.closing'),
            dataIndex: 'closing',
            align: 'right',
            render: (v: string, r) => <Balance row={r} value={v} testId={`tb-${r.code}-closing`} />,
          },
        ]}
        summary={() =>
          tb.rows.length > 0 && (
            <Table.Summary.Row className="schedule-sum">
              <Table.Summary.Cell index={0} colSpan={3}>
                {t('money.totalLabel')}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">
                <span className="num" data-testid="tb-total-debit">{formatMoney(tb.totalDebit)}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <span className="num" data-testid="tb-total-credit">{formatMoney(tb.totalCredit)}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} />
            </Table.Summary.Row>
          )
        }
      />
    </div>
  );
}

/** 总分核对: the loans' sub-ledgers against the control accounts, and the ledger's two sides. */
function ReconciliationCard() {
  const { t, i18n } = useTranslation();
  const rec = useQuery({
    queryKey: ['finance', 'reconciliation'],
    queryFn: () => unwrap(api.GET('/api/v1/reconciliation')),
  });
  const r = rec.data;
  return (
    <Card
      className="section-card"
      size="small"
      title={t('money.reconciliation')}
      data-testid="reconciliation"
      extra={
        <Space>
          {r && (
            <Tag color={r.ok ? 'success' : 'error'} data-testid="reconciliation-ok" data-ok={r.ok ? 'true' : 'false'}>
              {t(r.ok ? 'money.reconciled' : 'money.notReconciled')}
            </Tag>
          )}
          <Button size="small" icon={<ReloadOutlined />} loading={rec.isFetching} onClick={() => void rec.refetch()}>
            {t('common.refresh')}
          </Button>
        </Space>
      }
    >
      {rec.isError ? (
        <Empty description={translateError(rec.error, t, i18n)} />
      ) : (
        <>
          <div className="table-scroll">
            <Table<ReconciliationCheck>
              size="small"
              rowKey="name"
              loading={rec.isLoading}
              dataSource={r?.checks}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('money.check'), dataIndex: 'name', render: (n: string) => <span className="mono">{n}</span> },
                { title: t('money.subLedger'), dataIndex: 'subLedger', align: 'right', render: (v: string) => <Amount value={v} /> },
                { title: t('money.generalLedger'), dataIndex: 'generalLedger', align: 'right', render: (v: string) => <Amount value={v} /> },
                {
                  title: t('money.result'),
                  dataIndex: 'ok',
                  render: (ok: boolean) =>
                    ok ? (
                      <span className="check-ok-text">
                        <CheckCircleFilled className="check-ok" /> {t('money.agrees')}
                      </span>
                    ) : (
                      <span className="check-bad-text">
                        <CloseCircleFilled className="check-missing" /> {t('money.differs')}
                      </span>
                    ),
                },
              ]}
            />
          </div>
          {r && (
            <Typography.Paragraph type="secondary" className="flow-help">
              {t('money.ledgerSides', { debit: formatMoney(r.totalDebit), credit: formatMoney(r.totalCredit) })}
              {r.loansOutOfLine.length > 0 && ` ${t('money.loansOutOfLine', { ids: r.loansOutOfLine.join('、') })}`}
            </Typography.Paragraph>
          )}
        </>
      )}
    </Card>
  );
}

/** 科目余额表: a period's opening, movements and closing per account, and whether it balances. */
export default function TrialBalancePage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const businessDate = useBusinessDate();
  const period = params.get('period') ?? (businessDate.data ? periodOf(businessDate.data) : undefined);
  const tb = useQuery({
    queryKey: ['finance', 'trial-balance', period],
    queryFn: () => unwrap(api.GET('/api/v1/trial-balance', { params: { query: { period: period! } } })),
    enabled: !!period,
  });
  return (
    <PageContainer title={t('money.trialBalanceTitle')} subtitle={t('money.trialBalanceSubtitle')} extra={<PageBusinessDate />}>
      <Card className="section-card" size="small">
        <Space wrap>
          <span>{t('money.period')}</span>
          <DatePicker
            picker="month"
            allowClear={false}
            value={period ? dayjs(`${period}-01`) : undefined}
            onChange={(d) => d && setParams({ period: d.format('YYYY-MM') })}
            data-testid="trial-period"
          />
          <Button icon={<ReloadOutlined />} loading={tb.isFetching} onClick={() => void tb.refetch()}>
            {t('common.refresh')}
          </Button>
          <ExportButton name="trial-balance" query={{ period }} disabled={!period} />
        </Space>
      </Card>
      {tb.isError && <Alert className="section-card" type="error" showIcon title={translateError(tb.error, t, i18n)} />}
      {tb.data && <BalancedBanner tb={tb.data} />}
      <Card className="section-card" size="small" title={period ? t('money.trialBalanceOf', { period }) : t('money.trialBalanceTitle')}>
        {tb.data ? <TrialBalanceTable tb={tb.data} /> : tb.isLoading || !period ? <Spin /> : null}
      </Card>
      <ReconciliationCard />
    </PageContainer>
  );
}

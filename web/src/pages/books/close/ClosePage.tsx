import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Popconfirm, Progress, Spin, Table, Tag, Typography } from 'antd';
import { CalculatorOutlined, PlayCircleOutlined, SyncOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, translateError, translateFieldError } from '../../../api/errors';
import { useErrorHandler } from '../../../api/useErrorHandler';
import { useAccess } from '../../../auth/hooks';
import { DataTable } from '../../../components/DataTable';
import { PageContainer } from '../../../components/PageContainer';
import { useIsMobile } from '../../../components/useIsMobile';
import { formatDateTime } from '../../../lib/format';
import { booksApi, booksKeys, FINANCE_KEY, fetchBusinessDate, unwrap, type CloseLoanFailure, type CloseRun, type CloseStepProgress } from '../api/client';
import { anyRunning, daysBehind, durationParts, elapsedSeconds, isKnownStep, stepPercent } from '../lib/close';
import { BP } from '../permissions';
import { Amount, DAY, StatusTag, VoucherLink } from '../shared';

/** How often the page asks while a run works. */
export const POLL_MS = 1500;
/**
 * After a start, how long to keep asking without seeing a run at work: the server starts the
 * run in the background, and between two days of a multi-day close no run is `running`.
 */
const GRACE_MS = 15_000;

/** A close this page started and has not yet seen to its end. */
interface Awaiting {
  to: string;
  /** Polling stops after this (ms since the epoch) unless a run is seen at work. */
  deadline: number;
}

const liveKey = [...booksKeys.closeRuns, 'latest'] as const;

/**
 * 日终管理: the business date against the calendar; starting the daily close (执行日终) up to a
 * date; the live progress of the run at work, step by step (polled while it runs); and the
 * history of runs with their steps.
 */
export default function ClosePage() {
  const { t, i18n } = useTranslation();
  const { has } = useAccess();
  const queryClient = useQueryClient();
  const [awaiting, setAwaiting] = useState<Awaiting | null>(null);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const waiting = awaiting !== null && Date.now() < awaiting.deadline;

  // The newest run: the only one that can be at work (a day closes once the one before it has).
  const latest = useQuery({
    queryKey: liveKey,
    queryFn: () => unwrap(booksApi.GET('/api/v1/close-runs', { params: { query: { page: 1, pageSize: 1 } } })),
    refetchInterval: (q) => (anyRunning(q.state.data?.items) || waiting ? POLL_MS : false),
  });
  const working = anyRunning(latest.data?.items) || waiting;
  // The history follows a run at work too (its page may show one).
  const history = useQuery({
    queryKey: [...booksKeys.closeRuns, paging],
    queryFn: () => unwrap(booksApi.GET('/api/v1/close-runs', { params: { query: paging } })),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (working || anyRunning(q.state.data?.items) ? POLL_MS : false),
  });
  const live = working || anyRunning(history.data?.items);
  // Set in the server's environment (CHEDAI_CLOSE_AT); it does not change while the page is open.
  const schedule = useQuery({
    queryKey: booksKeys.closeSchedule,
    queryFn: () => unwrap(booksApi.GET('/api/v1/close-schedule')),
    staleTime: Infinity,
  });
  const businessDate = useQuery({
    queryKey: booksKeys.businessDate,
    queryFn: fetchBusinessDate,
    staleTime: 60_000,
    refetchInterval: live ? POLL_MS : false,
  });

  // A run seen at work keeps the wait going; the business date reaching the target ends it.
  useEffect(() => {
    if (anyRunning(latest.data?.items)) setAwaiting((a) => (a ? { ...a, deadline: Date.now() + GRACE_MS } : a));
  }, [latest.data]);
  useEffect(() => {
    if (awaiting && businessDate.data && businessDate.data >= awaiting.to) setAwaiting(null);
  }, [awaiting, businessDate.data]);

  // When the close stops, the loans, the vouchers and the business date everywhere have moved.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) {
      void queryClient.invalidateQueries({ queryKey: booksKeys.all });
      void queryClient.invalidateQueries({ queryKey: FINANCE_KEY });
    }
    wasLive.current = live;
  }, [live, queryClient]);

  const today = dayjs().format(DAY);
  return (
    <PageContainer title={t('books.close.title')} subtitle={t('books.close.subtitle')}>
      <div className="figure-grid">
        <div className="figure figure-strong">
          <div className="figure-label">{t('books.close.businessDate')}</div>
          <div className="figure-value num" data-testid="close-business-date">
            {businessDate.data ?? '-'}
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">{t('books.close.calendarDate')}</div>
          <div className="figure-value num" data-testid="close-calendar-date">
            {today}
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">{t('books.close.behind')}</div>
          <div className="figure-value" data-testid="close-days-behind">
            {businessDate.data ? t('books.close.days', { count: daysBehind(businessDate.data, today) }) : '-'}
          </div>
        </div>
        <div className="figure">
          <div className="figure-label">{t('books.close.schedule')}</div>
          <div className="figure-value" data-testid="close-schedule">
            {!schedule.data ? '-' : schedule.data.closeAt ? t('books.close.scheduleAt', { time: schedule.data.closeAt }) : t('books.close.scheduleOff')}
          </div>
        </div>
      </div>
      {has(BP.closeRun) && (
        <StartClose
          businessDate={businessDate.data}
          today={today}
          onStarted={(to) => {
            setAwaiting({ to, deadline: Date.now() + GRACE_MS });
            void queryClient.invalidateQueries({ queryKey: booksKeys.closeRuns });
          }}
        />
      )}
      {has(BP.closeRun) && <ProvisionDemand businessDate={businessDate.data} />}
      <LiveRun runs={latest.data?.items} loading={latest.isPending} error={latest.error} polling={live} />
      <Card className="section-card" size="small" title={t('books.close.history')}>
        {history.isError && <Alert className="section-card" type="error" showIcon title={translateError(history.error, t, i18n)} />}
        <DataTable<CloseRun>
          rowKey="id"
          size="small"
          loading={history.isLoading}
          dataSource={history.data?.items}
          locale={{ emptyText: t('books.close.noRuns') }}
          onRow={(r) => ({ 'data-testid': `close-run-${r.id}` }) as React.HTMLAttributes<HTMLElement>}
          expandable={{
            expandedRowRender: (r) => (
              <>
                <CloseSteps steps={r.steps} />
                <LoanFailures failures={r.loanFailures} />
              </>
            ),
            rowExpandable: (r) => r.steps.length > 0,
          }}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: history.data?.total,
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
          columns={[
            { title: t('books.close.runDate'), dataIndex: 'businessDate', render: (v: string) => <span className="mono">{v}</span> },
            { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag group="close" status={s} testId="close-run-status" /> },
            { title: t('books.close.startedAt'), dataIndex: 'startedAt', render: formatDateTime },
            { title: t('books.close.finishedAt'), dataIndex: 'finishedAt', render: formatDateTime, responsive: ['md'] },
            {
              title: t('books.close.duration'),
              key: 'duration',
              render: (_: unknown, r) => <Duration startedAt={r.startedAt} finishedAt={r.finishedAt} />,
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}

interface StartValues {
  to: Dayjs;
}

/** 执行日终: up to a date (today by default), after a confirmation; a refusal stays in view. */
function StartClose({ businessDate, today, onStarted }: { businessDate: string | undefined; today: string; onStarted: (to: string) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const onError = useErrorHandler();
  const [form] = Form.useForm<StartValues>();
  const to = Form.useWatch('to', form) as Dayjs | undefined;
  const [refusal, setRefusal] = useState<{ title: string; reasons: string[] } | null>(null);
  const start = useMutation({
    mutationFn: (v: StartValues) => unwrap(booksApi.POST('/api/v1/close-runs', { body: { to: v.to.format(DAY) } })),
    onSuccess: (s) => {
      setRefusal(null);
      message.success(t('books.close.started', { from: s.from, to: s.to }));
      onStarted(s.to);
    },
    onError: (e) => {
      if (e instanceof ApiError && e.fieldErrors.length > 0) {
        // The server's reasons, in the words of this page where it knows them.
        const reasons = e.fieldErrors.map((fe) =>
          fe.field === 'to' && i18n.exists(`books.close.refusals.${fe.code}`)
            ? t(`books.close.refusals.${fe.code}`, { date: businessDate ?? '-', today })
            : translateFieldError(fe, t, i18n),
        );
        setRefusal({ title: t('books.close.refused'), reasons });
        return;
      }
      setRefusal(null);
      onError(e);
    },
  });
  return (
    <Card className="section-card" size="small" title={t('books.close.startTitle')} data-testid="close-start-card">
      <Typography.Paragraph type="secondary">{t('books.close.toHelp')}</Typography.Paragraph>
      <Form<StartValues>
        name="booksClose"
        form={form}
        layout={isMobile ? 'vertical' : 'inline'}
        initialValues={{ to: dayjs(today) }}
        onValuesChange={() => setRefusal(null)}
        onFinish={(v) => start.mutate(v)}
      >
        <Form.Item name="to" label={t('books.close.to')} rules={[{ required: true, message: t('validation.requiredSelect') }]}>
          {/* After the business date, not past today (the server has the last word). */}
          <DatePicker
            allowClear={false}
            style={{ width: isMobile ? '100%' : 180 }}
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!businessDate && !d.isAfter(dayjs(businessDate), 'day'))}
            data-testid="close-to"
          />
        </Form.Item>
        <Form.Item>
          <Popconfirm
            title={t('books.close.confirm')}
            description={<span className="wrap-cell">{t('books.close.confirmHelp', { from: businessDate ?? '-', to: to?.format(DAY) ?? '-' })}</span>}
            onConfirm={() => form.submit()}
            okText={t('common.ok')}
            cancelText={t('common.cancel')}
          >
            <Button type="primary" icon={<PlayCircleOutlined />} loading={start.isPending} block={isMobile} data-testid="close-start">
              {t('books.close.start')}
            </Button>
          </Popconfirm>
        </Form.Item>
      </Form>
      {refusal && (
        <Alert
          className="books-close-refusal"
          type="warning"
          showIcon
          data-testid="close-refusal"
          title={refusal.title}
          description={
            <ul className="books-close-reasons">
              {refusal.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          }
        />
      )}
    </Card>
  );
}

/** The run at work, else the newest one, with its steps. */
function LiveRun({ runs, loading, error, polling }: { runs: CloseRun[] | undefined; loading: boolean; error: unknown; polling: boolean }) {
  const { t, i18n } = useTranslation();
  const run = runs?.find((r) => r.status === 'running') ?? runs?.[0];
  const title = run ? t(run.status === 'running' ? 'books.close.running' : 'books.close.latest', { date: run.businessDate }) : t('books.close.live');
  return (
    <Card
      className="section-card"
      size="small"
      title={title}
      data-testid="close-live"
    >
      {polling && (
        <Typography.Paragraph type="secondary" data-testid="close-polling">
          <SyncOutlined spin /> {t('books.close.polling')}
        </Typography.Paragraph>
      )}
      {error ? (
        <Alert type="error" showIcon title={translateError(error, t, i18n)} />
      ) : loading ? (
        <Spin />
      ) : !run ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('books.close.noRuns')} data-testid="close-no-runs" />
      ) : (
        <>
          <div className="books-close-facts" data-testid="close-live-run" data-status={run.status}>
            <StatusTag group="close" status={run.status} testId="close-live-status" />
            <span>
              {t('books.close.startedAt')} {formatDateTime(run.startedAt)}
            </span>
            {run.finishedAt && (
              <span>
                {t('books.close.finishedAt')} {formatDateTime(run.finishedAt)}
              </span>
            )}
            <span>
              {t('books.close.duration')} <Duration startedAt={run.startedAt} finishedAt={run.finishedAt} />
            </span>
          </div>
          {run.status === 'failed' && <Alert className="section-card" type="error" showIcon title={t('books.close.failedHelp')} />}
          <CloseSteps steps={run.steps} />
          <LoanFailures failures={run.loanFailures} />
        </>
      )}
    </Card>
  );
}

/** How long a run took (or has been going), in whole units. */
function Duration({ startedAt, finishedAt }: { startedAt: string; finishedAt: string | null | undefined }) {
  const { t } = useTranslation();
  const seconds = elapsedSeconds(startedAt, finishedAt);
  if (seconds === null) return <span className="muted">-</span>;
  return <span className="num">{durationParts(seconds).map((p) => t(`books.close.units.${p.unit}`, { n: p.n })).join(' ')}</span>;
}

/** A run's steps in their order, as the server lists them (steps it has not begun are absent). */
export function CloseSteps({ steps }: { steps: CloseStepProgress[] }) {
  const { t } = useTranslation();
  if (steps.length === 0) return <Typography.Text type="secondary">{t('books.close.noSteps')}</Typography.Text>;
  return (
    <ol className="books-close-steps">
      {steps.map((s) => (
        <CloseStepItem key={s.step} step={s} />
      ))}
    </ol>
  );
}

const progressStatus = (status: string) => (status === 'failed' ? 'exception' : status === 'done' ? 'success' : 'active');

function CloseStepItem({ step: s }: { step: CloseStepProgress }) {
  const { t } = useTranslation();
  const label = isKnownStep(s.step) ? t(`books.close.steps.${s.step}`) : s.step;
  const fraction = `${s.partitionsDone}/${s.partitions}`;
  return (
    <li data-testid={`close-step-${s.step}`} data-status={s.status}>
      <div className="books-close-step-head">
        <span className="books-strong" data-testid="close-step-label">
          {label}
        </span>
        <StatusTag group="close" status={s.status} testId="close-step-status" />
      </div>
      {s.partitions > 0 && (
        <Progress
          percent={stepPercent(s)}
          size="small"
          status={progressStatus(s.status)}
          format={() => fraction}
          aria-label={`${label} ${fraction}`}
          data-testid="close-step-progress"
        />
      )}
      <div className="books-close-facts">
        <span data-testid="close-step-partitions">
          {t('books.close.partitions')} {s.partitions > 0 ? <span className="num">{fraction}</span> : t('books.close.noPartitions')}
        </span>
        <span data-testid="close-step-rows">
          {t('books.close.rowsDone')} <span className="num">{s.rowsDone.toLocaleString('en-US')}</span>
        </span>
        {s.partitionsFailed > 0 && (
          <Typography.Text type="danger" data-testid="close-step-failed">
            {t('books.close.partitionsFailed')} <span className="num">{s.partitionsFailed}</span>
          </Typography.Text>
        )}
        {s.loansFailed > 0 && (
          <Typography.Text type="warning" data-testid="close-step-loans-failed">
            {t('books.close.loansFailed')} <span className="num">{s.loansFailed}</span>
          </Typography.Text>
        )}
        {s.voucherId ? (
          <span>
            {t('books.close.amount')} <Amount value={s.amount} testId="close-step-amount" /> <VoucherLink id={s.voucherId} testId="close-step-voucher" />
          </span>
        ) : null}
      </div>
      {s.error && (
        <Typography.Paragraph type="danger" className="books-close-error" data-testid="close-step-error">
          {t('books.close.firstError')}: {s.error}
        </Typography.Paragraph>
      )}
    </li>
  );
}

/**
 * 跳过的贷款: loans a step could not do. The run went on without them; the next close catches
 * them up once whatever is wrong with them is put right.
 */
export function LoanFailures({ failures }: { failures: CloseLoanFailure[] }) {
  const { t } = useTranslation();
  if (failures.length === 0) return null;
  return (
    <Alert
      className="section-card"
      type="warning"
      showIcon
      data-testid="close-loan-failures"
      title={t('books.close.loanFailuresTitle', { count: failures.length })}
      description={
        <>
          <Typography.Paragraph type="secondary">{t('books.close.loanFailuresHelp')}</Typography.Paragraph>
          <Table<CloseLoanFailure>
            size="small"
            rowKey={(f) => `${f.step}-${f.loanId}`}
            pagination={false}
            dataSource={failures}
            columns={[
              {
                title: t('books.close.loan'),
                dataIndex: 'loanNo',
                render: (no: string, f) => (
                  <Link className="mono" to={`/finance/loans/${f.loanId}`}>
                    {no}
                  </Link>
                ),
              },
              { title: t('books.close.step'), dataIndex: 'step', render: (step: string) => (isKnownStep(step) ? t(`books.close.steps.${step}`) : step) },
              { title: t('books.close.error'), dataIndex: 'error', render: (e: string) => <span className="wrap-cell">{e}</span> },
            ]}
          />
        </>
      }
    />
  );
}

/**
 * 按需计提: provisions at tonight's close although it is no month end (before an audit, say).
 * Shows whether the current business date already has a demand.
 */
function ProvisionDemand({ businessDate }: { businessDate: string | undefined }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const onError = useErrorHandler();
  const queryClient = useQueryClient();
  const demands = useQuery({
    queryKey: [...booksKeys.closeRuns, 'provision-demands'],
    queryFn: () => unwrap(booksApi.GET('/api/v1/provision-demands', { params: { query: { page: 1, pageSize: 1 } } })),
  });
  const asked = demands.data?.items.find((d) => d.businessDate === businessDate);
  const demand = useMutation({
    mutationFn: () => unwrap(booksApi.POST('/api/v1/provision-demands')),
    onSuccess: (d) => {
      message.success(t('books.close.demandMade', { date: d.businessDate }));
      void queryClient.invalidateQueries({ queryKey: [...booksKeys.closeRuns, 'provision-demands'] });
    },
    onError,
  });
  return (
    <Card className="section-card" size="small" title={t('books.close.demandTitle')} data-testid="close-demand-card">
      <Typography.Paragraph type="secondary">{t('books.close.demandHelp')}</Typography.Paragraph>
      {asked ? (
        <Tag color="blue" data-testid="close-demand-made">
          {t('books.close.demandTag', { date: asked.businessDate, by: asked.requestedByName })}
        </Tag>
      ) : (
        <Popconfirm
          title={t('books.close.demandConfirm', { date: businessDate ?? '-' })}
          onConfirm={() => demand.mutate()}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
        >
          <Button icon={<CalculatorOutlined />} loading={demand.isPending} disabled={!businessDate} data-testid="close-demand">
            {t('books.close.demand')}
          </Button>
        </Popconfirm>
      )}
    </Card>
  );
}

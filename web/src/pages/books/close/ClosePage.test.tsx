// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { BP } from '../permissions';
import { page, problem, renderWith, stubApi, type Call, type Reply } from '../testing';
import ClosePage from './ClosePage';

afterEach(() => vi.unstubAllGlobals());

const step = (code: string, over: Record<string, unknown> = {}) => ({
  step: code,
  status: 'done',
  startedAt: '2026-03-21T16:00:00Z',
  finishedAt: '2026-03-21T16:00:20Z',
  rowsDone: 0,
  partitions: 3,
  partitionsDone: 3,
  partitionsFailed: 0,
  loansFailed: 0,
  error: null,
  voucherId: null,
  amount: '0.00',
  ...over,
});

const run = (id: number, status: string, steps: unknown[], over: Record<string, unknown> = {}) => ({
  id,
  businessDate: '2026-03-20',
  status,
  startedAt: '2026-03-21T16:00:00Z',
  finishedAt: status === 'running' ? null : '2026-03-21T16:01:05Z',
  steps,
  loanFailures: [],
  ...over,
});

const TRANSFER = step('overdue_transfer', { rowsDone: 1234, voucherId: 41, amount: '3707.35' });
// Each application from credit posts its own voucher: the step names none.
const CREDIT = step('credit_application', { rowsDone: 2 });

/**
 * The newest run (`pageSize=1`, the live view) and the history's page answer apart, each in turn;
 * the business date is `after` once the live view has been told the last answer.
 */
function closeServer(latest: Reply[], history: Reply[], before: string, after: string) {
  const served = { latest: 0, history: 0 };
  return {
    'GET /api/v1/close-runs': (call: Call): Reply => {
      const which = call.query.get('pageSize') === '1' ? 'latest' : 'history';
      const replies = which === 'latest' ? latest : history;
      return replies[Math.min(served[which]++, replies.length - 1)];
    },
    'GET /api/v1/business-date': (): Reply => ({ body: { today: served.latest >= latest.length ? after : before } }),
  };
}

describe('日终管理', () => {
  it('shows each step of the running close with its progress, and polls until the close is done', async () => {
    const first = run(7, 'running', [
      TRANSFER,
      step('penalty_accrual', { status: 'running', finishedAt: null, rowsDone: 5, partitionsDone: 1 }),
    ]);
    const second = run(7, 'running', [
      TRANSFER,
      step('penalty_accrual', { rowsDone: 9 }),
      // A step this build has no name for shows its code.
      step('write_off', { status: 'failed', finishedAt: null, partitions: 4, partitionsDone: 2, partitionsFailed: 1, error: 'deadlock detected' }),
    ]);
    const done = run(7, 'done', [
      CREDIT,
      TRANSFER,
      step('penalty_accrual', { rowsDone: 9 }),
      step('advance_date', { partitions: 0, partitionsDone: 0 }),
    ]);
    const api = stubApi(
      closeServer(
        [{ body: page([first]) }, { body: page([second]) }, { body: page([done]) }],
        [{ body: page([first]) }, { body: page([done]) }],
        '2026-03-20',
        '2026-03-21',
      ),
    );
    renderWith(<ClosePage />, { permissions: [BP.closeRead, BP.ledgerRead] });

    const liveCard = await screen.findByTestId('close-live');
    await within(liveCard).findByText('正在日终：营业日期 2026-03-20');
    expect(within(liveCard).getByTestId('close-polling')).toHaveTextContent('自动刷新中');
    const transfer = within(liveCard).getByTestId('close-step-overdue_transfer');
    expect(within(transfer).getByTestId('close-step-label')).toHaveTextContent('逾期转列');
    expect(within(transfer).getByTestId('close-step-status')).toHaveTextContent('已完成');
    expect(within(transfer).getByTestId('close-step-rows')).toHaveTextContent('1,234');
    expect(within(transfer).getByTestId('close-step-voucher')).toHaveAttribute('href', '/money/vouchers/41');
    expect(within(transfer).getByTestId('close-step-amount')).toHaveTextContent('3,707.35');
    const penalty = within(liveCard).getByTestId('close-step-penalty_accrual');
    expect(within(penalty).getByTestId('close-step-label')).toHaveTextContent('罚息复利计提');
    expect(within(penalty).getByTestId('close-step-status')).toHaveTextContent('进行中');
    expect(within(penalty).getByTestId('close-step-progress')).toHaveTextContent('1/3');
    expect(within(penalty).getByTestId('close-step-rows')).toHaveTextContent('5');
    expect(within(penalty).queryByTestId('close-step-voucher')).not.toBeInTheDocument();

    // The next poll: a failed partition of a step known only by its code, with its first error.
    const unknown = await within(liveCard).findByTestId('close-step-write_off');
    expect(within(unknown).getByTestId('close-step-label')).toHaveTextContent('write_off');
    expect(within(unknown).getByTestId('close-step-progress')).toHaveTextContent('2/4');
    expect(within(unknown).getByTestId('close-step-failed')).toHaveTextContent('失败分片 1');
    expect(within(unknown).getByTestId('close-step-error')).toHaveTextContent('deadlock detected');

    // Then done: 日切 without partitions, the new business date, and no more asking.
    await waitFor(() => expect(within(liveCard).getByTestId('close-live-status')).toHaveTextContent('已完成'));
    await within(liveCard).findByText('最近一次日终：营业日期 2026-03-20');
    const advance = within(liveCard).getByTestId('close-step-advance_date');
    expect(within(advance).getByTestId('close-step-label')).toHaveTextContent('日切');
    expect(within(advance).queryByTestId('close-step-progress')).not.toBeInTheDocument();
    expect(within(advance).getByTestId('close-step-partitions')).toHaveTextContent('不分片');
    const credit = within(liveCard).getByTestId('close-step-credit_application');
    expect(within(credit).getByTestId('close-step-label')).toHaveTextContent('溢缴款冲抵');
    expect(within(credit).getByTestId('close-step-rows')).toHaveTextContent('2');
    expect(within(credit).queryByTestId('close-step-voucher')).not.toBeInTheDocument();
    expect(within(liveCard).getByTestId('close-live-run')).toHaveTextContent('1 分 5 秒');
    await waitFor(() => expect(screen.getByTestId('close-business-date')).toHaveTextContent('2026-03-21'));
    expect(within(liveCard).queryByTestId('close-polling')).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('close-run-7')).toHaveTextContent('已完成'));
    const asked = api.calls.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(api.calls.length).toBe(asked);
    // The live view asked once per answer it was given.
    expect(api.of('GET', '/api/v1/close-runs').filter((c) => c.query.get('pageSize') === '1').length).toBeGreaterThanOrEqual(3);
  });

  it('starts the close up to today after a confirmation, and shows the server’s refusal', async () => {
    const api = stubApi({
      'GET /api/v1/close-runs': { body: page([]) },
      'POST /api/v1/close-runs': problem(422, 'validation_failed', 'invalid input', [
        { field: 'to', code: 'not_after_current', message: 'the business date is already 2026-03-20' },
      ]),
    });
    renderWith(<ClosePage />, { permissions: [BP.closeRead, BP.closeRun] });
    expect(await screen.findByTestId('close-no-runs')).toHaveTextContent('尚未执行过日终');
    expect(screen.getByTestId('close-business-date')).toHaveTextContent('2026-03-20');
    fireEvent.click(screen.getByTestId('close-start'));
    // Nothing is sent before the confirmation.
    await screen.findByText('执行日终？');
    expect(api.of('POST', '/api/v1/close-runs')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(api.of('POST', '/api/v1/close-runs')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/close-runs')[0].body).toEqual({ to: dayjs().format('YYYY-MM-DD') });
    const refusal = await screen.findByTestId('close-refusal');
    expect(refusal).toHaveTextContent('未能执行日终');
    expect(refusal).toHaveTextContent('营业日期已是 2026-03-20：一天的日终要等这一天过去后才能执行');
  });

  it('follows a close it started from before its first run shows to its end', async () => {
    const today = dayjs().format('YYYY-MM-DD');
    const running = run(3, 'running', [step('overdue_transfer', { status: 'running', finishedAt: null, partitionsDone: 0 })]);
    const done = run(3, 'done', [TRANSFER, step('penalty_accrual'), step('advance_date', { partitions: 0, partitionsDone: 0 })]);
    const api = stubApi({
      // Nothing yet, still nothing (the server starts it in the background), then at work, then done.
      ...closeServer([{ body: page([]) }, { body: page([]) }, { body: page([running]) }, { body: page([done]) }], [{ body: page([]) }, { body: page([done]) }], '2026-03-20', today),
      'POST /api/v1/close-runs': { status: 202, body: { from: '2026-03-20', to: today } },
    });
    renderWith(<ClosePage />, { permissions: [BP.closeRead, BP.closeRun] });
    await screen.findByTestId('close-no-runs');
    fireEvent.click(screen.getByTestId('close-start'));
    fireEvent.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await screen.findByText(`日终已开始：营业日期 2026-03-20 起，至 ${today} 止`);
    const liveCard = screen.getByTestId('close-live');
    await within(liveCard).findByText('正在日终：营业日期 2026-03-20', {}, { timeout: 6000 });
    await waitFor(() => expect(within(liveCard).getByTestId('close-live-status')).toHaveTextContent('已完成'));
    await waitFor(() => expect(screen.getByTestId('close-business-date')).toHaveTextContent(today));
    expect(screen.queryByTestId('close-refusal')).not.toBeInTheDocument();
    await waitFor(() => expect(within(liveCard).queryByTestId('close-polling')).not.toBeInTheDocument());
    expect(api.of('POST', '/api/v1/close-runs')[0].body).toEqual({ to: today });
  });

  it('hides 执行日终 without close:run, and shows the runs with their steps', async () => {
    stubApi({
      'GET /api/v1/close-runs': { body: page([run(5, 'failed', [step('overdue_transfer', { status: 'failed', partitionsDone: 2, partitionsFailed: 1, error: 'boom' })])]) },
    });
    renderWith(<ClosePage />, { permissions: [BP.closeRead] });
    const row = await screen.findByTestId('close-run-5');
    expect(within(row).getByTestId('close-run-status')).toHaveTextContent('失败');
    expect(row).toHaveTextContent('2026-03-20');
    expect(row).toHaveTextContent('1 分 5 秒');
    expect(screen.queryByTestId('close-start')).not.toBeInTheDocument();
    expect(screen.queryByTestId('close-start-card')).not.toBeInTheDocument();
    // A failed run says how to go on.
    expect(screen.getByTestId('close-live')).toHaveTextContent('重新执行日终');
    // The history's row opens on its steps.
    fireEvent.click(within(row).getByRole('button', { name: /展开行|Expand row/ }));
    const steps = await screen.findAllByTestId('close-step-overdue_transfer');
    expect(steps).toHaveLength(2);
    expect(steps[1]).toHaveTextContent('boom');
  });

  it('lists the loans a step set aside, and asks for provisions at tonight’s close', async () => {
    const failure = { step: 'penalty_accrual', loanId: 12, loanNo: 'JK20260310000001-01', error: 'division by zero', failedAt: '2026-03-21T16:00:10Z' };
    const demand = { businessDate: '2026-03-21', requestedBy: 3, requestedByName: '财务复核', requestedAt: '2026-03-21T08:00:00Z' };
    const api = stubApi({
      'GET /api/v1/close-runs': { body: page([run(9, 'done', [step('penalty_accrual', { loansFailed: 1 })], { loanFailures: [failure] })]) },
      'GET /api/v1/provision-demands': [{ body: page([]) }, { body: page([demand]) }],
      'POST /api/v1/provision-demands': { body: demand },
    });
    renderWith(<ClosePage />, { permissions: [BP.closeRead, BP.closeRun], businessDate: '2026-03-21' });
    const liveCard = await screen.findByTestId('close-live');
    const skipped = await within(liveCard).findByTestId('close-loan-failures');
    expect(skipped).toHaveTextContent('1 笔贷款本次日终未能处理');
    expect(within(skipped).getByRole('link', { name: 'JK20260310000001-01' })).toHaveAttribute('href', '/finance/loans/12');
    expect(skipped).toHaveTextContent('罚息复利计提');
    expect(skipped).toHaveTextContent('division by zero');
    expect(within(liveCard).getByTestId('close-step-loans-failed')).toHaveTextContent('跳过贷款 1');

    // 按需计提: nothing is sent before the confirmation; then the card says it is asked for.
    fireEvent.click(await screen.findByTestId('close-demand'));
    await screen.findByText('在营业日期 2026-03-21 的日终计提贷款损失准备？');
    expect(api.of('POST', '/api/v1/provision-demands')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(api.of('POST', '/api/v1/provision-demands')).toHaveLength(1));
    expect(await screen.findByTestId('close-demand-made')).toHaveTextContent('2026-03-21 日终将计提（财务复核 登记）');
    expect(screen.queryByTestId('close-demand')).not.toBeInTheDocument();
  });

  it('shows whether the server closes by itself, and at what time', async () => {
    stubApi({
      'GET /api/v1/close-runs': { body: page([]) },
      'GET /api/v1/close-schedule': { body: { closeAt: '02:30' } },
    });
    renderWith(<ClosePage />, { permissions: [BP.closeRead] });
    await waitFor(() => expect(screen.getByTestId('close-schedule')).toHaveTextContent('每天 02:30（UTC）后自动执行'));
  });

  it('says the close is run by hand when the server has no schedule', async () => {
    stubApi({
      'GET /api/v1/close-runs': { body: page([]) },
      'GET /api/v1/close-schedule': { body: { closeAt: null } },
    });
    renderWith(<ClosePage />, { permissions: [BP.closeRead] });
    await waitFor(() => expect(screen.getByTestId('close-schedule')).toHaveTextContent('未设定，手动执行'));
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import '../../i18n';
import { ME_KEY, type Me } from '../../auth/hooks';
import { P } from '../../access/permissions';
import type { Warning, WarningDetail, WarningRule } from '../../api/warnings';
import { page, problem, stubApi } from '../../test/api';
import WarningsPage from './WarningsPage';
import WarningRulesPage from './WarningRulesPage';

afterEach(() => vi.unstubAllGlobals());

const me = (id: number, permissions: string[]): Me => ({
  id,
  username: `user${id}`,
  displayName: `用户${id}`,
  departmentId: null,
  roles: [],
  permissions,
  dataScope: 'all',
  mustChangePassword: false,
});

const rule = (code: string, kind: WarningRule['kind'], days: number | null, over: Partial<WarningRule> = {}): WarningRule => ({
  code,
  kind,
  days,
  level: 'medium',
  enabled: true,
  version: 1,
  updatedByName: null,
  updatedAt: '2026-03-02T01:00:00Z',
  ...over,
});

const RULES: WarningRule[] = [
  rule('dpd_1', 'dpd', 1, { level: 'low' }),
  rule('dpd_30', 'dpd', 30),
  rule('dpd_90', 'dpd', 90, { level: 'high' }),
  rule('insurance', 'insurance', 30),
  rule('gps_alarm', 'gps_alarm', null, { level: 'high' }),
];

const warning = (over: Partial<Warning> = {}): Warning => ({
  id: 1,
  loanId: 11,
  loanNo: 'DK202603100001',
  customerId: 3,
  customerName: '借款人甲',
  ruleCode: 'dpd_30',
  kind: 'dpd',
  level: 'medium',
  subject: 'due:2026-04-10',
  facts: { daysPastDue: 31, oldestDueDate: '2026-04-10' },
  raisedOn: '2026-05-10',
  raisedAt: '2026-05-10T16:00:00Z',
  status: 'assigned',
  assigneeId: 5,
  assigneeName: '贷后专员',
  departmentId: null,
  actions: ['assign', 'handle'],
  version: 2,
  updatedAt: '2026-05-11T01:00:00Z',
  ...over,
});

const detail = (w: Warning, history: WarningDetail['history'] = []): WarningDetail => ({ warning: w, history });

const assigned = {
  id: 1,
  action: 'assign' as const,
  fromStatus: 'open' as const,
  toStatus: 'assigned' as const,
  assigneeId: 5,
  assigneeName: '贷后专员',
  note: '请本周内上门',
  actorId: 1,
  actorName: '管理员',
  at: '2026-05-11T01:00:00Z',
};

function renderWith(element: React.ReactNode, userId: number, permissions: string[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(userId, permissions));
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter>{element}</MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

const handler = [P.warningRead, P.warningHandle, P.loanRead];

describe('贷后预警: the list and the handling drawer', () => {
  it('lists the warnings not yet closed, saying what each is about', async () => {
    const api = stubApi({
      'GET /api/v1/warning-rules': { body: RULES },
      'GET /api/v1/warnings': { body: page([warning(), warning({ id: 2, kind: 'gps_alarm', ruleCode: 'gps_alarm', level: 'high', status: 'open', assigneeId: null, assigneeName: null, actions: ['assign'], facts: { imei: '490154203237518', alarm: 'power_cut' } })]) },
    });
    renderWith(<WarningsPage />, 5, handler);
    const table = await screen.findByTestId('warnings-table');
    expect(await within(table).findByText('逾期 31 天（最早未还应还日 2026-04-10）')).toBeInTheDocument();
    expect(within(table).getByText('GPS 490154203237518 报警：断电')).toBeInTheDocument();
    expect(within(table).getByText('逾期 ≥ 30 天')).toBeInTheDocument();
    expect(within(table).getByText('待分派')).toBeInTheDocument();
    const [call] = api.of('GET', '/api/v1/warnings');
    expect(call.query.get('live')).toBe('true');
    expect(call.query.get('status')).toBeNull();
  });

  it('lets the assignee record the handling with a note, and shows the history', async () => {
    const handled = warning({ status: 'handled', actions: ['close'], version: 3 });
    const api = stubApi({
      'GET /api/v1/warning-rules': { body: RULES },
      'GET /api/v1/warnings': { body: page([warning()]) },
      'GET /api/v1/warnings/1': { body: detail(warning(), [assigned]) },
      'POST /api/v1/warnings/1/handle': {
        body: detail(handled, [assigned, { ...assigned, id: 2, action: 'handle', fromStatus: 'assigned', toStatus: 'handled', assigneeId: null, assigneeName: null, note: '已上门，借款人承诺周五还款', actorId: 5, actorName: '贷后专员' }]),
      },
    });
    renderWith(<WarningsPage />, 5, handler);
    fireEvent.click(await screen.findByTestId('warning-open-1'));
    const drawer = await screen.findByTestId('warning-drawer');
    expect(await within(drawer).findByTestId('warning-history')).toHaveTextContent('请本周内上门');
    expect(within(drawer).getByTestId('warning-action-handle')).toBeInTheDocument();
    // Handling needs a note.
    fireEvent.click(within(drawer).getByTestId('warning-submit'));
    expect(await within(drawer).findByText('请填写备注')).toBeInTheDocument();
    expect(api.of('POST', '/api/v1/warnings/1/handle')).toHaveLength(0);
    fireEvent.change(within(drawer).getByTestId('warning-note'), { target: { value: ' 已上门，借款人承诺周五还款 ' } });
    fireEvent.click(within(drawer).getByTestId('warning-submit'));
    await waitFor(() => expect(api.of('POST', '/api/v1/warnings/1/handle')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/warnings/1/handle')[0].body).toEqual({ note: '已上门，借款人承诺周五还款', version: 2 });
    await waitFor(() => expect(within(drawer).getByTestId('warning-history')).toHaveTextContent('借款人承诺周五还款'));
    // Handled: closing is what is left.
    expect(within(drawer).getByTestId('warning-action-close')).toBeInTheDocument();
    expect(within(drawer).queryByTestId('warning-action-handle')).not.toBeInTheDocument();
  });

  it('leaves the handling to the assignee; anyone else who handles warnings may reassign', async () => {
    stubApi({
      'GET /api/v1/warning-rules': { body: RULES },
      'GET /api/v1/warnings': { body: page([warning()]) },
      'GET /api/v1/warnings/1': { body: detail(warning(), [assigned]) },
    });
    renderWith(<WarningsPage />, 9, handler);
    fireEvent.click(await screen.findByTestId('warning-open-1'));
    const drawer = await screen.findByTestId('warning-drawer');
    expect(await within(drawer).findByText('已分派给 贷后专员，由其记录处理结果')).toBeInTheDocument();
    expect(within(drawer).queryByTestId('warning-action-handle')).not.toBeInTheDocument();
    expect(within(drawer).getByTestId('warning-action-assign')).toBeInTheDocument();
    expect(within(drawer).getByText('改派')).toBeInTheDocument();
  });

  it('shows a step the server refuses in the user’s language', async () => {
    const api = stubApi({
      'GET /api/v1/warning-rules': { body: RULES },
      'GET /api/v1/warnings': { body: page([warning()]) },
      'GET /api/v1/warnings/1': { body: detail(warning(), [assigned]) },
      'POST /api/v1/warnings/1/handle': problem(409, 'invalid_transition'),
    });
    renderWith(<WarningsPage />, 5, handler);
    fireEvent.click(await screen.findByTestId('warning-open-1'));
    const drawer = await screen.findByTestId('warning-drawer');
    fireEvent.change(await within(drawer).findByTestId('warning-note'), { target: { value: '已处理' } });
    fireEvent.click(within(drawer).getByTestId('warning-submit'));
    expect(await screen.findByText('当前状态下不能执行此操作，请刷新后查看')).toBeInTheDocument();
    expect(api.of('POST', '/api/v1/warnings/1/handle')).toHaveLength(1);
  });

  it('offers no step to someone who may only read warnings', async () => {
    stubApi({
      'GET /api/v1/warning-rules': { body: RULES },
      'GET /api/v1/warnings': { body: page([warning()]) },
      'GET /api/v1/warnings/1': { body: detail(warning(), [assigned]) },
    });
    renderWith(<WarningsPage />, 5, [P.warningRead]);
    fireEvent.click(await screen.findByTestId('warning-open-1'));
    const drawer = await screen.findByTestId('warning-drawer');
    await within(drawer).findByTestId('warning-history');
    expect(within(drawer).queryByTestId('warning-step')).not.toBeInTheDocument();
  });
});

describe('预警规则: the settings form', () => {
  it('checks the thresholds before saving and sends the whole set', async () => {
    const api = stubApi({
      'GET /api/v1/warning-rules': { body: RULES },
      'PUT /api/v1/warning-rules': (call) => ({ body: (call.body as { rules: WarningRule[] }).rules.map((r) => ({ ...RULES.find((x) => x.code === r.code)!, ...r })) }),
    });
    renderWith(<WarningRulesPage />, 1, [P.warningRead, P.warningRuleWrite]);
    const days = await screen.findByTestId('rule-dpd_90-days');
    const input = days;
    fireEvent.change(input, { target: { value: '30' } });
    fireEvent.blur(input);
    fireEvent.click(screen.getByTestId('rules-save'));
    expect(await screen.findByTestId('rule-dpd_90-problem')).toHaveTextContent('与另一条启用的逾期规则天数相同');
    expect(api.of('PUT', '/api/v1/warning-rules')).toHaveLength(0);
    fireEvent.change(input, { target: { value: '60' } });
    fireEvent.blur(input);
    fireEvent.click(screen.getByTestId('rules-save'));
    await waitFor(() => expect(api.of('PUT', '/api/v1/warning-rules')).toHaveLength(1));
    const body = api.of('PUT', '/api/v1/warning-rules')[0].body as { rules: { code: string; days: number | null }[] };
    expect(body.rules).toHaveLength(5);
    expect(body.rules.find((r) => r.code === 'dpd_90')).toEqual({ code: 'dpd_90', days: 60, level: 'high', enabled: true, version: 1 });
    expect(body.rules.find((r) => r.code === 'gps_alarm')!.days).toBeNull();
  });

  it('is read-only without warning:rule:write', async () => {
    stubApi({ 'GET /api/v1/warning-rules': { body: RULES } });
    renderWith(<WarningRulesPage />, 1, [P.warningRead]);
    const days = await screen.findByTestId('rule-dpd_1-days');
    expect(days).toBeDisabled();
    expect(screen.queryByTestId('rules-save')).not.toBeInTheDocument();
  });
});

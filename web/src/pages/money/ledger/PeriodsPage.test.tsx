// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { financeKeys } from '../../../api/finance';
import { stubApi } from '../../../test/api';
import { me } from '../testFixtures';
import PeriodsPage from './PeriodsPage';

afterEach(() => vi.unstubAllGlobals());

const PERIODS = [
  { period: '2026-03', status: 'open', vouchers: 4, closedAt: null, closedByName: null },
  { period: '2026-02', status: 'closed', vouchers: 9, closedAt: '2026-03-01T01:00:00Z', closedByName: '会计甲' },
];
const check = (code: string, ok: boolean, detail = '') => ({ code, ok, detail });

function renderPage(permissions: string[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(ME_KEY, me(1, permissions));
  client.setQueryData(financeKeys.businessDate, '2026-03-20');
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter>
          <PeriodsPage />
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

describe('期末结账', () => {
  it('lists what the close of the oldest open period waits for, and holds the close back until it passes', async () => {
    stubApi({
      'GET /api/v1/periods': { body: PERIODS },
      'GET /api/v1/periods/2026-03/close-checks': {
        body: [
          check('registrations_checked', false, '1 disbursement, repayment or fee registration(s) await review'),
          check('earlier_periods_closed', true, '0 earlier period(s) still open'),
          check('vouchers_reviewed', true),
          check('trial_balance_balanced', true),
        ],
      },
    });
    renderPage([P.ledgerRead, P.ledgerPeriodClose, P.ledgerPeriodReopen]);
    const checks = await screen.findByTestId('close-checks');
    expect(within(checks).getByTestId('close-check-registrations_checked')).toHaveAttribute('data-ok', 'false');
    expect(within(checks).getByTestId('close-check-registrations_checked')).toHaveTextContent('放款、还款、收费登记均已复核');
    expect(within(checks).getByTestId('close-check-trial_balance_balanced')).toHaveAttribute('data-ok', 'true');
    expect(screen.getByTestId('close-ready')).toHaveAttribute('data-ready', 'false');
    expect(screen.getByTestId('period-close')).toBeDisabled();
    // Only the latest closed period may be reopened.
    expect(within(screen.getByTestId('period-2026-02')).getByTestId('period-reopen-2026-02')).toBeInTheDocument();
  });

  it('closes a period whose checks pass', async () => {
    const api = stubApi({
      'GET /api/v1/periods': { body: PERIODS },
      'GET /api/v1/periods/2026-03/close-checks': { body: [check('registrations_checked', true), check('trial_balance_balanced', true)] },
      'POST /api/v1/periods/2026-03/close': {
        body: { period: { ...PERIODS[0], status: 'closed' }, checks: [], carryVoucherId: 12, yearEndVoucherId: null },
      },
    });
    renderPage([P.ledgerRead, P.ledgerPeriodClose]);
    const close = await screen.findByTestId('period-close');
    await waitFor(() => expect(close).toBeEnabled());
    fireEvent.click(close);
    fireEvent.click(await screen.findByRole('button', { name: /确\s*定/ }));
    await waitFor(() => expect(api.of('POST', '/api/v1/periods/2026-03/close')).toHaveLength(1));
    expect(await screen.findByText('2026-03 已结账')).toBeInTheDocument();
  });

  it('shows the checks without a close button to someone who may only read the books', async () => {
    stubApi({
      'GET /api/v1/periods': { body: PERIODS },
      'GET /api/v1/periods/2026-03/close-checks': { body: [check('trial_balance_balanced', true)] },
    });
    renderPage([P.ledgerRead]);
    await screen.findByTestId('close-checks');
    expect(screen.queryByTestId('period-close')).not.toBeInTheDocument();
    expect(screen.queryByTestId('period-reopen-2026-02')).not.toBeInTheDocument();
  });
});

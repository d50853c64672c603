// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { page, stubApi } from '../../../test/api';
import { me, repayment } from '../testFixtures';
import RepaymentsPage from './RepaymentsPage';
import RepaymentDetailPage from './RepaymentDetailPage';

afterEach(() => vi.unstubAllGlobals());

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(7, [P.loanRead, P.repaymentConfirm]));
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/money/repayments" element={<RepaymentsPage />} />
            <Route path="/money/repayments/:id" element={<RepaymentDetailPage />} />
          </Routes>
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

// The close applied 4 707.35 of a 5 292.65 credit balance to period 2 (962.93 interest +
// 3 744.42 principal): no money came in, nobody registered it.
const FROM_CREDIT = repayment(12, 0, {
  kind: 'credit_application',
  status: 'confirmed',
  amount: '0.00',
  channel: 'credit_balance',
  fundAccountCode: '224101',
  fundAccountName: '客户溢缴款',
  reference: '日终 2026-05-10 溢缴款冲抵',
  valueDate: '2026-05-10',
  registeredBy: null,
  registeredByName: null,
  confirmedAt: '2026-05-11T09:00:00Z',
  voucherId: 88,
  allocation: {
    lines: [
      { period: 2, component: 'interest', amount: '962.93' },
      { period: 2, component: 'principal', amount: '3744.42' },
    ],
    totals: { fees: '0.00', penalty: '0.00', compound: '0.00', interest: '962.93', principal: '3744.42' },
    creditBefore: '5292.65',
    creditAfter: '585.30',
    principalOverdue: '0.00',
    interestFromReceivable: '962.93',
    interestReversed: '0.00',
  },
});

describe('还款台账 and 溢缴款冲抵', () => {
  it('shows credit the close applied by the amount applied, from the credit balance, made by the close', async () => {
    stubApi({
      'GET /api/v1/repayments': { body: page([FROM_CREDIT, repayment(11, 5, { status: 'confirmed', amount: '10000.00' })]) },
      'GET /api/v1/business-date': { body: { today: '2026-05-11' } },
    });
    renderAt('/money/repayments');
    const fromCredit = await screen.findByTestId('repayment-from-credit-12');
    expect(fromCredit).toHaveTextContent('溢缴款冲抵');
    expect(fromCredit).toHaveTextContent('4,707.35');
    const row = fromCredit.closest('tr') as HTMLElement;
    expect(within(row).getByText('溢缴款')).toBeInTheDocument();
    expect(within(row).getByText('日终自动')).toBeInTheDocument();
    // Money received shows as it came.
    const paid = screen.getByTestId('repayment-link-11').closest('tr') as HTMLElement;
    expect(within(paid).getByText('10,000.00')).toBeInTheDocument();
    expect(within(paid).getByText('出纳5')).toBeInTheDocument();
    expect(screen.queryByTestId('repayment-from-credit-11')).not.toBeInTheDocument();
    // A wide table renders slowly on a busy machine: a bound, not a measure.
  }, 30_000);

  it('explains an application from credit on its page, with nothing to confirm', async () => {
    stubApi({ 'GET /api/v1/repayments/12': { body: FROM_CREDIT } });
    renderAt('/money/repayments/12');
    expect(await screen.findByTestId('repayment-from-credit')).toHaveTextContent('日终用借款人的溢缴款自动冲抵');
    const facts = screen.getByTestId('repayment-facts');
    expect(facts).toHaveTextContent('溢缴款冲抵');
    expect(facts).toHaveTextContent('日终自动');
    expect(screen.getByTestId('allocation-credit-after')).toHaveTextContent('585.30');
    expect(screen.queryByTestId('repayment-confirm')).not.toBeInTheDocument();
  }, 30_000);
});

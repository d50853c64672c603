// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { page, problem, stubApi } from '../../../test/api';
import { disbursement, me, repayment } from '../testFixtures';
import FinanceInboxPage from './FinanceInboxPage';

afterEach(() => vi.unstubAllGlobals());

const REVIEWER = 7;

function renderInbox(permissions: string[], path = '/money/inbox') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(REVIEWER, permissions));
  render(
    <QueryClientProvider client={client}>
      <AntdApp>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path="/money/inbox" element={<FinanceInboxPage />} />
          </Routes>
        </MemoryRouter>
      </AntdApp>
    </QueryClientProvider>,
  );
}

describe('财务待办', () => {
  it("shows one's own registrations with their maker but offers no review on them", async () => {
    stubApi({
      'GET /api/v1/disbursements': { body: page([disbursement(1, REVIEWER), disbursement(2, 8)]) },
      'GET /api/v1/repayments': { body: page([repayment(3, 8)]) },
    });
    renderInbox([P.loanRead, P.disbursementReview, P.repaymentConfirm]);
    const own = await screen.findByTestId('inbox-disbursement-1');
    expect(within(own).getByTestId('inbox-own-disbursement-1')).toHaveTextContent('本人登记');
    expect(within(own).getByText(`出纳${REVIEWER}`)).toBeInTheDocument();
    expect(within(own).queryByTestId('inbox-check-disbursement-1')).not.toBeInTheDocument();
    const other = screen.getByTestId('inbox-disbursement-2');
    expect(within(other).getByTestId('inbox-check-disbursement-2')).toBeInTheDocument();
    expect(within(other).getByText('出纳8')).toBeInTheDocument();
    expect(within(other).getByText('100,000.00')).toBeInTheDocument();

    // Opened anyway, one's own registration has no decision to make.
    fireEvent.click(within(own).getByTestId('inbox-view-disbursement-1'));
    const drawer = await screen.findByTestId('check-own');
    expect(drawer).toHaveTextContent('须由其他有权限的人员复核');
    expect(screen.queryByTestId('check-submit')).not.toBeInTheDocument();
  });

  it('shows the queue read-only to someone who may read loans but not check them', async () => {
    stubApi({
      'GET /api/v1/disbursements': { body: page([disbursement(2, 8)]) },
      'GET /api/v1/repayments': { body: page([]) },
    });
    renderInbox([P.loanRead]);
    const row = await screen.findByTestId('inbox-disbursement-2');
    expect(within(row).queryByTestId('inbox-check-disbursement-2')).not.toBeInTheDocument();
    expect(within(row).getByTestId('inbox-view-disbursement-2')).toBeInTheDocument();
  });

  it('reviews a disbursement: a rejection needs a reason; the approval carries an Idempotency-Key', async () => {
    const api = stubApi({
      'GET /api/v1/disbursements': { body: page([disbursement(2, 8)]) },
      'GET /api/v1/repayments': { body: page([]) },
      'POST /api/v1/disbursements/2/review': { body: disbursement(2, 8, { status: 'approved', version: 2 }) },
    });
    renderInbox([P.loanRead, P.disbursementReview]);
    fireEvent.click(await screen.findByTestId('inbox-check-disbursement-2'));
    const figures = await screen.findByTestId('check-figures');
    expect(within(figures).getByTestId('check-amount')).toHaveTextContent('100,000.00');
    expect(figures).toHaveTextContent('BANK-2');

    fireEvent.click(screen.getByTestId('check-reject'));
    await waitFor(() => expect(screen.getByTestId('check-submit')).toHaveTextContent('确认拒绝'));
    fireEvent.click(screen.getByTestId('check-submit'));
    expect(await screen.findByText('拒绝时请填写原因')).toBeInTheDocument();
    expect(api.of('POST', '/api/v1/disbursements/2/review')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('check-approve'));
    await waitFor(() => expect(screen.getByTestId('check-submit')).toHaveTextContent('确认放款'));
    fireEvent.click(screen.getByTestId('check-submit'));
    await waitFor(() => expect(api.of('POST', '/api/v1/disbursements/2/review')).toHaveLength(1));
    const [call] = api.of('POST', '/api/v1/disbursements/2/review');
    expect(call.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(call.body).toEqual({ decision: 'approve', comment: null, version: 1 });
    expect(await screen.findByText('已复核通过，贷款已生成')).toBeInTheDocument();
  });

  it("shows the server's maker-checker refusal and keeps the key for the same decision sent again", async () => {
    const api = stubApi({
      'GET /api/v1/disbursements': { body: page([]) },
      'GET /api/v1/repayments': { body: page([repayment(3, 8)]) },
      'GET /api/v1/loans/5': problem(404, 'not_found'),
      'POST /api/v1/repayments/3/confirm': [problem(403, 'maker_checker'), { body: repayment(3, 8, { status: 'confirmed' }) }],
    });
    renderInbox([P.loanRead, P.repaymentConfirm], '/money/inbox?tab=repayments');
    fireEvent.click(await screen.findByTestId('inbox-check-repayment-3'));
    await screen.findByTestId('check-figures');
    fireEvent.click(screen.getByTestId('check-submit'));
    expect(await screen.findByText('登记人不能复核或确认自己登记的业务，请由其他人员处理')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('check-submit'));
    await waitFor(() => expect(api.of('POST', '/api/v1/repayments/3/confirm')).toHaveLength(2));
    const [first, second] = api.of('POST', '/api/v1/repayments/3/confirm');
    expect(second.headers.get('Idempotency-Key')).toBe(first.headers.get('Idempotency-Key'));
  });
});

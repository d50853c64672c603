// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BP } from '../permissions';
import { page, problem, renderWith, stubApi } from '../testing';
import ReversalsPage from './ReversalsPage';

afterEach(() => vi.unstubAllGlobals());

const reversal = (id: number, requestedBy: number, over: Record<string, unknown> = {}) => ({
  id,
  repaymentId: 70 + id,
  loanId: 5,
  loanNo: 'JK20260302000041-01',
  customerName: '借款人1',
  amount: '5000.00',
  status: 'requested',
  reason: '串户，应为另一笔贷款',
  requestedBy,
  requestedByName: `出纳${requestedBy}`,
  requestedAt: '2026-03-05T02:00:00Z',
  reviewedByName: null,
  reviewComment: null,
  voucherId: null,
  version: 1,
  ...over,
});

const repayment = {
  id: 71,
  loanId: 5,
  loanNo: 'JK20260302000041-01',
  customerId: 3,
  customerName: '借款人1',
  kind: 'regular',
  status: 'confirmed',
  amount: '5000.00',
  channel: 'bank_transfer',
  fundAccountCode: '100201',
  fundAccountName: '基本存款账户',
  reference: 'TX-1',
  valueDate: '2026-03-02',
  registeredBy: 3,
  registeredByName: '出纳3',
  registeredAt: '2026-03-02T03:00:00Z',
  confirmedAt: '2026-03-02T04:00:00Z',
  confirmedByName: '复核乙',
  version: 2,
};

describe('还款冲正', () => {
  it('explains a 409 later_repayments: the later repayments are reversed first', async () => {
    const api = stubApi({
      'GET /api/v1/repayment-reversals': { body: page([reversal(1, 7)]) },
      'POST /api/v1/repayment-reversals/1/review': problem(409, 'later_repayments', '2 later repayment(s) on this loan were applied after it; reverse them first'),
    });
    renderWith(<ReversalsPage />, { userId: 3, permissions: [BP.loanRead, BP.repaymentReverseApprove] });
    fireEvent.click(await screen.findByTestId('books-reversal-review-1'));
    fireEvent.click(await screen.findByTestId('books-reversal-review-ok'));
    const later = await screen.findByTestId('books-reversal-later');
    expect(later).toHaveTextContent('该笔还款之后还有 2 笔还款已入账。请先冲正较晚的还款，再审批这一笔。');
    const [call] = api.of('POST', '/api/v1/repayment-reversals/1/review');
    expect(call.body).toEqual({ decision: 'approve', comment: null, version: 1 });
    expect(call.headers.get('Idempotency-Key')).toBeTruthy();
    expect(api.of('GET', '/api/v1/repayment-reversals')[0].query.get('status')).toBe('requested');
  });

  it('keeps one’s own request out of one’s approvals', async () => {
    stubApi({ 'GET /api/v1/repayment-reversals': { body: page([reversal(2, 3)]) } });
    renderWith(<ReversalsPage />, { userId: 3, permissions: [BP.loanRead, BP.repaymentReverseApprove] });
    const row = await screen.findByTestId('books-reversal-row-2');
    expect(within(row).queryByTestId('books-reversal-review-2')).not.toBeInTheDocument();
    expect(row).toHaveTextContent('本人申请');
  });

  it('asks for the reversal of a confirmed repayment with a reason and an Idempotency-Key kept for the retry', async () => {
    const api = stubApi({
      'GET /api/v1/repayment-reversals': { body: page([]) },
      'GET /api/v1/repayments': { body: page([repayment]) },
      'POST /api/v1/repayments/71/reversals': ['network', { status: 201, body: reversal(9, 3) }],
    });
    renderWith(<ReversalsPage />, { userId: 3, permissions: [BP.loanRead, BP.repaymentReverse] });
    fireEvent.click(await screen.findByRole('tab', { name: '申请冲正' }));
    fireEvent.click(await screen.findByTestId('books-reversal-request-71'));
    expect(api.of('GET', '/api/v1/repayments')[0].query.get('status')).toBe('confirmed');
    fireEvent.click(await screen.findByTestId('books-reversal-request-ok'));
    expect(await screen.findByText('请填写此项')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('冲正原因'), { target: { value: '银行退票' } });
    fireEvent.click(screen.getByTestId('books-reversal-request-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/repayments/71/reversals')).toHaveLength(1));
    fireEvent.click(screen.getByTestId('books-reversal-request-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/repayments/71/reversals')).toHaveLength(2));
    const [first, retry] = api.of('POST', '/api/v1/repayments/71/reversals');
    expect(first.body).toEqual({ reason: '银行退票' });
    expect(first.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.headers.get('Idempotency-Key')).toBe(first.headers.get('Idempotency-Key'));
    await waitFor(() => expect(screen.queryByTestId('books-reversal-request-ok')).not.toBeInTheDocument());
  });
});

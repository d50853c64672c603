// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BP } from '../permissions';
import { page, problem, renderWith, stubApi } from '../testing';
import VoucherReviewPage from './VoucherReviewPage';

afterEach(() => vi.unstubAllGlobals());

const PENDING = {
  id: 31,
  voucherNo: '记-2026-03-0031',
  period: '2026-03',
  voucherDate: '2026-03-20',
  status: 'pending' as const,
  sourceKind: 'manual',
  summary: '计提办公费',
  createdBy: 5,
  createdByName: '会计甲',
  createdAt: '2026-03-20T02:00:00Z',
  total: '0.30',
  lines: [
    { lineNo: 1, accountCode: '6602', accountName: '管理费用', debit: '0.10', credit: '0.00', memo: '' },
    { lineNo: 2, accountCode: '6602', accountName: '管理费用', debit: '0.20', credit: '0.00', memo: '' },
    { lineNo: 3, accountCode: '100201', accountName: '基本存款账户', debit: '0.00', credit: '0.30', memo: '' },
  ],
};

describe('凭证审核', () => {
  it('lists pending vouchers and posts one', async () => {
    const api = stubApi({
      'GET /api/v1/vouchers': { body: page([PENDING]) },
      'POST /api/v1/vouchers/31/review': { body: { ...PENDING, status: 'posted' } },
    });
    renderWith(<VoucherReviewPage />, { permissions: [BP.ledgerRead, BP.voucherReview] });
    fireEvent.click(await screen.findByTestId('books-review-31'));
    // The lines and their totals, added exactly.
    const lines = await screen.findByTestId('books-voucher-lines-31');
    expect(within(lines).getAllByText('0.30').length).toBeGreaterThanOrEqual(2);
    fireEvent.click(screen.getByTestId('books-review-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/vouchers/31/review')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/vouchers/31/review')[0].body).toEqual({ decision: 'post', comment: null });
    expect(api.of('GET', '/api/v1/vouchers')[0].query.get('status')).toBe('pending');
  });

  it('asks for a comment before a rejection', async () => {
    const api = stubApi({
      'GET /api/v1/vouchers': { body: page([PENDING]) },
      'POST /api/v1/vouchers/31/review': { body: { ...PENDING, status: 'rejected' } },
    });
    renderWith(<VoucherReviewPage />, { permissions: [BP.ledgerRead, BP.voucherReview] });
    fireEvent.click(await screen.findByTestId('books-review-31'));
    fireEvent.click(await screen.findByTestId('books-review-reject'));
    fireEvent.click(screen.getByTestId('books-review-ok'));
    expect(await screen.findByText('驳回时请写明原因')).toBeInTheDocument();
    expect(api.of('POST', '/api/v1/vouchers/31/review')).toHaveLength(0);
    fireEvent.change(screen.getByTestId('books-review-comment'), { target: { value: '科目错误' } });
    fireEvent.click(screen.getByTestId('books-review-ok'));
    await waitFor(() => expect(api.of('POST', '/api/v1/vouchers/31/review')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/vouchers/31/review')[0].body).toEqual({ decision: 'reject', comment: '科目错误' });
  });

  it('tells the maker that someone else must review their voucher (403 maker_checker)', async () => {
    stubApi({
      'GET /api/v1/vouchers': { body: page([PENDING]) },
      'POST /api/v1/vouchers/31/review': problem(403, 'maker_checker'),
    });
    renderWith(<VoucherReviewPage />, { permissions: [BP.ledgerRead, BP.voucherReview] });
    fireEvent.click(await screen.findByTestId('books-review-31'));
    fireEvent.click(await screen.findByTestId('books-review-ok'));
    expect(await screen.findByTestId('books-review-own')).toHaveTextContent('这是您制单的凭证，需由他人审核');
    expect(screen.getByTestId('books-review-ok')).toBeDisabled();
  });

  it("offers no review of one's own voucher, and says who must review it", async () => {
    stubApi({ 'GET /api/v1/vouchers': { body: page([PENDING, { ...PENDING, id: 32, voucherNo: '记-2026-03-0032', createdBy: 1 }]) } });
    renderWith(<VoucherReviewPage />, { userId: 1, permissions: [BP.ledgerRead, BP.voucherReview] });
    expect(await screen.findByTestId('books-review-31')).toBeInTheDocument();
    expect(screen.getByTestId('books-review-others-32')).toHaveTextContent('需由他人审核');
    expect(screen.queryByTestId('books-review-32')).not.toBeInTheDocument();
  });

  it('shows no review action without the permission', async () => {
    stubApi({ 'GET /api/v1/vouchers': { body: page([PENDING]) } });
    renderWith(<VoucherReviewPage />, { permissions: [BP.ledgerRead] });
    await screen.findByTestId('books-review-row-31');
    expect(screen.queryByTestId('books-review-31')).not.toBeInTheDocument();
  });
});

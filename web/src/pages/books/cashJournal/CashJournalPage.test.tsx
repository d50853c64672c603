// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { session } from '../../../auth/session';
import { BP } from '../permissions';
import { renderWith, signIn, stubApi } from '../testing';
import CashJournalPage from './CashJournalPage';

const JOURNAL = {
  accountCode: '1001',
  accountName: '库存现金',
  from: '2026-03-01',
  to: '2026-03-20',
  opening: '1000.00',
  entries: [
    { voucherDate: '2026-03-02', voucherId: 9, voucherNo: '记-2026-03-0002', summary: '收回贷款', memo: '还款收入', debit: '5000.00', credit: '0.00', balance: '6000.00' },
    { voucherDate: '2026-03-05', voucherId: 11, voucherNo: '记-2026-03-0004', summary: '支付办公费', memo: '支付办公费', debit: '0.00', credit: '0.10', balance: '5999.90' },
  ],
  totalDebit: '5000.00',
  totalCredit: '0.10',
  closing: '5999.90',
};
const row = (code: string, name: string, opening: string, debit: string, credit: string, closing: string) => ({ accountCode: code, accountName: name, opening, debit, credit, closing });

let saved: string[] = [];
beforeEach(() => {
  saved = [];
  signIn('token-cash');
  URL.createObjectURL = vi.fn(() => 'blob:x');
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push(this.download);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  session.clear();
});

describe('资金日记账', () => {
  it('shows the opening, each receipt and payment with the running balance, the totals and the closing', async () => {
    const api = stubApi({ 'GET /api/v1/cash-journal/1001': { body: JOURNAL } });
    renderWith(<CashJournalPage />, { permissions: [BP.ledgerRead] });
    expect(await screen.findByTestId('books-journal-opening-balance')).toHaveTextContent('1,000.00');
    const first = screen.getByTestId('books-journal-e0');
    expect(first).toHaveTextContent('记-2026-03-0002');
    expect(first).toHaveTextContent('5,000.00');
    expect(first).toHaveTextContent('6,000.00');
    expect(within(first).getByRole('link', { name: '记-2026-03-0002' })).toHaveAttribute('href', '/money/vouchers/9');
    expect(screen.getByTestId('books-journal-e1')).toHaveTextContent('5,999.90');
    expect(screen.getByTestId('books-journal-total-debit')).toHaveTextContent('5,000.00');
    expect(screen.getByTestId('books-journal-total-credit')).toHaveTextContent('0.10');
    expect(screen.getByTestId('books-journal-closing-balance')).toHaveTextContent('5,999.90');
    // The first fund account that takes postings, over the month so far.
    const [call] = api.of('GET', '/api/v1/cash-journal/1001');
    expect(Object.fromEntries(call.query)).toEqual({ from: '2026-03-01', to: '2026-03-20' });
  });

  it('exports the journal with the token', async () => {
    const api = stubApi({
      'GET /api/v1/cash-journal/1001': { body: JOURNAL },
      'GET /api/v1/exports/cash-journal/1001': { raw: 'PK', headers: { 'Content-Disposition': 'attachment; filename="cash-journal-1001-2026-03-01.xlsx"' } },
    });
    renderWith(<CashJournalPage />, { permissions: [BP.ledgerRead] });
    await screen.findByTestId('books-journal-opening-balance');
    fireEvent.click(screen.getByTestId('export-cash-journal-xlsx'));
    await waitFor(() => expect(saved).toEqual(['cash-journal-1001-2026-03-01.xlsx']));
    const [call] = api.of('GET', '/api/v1/exports/cash-journal/1001');
    expect(Object.fromEntries(call.query)).toEqual({ from: '2026-03-01', to: '2026-03-20', format: 'xlsx' });
    expect(call.headers.get('Authorization')).toBe('Bearer token-cash');
  });

  it('sums the fund summary exactly and exports it', async () => {
    const api = stubApi({
      'GET /api/v1/cash-journal/1001': { body: JOURNAL },
      'GET /api/v1/fund-summary': {
        body: [row('1001', '库存现金', '0.10', '0.20', '0.00', '0.30'), row('100201', '基本存款账户', '0.20', '0.00', '0.10', '0.10')],
      },
      'GET /api/v1/exports/fund-summary': { raw: '%PDF', headers: { 'Content-Type': 'application/pdf' } },
    });
    renderWith(<CashJournalPage />, { permissions: [BP.ledgerRead] });
    fireEvent.click(await screen.findByRole('tab', { name: '资金汇总' }));
    expect(await screen.findByTestId('books-fund-total-closing')).toHaveTextContent('0.40');
    fireEvent.click(screen.getByTestId('export-fund-summary-pdf'));
    await waitFor(() => expect(saved).toEqual(['fund-summary-2026-03-01.pdf']));
    expect(Object.fromEntries(api.of('GET', '/api/v1/exports/fund-summary')[0].query)).toEqual({ from: '2026-03-01', to: '2026-03-20', format: 'pdf' });
  });
});

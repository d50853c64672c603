// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BP } from '../permissions';
import { problem, renderWith, stubApi } from '../testing';
import ManualVoucherPage from './ManualVoucherPage';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const type = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });

async function pickAccount(line: number, title: string) {
  fireEvent.mouseDown(within(screen.getByTestId(`books-line-${line}`)).getByRole('combobox'));
  await waitFor(() => expect(screen.getAllByTitle(title).length).toBeGreaterThan(0));
  const options = screen.getAllByTitle(title).filter((el) => el.classList.contains('ant-select-item-option'));
  fireEvent.click(options[options.length - 1]);
}

const totals = () => ({
  debit: screen.getByTestId('books-voucher-total-debit').textContent,
  credit: screen.getByTestId('books-voucher-total-credit').textContent,
  difference: screen.getByTestId('books-voucher-difference').textContent,
  balanced: screen.getByTestId('books-voucher-balanced').getAttribute('data-balanced'),
});

const SAVED = {
  id: 31,
  voucherNo: '记-2026-03-0031',
  period: '2026-03',
  voucherDate: '2026-03-20',
  status: 'pending',
  sourceKind: 'manual',
  summary: '计提办公费',
  createdAt: '2026-03-20T02:00:00Z',
  total: '0.30',
  lines: [],
};

describe('手工凭证', () => {
  it('adds the columns exactly (0.10 + 0.20 = 0.30) and allows sending only once they balance', async () => {
    renderWith(<ManualVoucherPage />, { permissions: [BP.ledgerRead, BP.voucherWrite] });
    const submit = await screen.findByTestId('books-voucher-submit');
    expect(submit).toBeDisabled();
    fireEvent.click(screen.getByTestId('books-line-add'));
    type('books-line-0-debit', '0.10');
    type('books-line-1-debit', '0.20');
    type('books-line-2-credit', '0.3');
    await waitFor(() => expect(totals()).toEqual({ debit: '0.30', credit: '0.30', difference: '0.00', balanced: 'true' }));
    // Balanced, but the lines have no accounts yet.
    expect(submit).toBeDisabled();
    await pickAccount(0, '6602 管理费用');
    await pickAccount(1, '6602 管理费用');
    await pickAccount(2, '100201 基本存款账户');
    await waitFor(() => expect(submit).toBeEnabled());
    // Off by a fen: held back again.
    type('books-line-2-credit', '0.29');
    await waitFor(() => expect(totals()).toEqual({ debit: '0.30', credit: '0.29', difference: '0.01', balanced: 'false' }));
    expect(submit).toBeDisabled();
  });

  it('marks a line with both a debit and a credit, and a figure that is not an amount', async () => {
    renderWith(<ManualVoucherPage />, { permissions: [BP.ledgerRead, BP.voucherWrite] });
    await screen.findByTestId('books-voucher-submit');
    type('books-line-0-debit', '5');
    type('books-line-0-credit', '5');
    await waitFor(() => expect(screen.getByTestId('books-line-0')).toHaveAttribute('data-problem', 'oneSide'));
    expect(screen.getByTestId('books-line-0-problem')).toHaveTextContent('每行只填借方或贷方之一');
    type('books-line-1-credit', '1.005');
    await waitFor(() => expect(screen.getByTestId('books-line-1')).toHaveAttribute('data-problem', 'amount'));
    expect(totals().balanced).toBe('false');
  });

  it('does not offer the loans’ control accounts, and sends two-place amounts', async () => {
    const api = stubApi({ 'POST /api/v1/vouchers': { status: 201, body: SAVED } });
    renderWith(<ManualVoucherPage />, { permissions: [BP.ledgerRead, BP.voucherWrite] });
    type('books-voucher-summary', '计提办公费');
    fireEvent.mouseDown(within(await screen.findByTestId('books-line-0')).getByRole('combobox'));
    const control = (await screen.findAllByTitle(/130301 本金-正常/)).find((el) => el.classList.contains('ant-select-item-option'));
    expect(control).toHaveClass('ant-select-item-option-disabled');
    // Parents and disabled accounts take no postings: not offered at all.
    expect(screen.queryAllByTitle('1002 银行存款').filter((el) => el.classList.contains('ant-select-item-option'))).toHaveLength(0);
    expect(screen.queryAllByTitle('100202 一般存款账户').filter((el) => el.classList.contains('ant-select-item-option'))).toHaveLength(0);
    await pickAccount(0, '6602 管理费用');
    await pickAccount(1, '100201 基本存款账户');
    type('books-line-0-debit', '0.3');
    type('books-line-1-credit', '0.30');
    await waitFor(() => expect(screen.getByTestId('books-voucher-submit')).toBeEnabled());
    fireEvent.click(screen.getByTestId('books-voucher-submit'));
    await waitFor(() => expect(api.of('POST', '/api/v1/vouchers')).toHaveLength(1));
    expect(api.of('POST', '/api/v1/vouchers')[0].body).toEqual({
      voucherDate: '2026-03-20',
      summary: '计提办公费',
      lines: [
        { accountCode: '6602', debit: '0.30', credit: '0.00', memo: '' },
        { accountCode: '100201', debit: '0.00', credit: '0.30', memo: '' },
      ],
    });
    expect(await screen.findByTestId('books-voucher-saved')).toHaveTextContent('记-2026-03-0031');
  });

  it('puts the server’s refusal of an account on its line', async () => {
    stubApi({
      'POST /api/v1/vouchers': problem(422, 'validation_failed', undefined, [{ field: 'lines[1].accountCode', code: 'control_account', message: 'kept by the loans' }]),
    });
    renderWith(<ManualVoucherPage />, { permissions: [BP.ledgerRead, BP.voucherWrite] });
    type('books-voucher-summary', '调账');
    await pickAccount(0, '6602 管理费用');
    await pickAccount(1, '2241 其他应付款');
    type('books-line-0-debit', '10');
    type('books-line-1-credit', '10');
    await waitFor(() => expect(screen.getByTestId('books-voucher-submit')).toBeEnabled());
    fireEvent.click(screen.getByTestId('books-voucher-submit'));
    expect(await within(screen.getByTestId('books-line-1')).findByText('该科目由贷款业务自动记账，不能手工录入')).toBeInTheDocument();
  });

  it('on a phone, shows each line as a card with its own labels', async () => {
    const wide = window.matchMedia;
    vi.spyOn(window, 'matchMedia').mockImplementation((query: string) => ({ ...wide(query), matches: /min-width:\s*(\d+)/.test(query) && Number(/min-width:\s*(\d+)/.exec(query)![1]) < 768 }));
    renderWith(<ManualVoucherPage />, { permissions: [BP.ledgerRead, BP.voucherWrite] });
    await screen.findByTestId('books-voucher-submit');
    await waitFor(() => expect(screen.getByText('第 1 行')).toBeInTheDocument());
    expect(within(screen.getByTestId('books-line-0')).getByText('借方金额')).toBeInTheDocument();
  });
});

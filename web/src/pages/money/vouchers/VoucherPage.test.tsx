// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import '../../../i18n';
import { ME_KEY } from '../../../auth/hooks';
import { P } from '../../../access/permissions';
import { stubApi } from '../../../test/api';
import { me, VOUCHER } from '../testFixtures';
import VoucherPage, { VoucherSheet } from './VoucherPage';

afterEach(() => vi.unstubAllGlobals());

describe('记账凭证', () => {
  it('lays the voucher out as a 记账凭证: number, date, lines, totals in figures and capitals, the names', () => {
    render(<VoucherSheet voucher={VOUCHER} />);
    const sheet = screen.getByTestId('voucher-sheet');
    expect(within(sheet).getByText('记 账 凭 证')).toBeInTheDocument();
    expect(screen.getByTestId('voucher-no')).toHaveTextContent('记-2026-03-0002');
    expect(screen.getByTestId('voucher-date')).toHaveTextContent('2026-03-02');
    expect(screen.getByTestId('voucher-summary')).toHaveTextContent('收回贷款 JK20260302000041-01');

    const bank = screen.getByTestId('voucher-line-100201');
    expect(bank).toHaveTextContent('100201 基本存款账户');
    expect(within(bank).getByTestId('line-debit')).toHaveTextContent('5,000.00');
    // A zero is left blank, as on a paper voucher.
    expect(within(bank).getByTestId('line-credit')).toHaveTextContent(/^$/);
    expect(within(screen.getByTestId('voucher-line-130301')).getByTestId('line-credit')).toHaveTextContent('4,000.00');

    expect(screen.getByTestId('voucher-total-debit')).toHaveTextContent('5,000.00');
    expect(screen.getByTestId('voucher-total-credit')).toHaveTextContent('5,000.00');
    expect(screen.getByTestId('voucher-words')).toHaveTextContent('伍仟元整');
    expect(screen.getByTestId('voucher-preparer')).toHaveTextContent('出纳甲');
    expect(screen.getByTestId('voucher-reviewer')).toHaveTextContent('复核乙');
    expect(screen.queryByText('借贷不平衡，请联系系统管理员')).not.toBeInTheDocument();
  });

  it('warns when the columns do not agree', () => {
    const broken = { ...VOUCHER, lines: VOUCHER.lines.slice(0, 2) };
    render(<VoucherSheet voucher={broken} />);
    expect(screen.getByTestId('voucher-total-credit')).toHaveTextContent('943.40');
    expect(screen.getByText('借贷不平衡，请联系系统管理员')).toBeInTheDocument();
  });

  it('is printed from its page', async () => {
    stubApi({ 'GET /api/v1/vouchers/9': { body: VOUCHER } });
    const print = vi.fn();
    vi.stubGlobal('print', print);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    client.setQueryData(ME_KEY, me(1, [P.ledgerRead, P.loanRead]));
    render(
      <QueryClientProvider client={client}>
        <AntdApp>
          <MemoryRouter initialEntries={['/money/vouchers/9']}>
            <Routes>
              <Route path="/money/vouchers/:id" element={<VoucherPage />} />
            </Routes>
          </MemoryRouter>
        </AntdApp>
      </QueryClientProvider>,
    );
    fireEvent.click(await screen.findByTestId('voucher-print'));
    expect(print).toHaveBeenCalled();
    // The repayment behind it is one click away.
    expect(screen.getByRole('link', { name: '还款' })).toHaveAttribute('href', '/money/repayments/1');
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import '../../../i18n';
import '../../../test/api';
import type { TrialBalance, TrialBalanceRow } from '../../../api/finance';
import { BalancedBanner, TrialBalanceTable } from './TrialBalancePage';

const row = (code: string, name: string, over: Partial<TrialBalanceRow>): TrialBalanceRow => ({
  code,
  name,
  level: code.length === 4 ? 0 : 1,
  category: 'asset',
  direction: 'debit',
  opening: '0.00',
  debit: '0.00',
  credit: '0.00',
  closing: '0.00',
  ...over,
});

const TB: TrialBalance = {
  period: '2026-03',
  rows: [
    row('1002', '银行存款', { debit: '5000.00', credit: '100000.00', closing: '-95000.00' }),
    row('100201', '基本存款账户', { debit: '5000.00', credit: '100000.00', closing: '-95000.00' }),
    row('1303', '贷款', { debit: '100000.00', closing: '100000.00' }),
    row('130301', '本金-正常', { debit: '100000.00', closing: '100000.00' }),
    row('2241', '其他应付款', { category: 'liability', direction: 'credit', credit: '5000.00', closing: '5000.00' }),
  ],
  totalDebit: '105000.00',
  totalCredit: '105000.00',
  closingDebitSide: '100000.00',
  closingCreditSide: '100000.00',
  balanced: true,
};

describe('科目余额表', () => {
  it('shows each balance on its side, the movements, and the totals', () => {
    render(<TrialBalanceTable tb={TB} />);
    expect(screen.getByTestId('tb-1303-debit')).toHaveTextContent('100,000.00');
    expect(screen.getByTestId('tb-1303-closing')).toHaveTextContent('借100,000.00');
    // The bank paid out more than it took in: its balance stands on the credit side.
    expect(screen.getByTestId('tb-1002-closing')).toHaveTextContent('贷95,000.00');
    expect(screen.getByTestId('tb-1002-credit')).toHaveTextContent('100,000.00');
    expect(screen.getByTestId('tb-2241-closing')).toHaveTextContent('贷5,000.00');
    expect(screen.getByTestId('tb-1303-opening')).toHaveTextContent('平');
    expect(screen.getByTestId('tb-total-debit')).toHaveTextContent('105,000.00');
    expect(screen.getByTestId('tb-total-credit')).toHaveTextContent('105,000.00');
  });

  it('says plainly whether the books balance', () => {
    const { unmount } = render(<BalancedBanner tb={TB} />);
    expect(screen.getByTestId('trial-balanced')).toHaveAttribute('data-balanced', 'true');
    expect(screen.getByText('试算平衡')).toBeInTheDocument();
    unmount();
    render(<BalancedBanner tb={{ ...TB, closingCreditSide: '99999.99', balanced: false }} />);
    expect(screen.getByTestId('trial-balanced')).toHaveAttribute('data-balanced', 'false');
    expect(screen.getByText('试算不平衡')).toBeInTheDocument();
    expect(screen.getByTestId('trial-balanced')).toHaveTextContent('贷方余额合计 99,999.99');
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import '../../../i18n';
import '../../../test/api';
import type { BalanceSheet, IncomeStatement } from '../../../api/finance';
import { BalanceSheetView, IncomeStatementView } from './StatementsPage';

const line = (key: string, label: string, amount: string, level = 0) => ({ key, label, amount, level });

const SHEET: BalanceSheet = {
  period: '2026-03',
  asOf: '2026-03-31',
  assets: [line('monetary_funds', '货币资金', '-95000.00'), line('loans', '发放贷款', '100000.00')],
  liabilities: [line('other_payables', '其他应付款', '5000.00')],
  equity: [line('paid_in_capital', '实收资本', '0.00')],
  totalAssets: '5000.00',
  totalLiabilitiesAndEquity: '5000.00',
  balanced: true,
};

describe('会计报表', () => {
  it('sets assets against liabilities and equity, with both totals and the verdict', () => {
    render(<BalanceSheetView sheet={SHEET} />);
    expect(screen.getByTestId('line-loans')).toHaveTextContent('100,000.00');
    expect(screen.getByTestId('line-monetary_funds')).toHaveTextContent('-95,000.00');
    expect(screen.getByTestId('sheet-assets-total')).toHaveTextContent('5,000.00');
    expect(screen.getByTestId('sheet-equity-total')).toHaveTextContent('5,000.00');
    expect(screen.getByTestId('balance-sheet-balanced')).toHaveAttribute('data-balanced', 'true');
    expect(screen.getByText('截至 2026-03-31')).toBeInTheDocument();
  });

  it('gives the income statement for the period and the year to date', () => {
    const statement: IncomeStatement = {
      period: '2026-03',
      lines: [
        { key: 'interest_income', label: '一、利息净收入', period: '943.40', yearToDate: '2830.19', level: 0 },
        { key: 'net_profit', label: '五、净利润', period: '943.40', yearToDate: '2830.19', level: 1 },
      ],
      netProfit: '943.40',
    };
    render(<IncomeStatementView statement={statement} />);
    expect(screen.getByTestId('line-interest_income')).toHaveTextContent('943.40');
    expect(screen.getByTestId('line-net_profit')).toHaveTextContent('2,830.19');
    expect(screen.getByTestId('line-net_profit')).toHaveClass('statement-total');
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import { BP } from '../permissions';
import { problem, renderWith, stubApi } from '../testing';
import { PayoffQuote } from './PayoffQuote';

afterEach(() => vi.unstubAllGlobals());

describe('提前结清试算', () => {
  it('shows (a) due, (b) remaining principal, (c) days and interest, (d) fee and the total for the business date', async () => {
    const api = stubApi({
      'GET /api/v1/loans/5/payoff-quote': {
        body: {
          date: '2026-03-20',
          dueAmount: '5123.45',
          remainingPrincipal: '80000.00',
          interestFrom: '2026-03-02',
          accruedDays: 18,
          accruedInterest: '480.00',
          fee: '1600.00',
          payoffAmount: '87203.45',
        },
      },
    });
    renderWith(<PayoffQuote loanId={5} />, { permissions: [BP.loanRead] });
    expect(await screen.findByTestId('books-payoff-total')).toHaveTextContent('87,203.45');
    expect(screen.getByTestId('books-payoff-due')).toHaveTextContent('5,123.45');
    expect(screen.getByTestId('books-payoff-principal')).toHaveTextContent('80,000.00');
    expect(screen.getByTestId('books-payoff-interest')).toHaveTextContent('480.00');
    expect(screen.getByTestId('books-payoff-days')).toHaveTextContent('2026-03-02 至 2026-03-20，18 天');
    expect(screen.getByTestId('books-payoff-fee')).toHaveTextContent('1,600.00');
    expect(screen.getByText('捌万柒仟贰佰零叁元肆角伍分')).toBeInTheDocument();
    expect(api.of('GET', '/api/v1/loans/5/payoff-quote')[0].query.get('date')).toBe('2026-03-20');
  });

  it('says so when the loan is not active', async () => {
    stubApi({ 'GET /api/v1/loans/6/payoff-quote': problem(409, 'loan_not_active') });
    renderWith(<PayoffQuote loanId={6} date="2026-04-01" />, { permissions: [BP.loanRead] });
    await waitFor(() => expect(screen.getByTestId('books-payoff-error')).toBeInTheDocument());
  });
});

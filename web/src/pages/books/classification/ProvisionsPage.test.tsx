// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { stubApi } from '../../../test/api';
import { BP } from '../permissions';
import { renderWith } from '../testing';
import ProvisionsPage from './ProvisionsPage';

afterEach(() => vi.unstubAllGlobals());

const line = (classification: string, loans: number, balance: string, rate: string, allowance: string) => ({ classification, loans, balance, rate, allowance });

const REPORT = {
  asOf: '2026-02-28',
  lines: [
    line('normal', 10, '1000000.00', '0', '0.00'),
    line('special_mention', 2, '200000.00', '0.02', '4000.00'),
    line('substandard', 1, '100000.00', '0.25', '25000.00'),
    line('doubtful', 1, '50000.00', '0.5', '25000.00'),
    line('loss', 1, '10000.00', '1', '10000.00'),
  ],
  grossLoans: '1360000.00',
  specificAllowance: '64000.00',
  generalAllowance: '13600.00',
  nonPerforming: '160000.00',
  coveragePct: '48.50',
};

describe('贷款损失准备', () => {
  it('shows the latest run by class with the totals, general allowance, NPLs and coverage', async () => {
    const api = stubApi({ 'GET /api/v1/provisions': { body: REPORT } });
    renderWith(<ProvisionsPage />, { permissions: [BP.loanRead] });
    expect(await screen.findByTestId('provisions-shown')).toHaveTextContent('2026-02-28');
    expect(api.of('GET', '/api/v1/provisions')[0].query.has('asOf')).toBe(false);
    const sub = within(screen.getByTestId('provisions-line-substandard'));
    expect(sub.getByText('次级')).toBeInTheDocument();
    expect(sub.getByText('25%')).toBeInTheDocument();
    expect(sub.getByText('25,000.00')).toBeInTheDocument();
    const total = within(screen.getByTestId('provisions-sum'));
    expect(total.getByText('15')).toBeInTheDocument();
    expect(total.getByText('1,360,000.00')).toBeInTheDocument();
    expect(total.getByText('64,000.00')).toBeInTheDocument();
    expect(screen.getByTestId('provisions-general')).toHaveTextContent('13,600.00');
    expect(screen.getByTestId('provisions-total')).toHaveTextContent('77,600.00');
    expect(screen.getByTestId('provisions-npl')).toHaveTextContent('160,000.00');
    expect(screen.getByTestId('provisions-coverage')).toHaveTextContent('48.50%');
    expect(screen.getByTestId('provisions-rates')).toHaveTextContent('关注 2%');
  });

  it('says so when no month-end provision has run', async () => {
    stubApi({
      'GET /api/v1/provisions': {
        body: { asOf: null, lines: [], grossLoans: '0.00', specificAllowance: '0.00', generalAllowance: '0.00', nonPerforming: '0.00', coveragePct: null },
      },
    });
    renderWith(<ProvisionsPage />, { permissions: [BP.loanRead] });
    expect(await screen.findByTestId('provisions-none')).toHaveTextContent('尚无月末计提记录');
  });
});

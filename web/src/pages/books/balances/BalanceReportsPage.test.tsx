// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { BP } from '../permissions';
import { renderWith, stubApi } from '../testing';
import BalanceReportsPage from './BalanceReportsPage';

afterEach(() => vi.unstubAllGlobals());

const adb = (groupBy: string) => ({
  from: '2026-03-01',
  to: '2026-03-19',
  days: 19,
  groupBy,
  averageDailyBalance: '97785.22',
  items:
    groupBy === 'loan'
      ? [{ productCode: 'CAR-STD', loanId: 9, loanNo: 'DK202603100001', balanceDays: '7529461.90', averageDailyBalance: '97785.22' }]
      : [{ productCode: 'CAR-STD', loanId: null, loanNo: null, balanceDays: '7529461.90', averageDailyBalance: '97785.22' }],
  total: 1,
  page: 1,
  pageSize: 20,
});

const figures = (loanCount: number, principalOutstanding: string, principalOverdue: string, interestReceivable: string, sharePct: string) => ({
  loanCount,
  principalOutstanding,
  principalOverdue,
  interestReceivable,
  sharePct,
});

const QUALITY = {
  date: '2026-03-19',
  byClass: [
    { productCode: null, classification: 'normal', ...figures(3, '300000.00', '0.00', '1200.00', '75.75') },
    { productCode: null, classification: 'special_mention', ...figures(1, '96292.65', '3744.42', '385.17', '24.25') },
  ],
  byProduct: [
    { productCode: 'CAR-STD', classification: 'normal', ...figures(3, '300000.00', '0.00', '1200.00', '75.75') },
    { productCode: 'CAR-STD', classification: 'special_mention', ...figures(1, '96292.65', '3744.42', '385.17', '24.25') },
  ],
  total: figures(4, '396292.65', '3744.42', '1585.17', '100.00'),
};

describe('日均余额与资产质量', () => {
  it('averages the month of the last closed day by product, then by loan', async () => {
    const api = stubApi({
      'GET /api/v1/reports/average-daily-balance': (call) => ({ body: adb(call.query.get('groupBy') ?? 'product') }),
      'GET /api/v1/reports/portfolio-quality': { body: QUALITY },
    });
    renderWith(<BalanceReportsPage />, { permissions: [BP.portfolioReportRead], businessDate: '2026-03-20' });
    const row = within(await screen.findByTestId('adb-row-CAR-STD'));
    expect(row.getAllByText('97,785.22').length).toBeGreaterThan(0);
    expect(row.getByText('7,529,461.90')).toBeInTheDocument();
    const first = api.of('GET', '/api/v1/reports/average-daily-balance')[0];
    expect([first.query.get('from'), first.query.get('to'), first.query.get('groupBy')]).toEqual(['2026-03-01', '2026-03-19', 'product']);
    expect(screen.getByTestId('adb-total')).toHaveTextContent('19 天');

    fireEvent.click(screen.getByText('按贷款'));
    expect(await screen.findByTestId('adb-row-9')).toHaveTextContent('DK202603100001');
    await waitFor(() => expect(api.of('GET', '/api/v1/reports/average-daily-balance').at(-1)!.query.get('groupBy')).toBe('loan'));
  });

  it('shows the quality of the latest closed day by class with the totals and by product', async () => {
    stubApi({
      'GET /api/v1/reports/average-daily-balance': { body: adb('product') },
      'GET /api/v1/reports/portfolio-quality': { body: QUALITY },
    });
    renderWith(<BalanceReportsPage />, { permissions: [BP.portfolioReportRead] });
    fireEvent.click(await screen.findByText('资产质量'));
    expect(await screen.findByTestId('quality-shown')).toHaveTextContent('2026-03-19');
    const sm = within(screen.getByTestId('quality-class-special_mention'));
    expect(sm.getByText('关注')).toBeInTheDocument();
    expect(sm.getByText('96,292.65')).toBeInTheDocument();
    expect(sm.getByText('24.25%')).toBeInTheDocument();
    const total = within(screen.getByTestId('quality-total'));
    expect(total.getByText('396,292.65')).toBeInTheDocument();
    expect(total.getByText('100.00%')).toBeInTheDocument();
    expect(screen.getByTestId('quality-product-CAR-STD-normal')).toHaveTextContent('300,000.00');
  });

  it('says so when no close has snapshotted the day', async () => {
    stubApi({
      'GET /api/v1/reports/average-daily-balance': { body: adb('product') },
      'GET /api/v1/reports/portfolio-quality': {
        body: { date: null, byClass: [], byProduct: [], total: figures(0, '0.00', '0.00', '0.00', '0.00') },
      },
    });
    renderWith(<BalanceReportsPage />, { permissions: [BP.portfolioReportRead] });
    fireEvent.click(await screen.findByText('资产质量'));
    expect(await screen.findByTestId('quality-none')).toHaveTextContent('该日尚无余额快照');
  });
});

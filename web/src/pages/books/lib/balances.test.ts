import { describe, expect, it } from 'vitest';
import { defaultAdbPeriod } from './balances';

describe('the average-daily-balance default period', () => {
  it('runs from the first of the last closed day’s month to that day', () => {
    expect(defaultAdbPeriod('2026-05-26')).toEqual({ from: '2026-05-01', to: '2026-05-25' });
  });

  it('stays in the previous month when the business date is the first', () => {
    expect(defaultAdbPeriod('2026-03-01')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
});

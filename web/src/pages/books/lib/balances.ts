import dayjs from 'dayjs';

// The average-daily-balance report's default period: the month of the last closed day (the day
// before the business date) up to that day, since the day in progress has no end-of-day balance.
// Pure, so it is tested in node.

export function defaultAdbPeriod(businessDate: string): { from: string; to: string } {
  const last = dayjs(businessDate).subtract(1, 'day');
  return { from: last.startOf('month').format('YYYY-MM-DD'), to: last.format('YYYY-MM-DD') };
}

import dayjs from 'dayjs';

// The daily close (日终) as the console reads it: which steps it knows by name, how far a step
// has come, how long a run took. Pure, so it is tested in node.

/** Step codes with a label of their own (`books.close.steps.<code>`); the server may send others. */
export const KNOWN_CLOSE_STEPS = [
  'interest_accrual',
  'credit_application',
  'overdue_transfer',
  'penalty_accrual',
  'classification',
  'non_accrual',
  'provisions',
  'warnings',
  'reminders',
  'balance_snapshots',
  'advance_date',
] as const;

export const isKnownStep = (code: string) => (KNOWN_CLOSE_STEPS as readonly string[]).includes(code);

interface Progress {
  status: string;
  partitions: number;
  partitionsDone: number;
}

/**
 * The share of a step's partitions done, 0–100 (rounded down: 100 only when all are). A step
 * without partitions (the date change) is all or nothing.
 */
export function stepPercent(s: Progress): number {
  if (s.partitions <= 0) return s.status === 'done' ? 100 : 0;
  return Math.min(100, Math.floor((s.partitionsDone * 100) / s.partitions));
}

/** True while some run still works (the console then polls). */
export const anyRunning = (runs: readonly { status: string }[] | undefined) => (runs ?? []).some((r) => r.status === 'running');

/** Seconds from `startedAt` to `finishedAt`, or to `now` while it runs; null when unreadable. */
export function elapsedSeconds(startedAt: string, finishedAt: string | null | undefined, now: number = Date.now()): number | null {
  const start = dayjs(startedAt);
  const end = finishedAt ? dayjs(finishedAt) : dayjs(now);
  if (!start.isValid() || !end.isValid()) return null;
  return Math.max(0, Math.floor(end.diff(start) / 1000));
}

/** A duration in whole units: [hours, minutes, seconds], the leading zero units dropped. */
export function durationParts(seconds: number): { unit: 'h' | 'm' | 's'; n: number }[] {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return [{ unit: 'h', n: h }, { unit: 'm', n: m }, { unit: 's', n: s }];
  if (m > 0) return [{ unit: 'm', n: m }, { unit: 's', n: s }];
  return [{ unit: 's', n: s }];
}

/** Calendar days the business date lags behind `today` (both YYYY-MM-DD); never negative. */
export function daysBehind(businessDate: string, today: string): number {
  return Math.max(0, dayjs(today).diff(dayjs(businessDate), 'day'));
}

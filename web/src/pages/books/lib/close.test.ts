import { describe, expect, it } from 'vitest';
import { anyRunning, daysBehind, durationParts, elapsedSeconds, isKnownStep, stepPercent } from './close';

describe('the daily close as the console reads it', () => {
  it('knows the close steps by name and leaves others to their code', () => {
    expect(isKnownStep('overdue_transfer')).toBe(true);
    expect(isKnownStep('advance_date')).toBe(true);
    expect(isKnownStep('interest_accrual')).toBe(true);
    // 溢缴款冲抵 runs between the accrual and the overdue transfer.
    expect(isKnownStep('credit_application')).toBe(true);
    expect(isKnownStep('reminders')).toBe(true);
    expect(isKnownStep('balance_snapshots')).toBe(true);
    expect(isKnownStep('write_off')).toBe(false);
  });

  it('reaches 100 % only when every partition is done', () => {
    expect(stepPercent({ status: 'running', partitions: 3, partitionsDone: 1 })).toBe(33);
    expect(stepPercent({ status: 'running', partitions: 1000, partitionsDone: 999 })).toBe(99);
    expect(stepPercent({ status: 'done', partitions: 3, partitionsDone: 3 })).toBe(100);
    // The date change has no partitions.
    expect(stepPercent({ status: 'running', partitions: 0, partitionsDone: 0 })).toBe(0);
    expect(stepPercent({ status: 'done', partitions: 0, partitionsDone: 0 })).toBe(100);
  });

  it('polls while a run works', () => {
    expect(anyRunning(undefined)).toBe(false);
    expect(anyRunning([{ status: 'done' }, { status: 'failed' }])).toBe(false);
    expect(anyRunning([{ status: 'done' }, { status: 'running' }])).toBe(true);
  });

  it('measures a run, finished or still going', () => {
    expect(elapsedSeconds('2026-03-21T00:00:00Z', '2026-03-21T00:01:05Z')).toBe(65);
    expect(elapsedSeconds('2026-03-21T00:00:00Z', null, Date.parse('2026-03-21T02:00:03Z'))).toBe(7203);
    expect(elapsedSeconds('nonsense', null)).toBeNull();
    expect(durationParts(0)).toEqual([{ unit: 's', n: 0 }]);
    expect(durationParts(65)).toEqual([{ unit: 'm', n: 1 }, { unit: 's', n: 5 }]);
    expect(durationParts(7203)).toEqual([{ unit: 'h', n: 2 }, { unit: 'm', n: 0 }, { unit: 's', n: 3 }]);
  });

  it('counts the days the business date lags behind the calendar', () => {
    expect(daysBehind('2026-03-20', '2026-03-20')).toBe(0);
    expect(daysBehind('2026-02-27', '2026-03-02')).toBe(3);
    expect(daysBehind('2026-03-21', '2026-03-20')).toBe(0);
  });
});

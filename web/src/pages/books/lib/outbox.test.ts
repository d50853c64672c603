import { describe, expect, it } from 'vitest';
import { reminderFigures, reminderWhen } from './outbox';

describe('the outbox as the page reads it', () => {
  it('reads a due reminder: before its due date, with the amount as the server wrote it', () => {
    const m = { template: 'repayment_due', params: { loanNo: 'L1', period: 2, dueDate: '2026-05-10', daysBefore: 3, amountDue: '4707.35' } };
    expect(reminderWhen(m)).toEqual({ kind: 'before', days: 3 });
    expect(reminderFigures(m)).toEqual({ loanNo: 'L1', dueDate: '2026-05-10', amountDue: '4707.35' });
  });

  it('reads an overdue reminder by its days past due', () => {
    expect(reminderWhen({ template: 'overdue', params: { daysPastDue: 15 } })).toEqual({ kind: 'pastDue', days: 15 });
  });

  it('leaves unknown templates and missing figures alone', () => {
    expect(reminderWhen({ template: 'welcome', params: {} })).toBeNull();
    expect(reminderWhen({ template: 'overdue', params: { daysPastDue: '7' } })).toBeNull();
    expect(reminderFigures({ template: 'welcome', params: { amountDue: 12 } })).toEqual({ loanNo: undefined, dueDate: undefined, amountDue: undefined });
  });
});

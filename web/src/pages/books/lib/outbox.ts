// The outbox's messages as the page reads them: the figures a reminder carries in its params
// (amounts are decimal strings, shown as they come, never computed on), and when it was sent
// relative to the due date. Pure, so it is tested in node.

export const OUTBOX_TEMPLATES = ['repayment_due', 'overdue'] as const;
export type OutboxTemplate = (typeof OUTBOX_TEMPLATES)[number];
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

interface Message {
  template: string;
  params: Record<string, unknown>;
}

export interface ReminderFigures {
  loanNo?: string;
  dueDate?: string;
  amountDue?: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

/** The figures of a message's params that the list shows; absent ones stay undefined. */
export function reminderFigures(m: Message): ReminderFigures {
  return { loanNo: text(m.params.loanNo), dueDate: text(m.params.dueDate), amountDue: text(m.params.amountDue) };
}

/** "3 days before the due date" or "7 days past due"; null for a template without days. */
export function reminderWhen(m: Message): { kind: 'before' | 'pastDue'; days: number } | null {
  if (m.template === 'repayment_due') {
    const days = count(m.params.daysBefore);
    return days === undefined ? null : { kind: 'before', days };
  }
  if (m.template === 'overdue') {
    const days = count(m.params.daysPastDue);
    return days === undefined ? null : { kind: 'pastDue', days };
  }
  return null;
}

import type { CreditLine, CreditLineInput, CreditLineStatus } from '../api/credit';
import { P } from '../access/permissions';
import { compareDecimal } from './application';

// The rules of the credit-line pages (授信), kept apart from React so they are unit-tested: what a
// person may do with a line in its status (the server's state machine), which lines a loan may
// draw on, and the form's conversions.
//
//   draft ──submit──▶ in_review ──approve──▶ active ⇄ frozen (freeze / unfreeze)
//   in_review ──return──▶ returned ──resubmit──▶ in_review;  in_review ──reject──▶ rejected
//   draft, returned ──withdraw──▶ withdrawn

export type CreditLineAction = 'edit' | 'submit' | 'resubmit' | 'withdraw' | 'freeze' | 'unfreeze';

export const CREDIT_LINE_ACTION_ORDER: CreditLineAction[] = ['edit', 'submit', 'resubmit', 'freeze', 'unfreeze', 'withdraw'];

export const CREDIT_LINE_COLORS: Record<CreditLineStatus, string> = {
  draft: 'default',
  in_review: 'purple',
  returned: 'orange',
  active: 'success',
  frozen: 'geekblue',
  rejected: 'error',
  withdrawn: 'default',
};

export interface Viewer {
  userId: number;
  granted: ReadonlySet<string>;
}

/**
 * The actions the viewer may take on a line in its status: editing, submitting, resubmitting and
 * withdrawing belong to the customer manager who drafted it (`credit:line:write`); freezing and
 * unfreezing to `credit:line:freeze`.
 */
export function creditLineActions(line: Pick<CreditLine, 'status' | 'createdBy'>, viewer: Viewer): CreditLineAction[] {
  const out = new Set<CreditLineAction>();
  const s = line.status;
  if (viewer.granted.has(P.creditLineWrite) && line.createdBy === viewer.userId) {
    if (s === 'draft' || s === 'returned') {
      out.add('edit');
      out.add('withdraw');
    }
    if (s === 'draft') out.add('submit');
    if (s === 'returned') out.add('resubmit');
  }
  if (viewer.granted.has(P.creditLineFreeze)) {
    if (s === 'active') out.add('freeze');
    if (s === 'frozen') out.add('unfreeze');
  }
  return CREDIT_LINE_ACTION_ORDER.filter((a) => out.has(a));
}

export type Availability = 'available' | 'exhausted' | 'expired' | 'frozen' | 'not_active';

/** Whether a loan may draw on the line today, and if not, why. */
export function availability(line: Pick<CreditLine, 'status' | 'expired' | 'availableAmount'>): Availability {
  if (line.status === 'frozen') return 'frozen';
  if (line.status !== 'active') return 'not_active';
  if (line.expired) return 'expired';
  return compareDecimal(line.availableAmount, '0') === 1 ? 'available' : 'exhausted';
}

/** The lines a new loan may draw on: active, not expired, with something left. */
export function usableLines<L extends Pick<CreditLine, 'status' | 'expired' | 'availableAmount'>>(lines: L[] | undefined): L[] {
  return (lines ?? []).filter((l) => availability(l) === 'available');
}

/** True when `amount` (as typed) is above what the line has available. */
export function aboveAvailable(amount: string | undefined, available: string): boolean {
  const a = amount?.trim().replace(/,/g, '');
  return !!a && compareDecimal(a, available) === 1;
}

// ---- the form ---------------------------------------------------------------------------------

export interface CreditLineFormValues {
  customerId: number;
  requestedAmount: string;
  /** YYYY-MM-DD, both ends included. */
  validFrom: string;
  validUntil: string;
  purpose: string;
}

export function creditLineToForm(l: CreditLine): CreditLineFormValues {
  return { customerId: l.customerId, requestedAmount: l.requestedAmount, validFrom: l.validFrom, validUntil: l.validUntil, purpose: l.purpose };
}

export function formToCreditLineInput(v: CreditLineFormValues, version?: number): CreditLineInput {
  return {
    customerId: v.customerId,
    requestedAmount: v.requestedAmount.trim().replace(/,/g, ''),
    validFrom: v.validFrom,
    validUntil: v.validUntil,
    purpose: v.purpose.trim(),
    ...(version !== undefined ? { version } : {}),
  };
}

/** The validity must end on or after its start (the server's `before_valid_from`). */
export const validityOrdered = (from: string | undefined, until: string | undefined) => !from || !until || until >= from;

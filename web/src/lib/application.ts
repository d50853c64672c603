import type { ApplicationInput, ApplicationStatus, FlowEvent, FlowInstance, LoanApplication, RepaymentMethod } from '../api/origination';
import type { ProductTerms } from '../api/products';
import { P } from '../access/permissions';
import { decimalToPercent, parseDecimal, percentToDecimal } from './decimal';

// The rules of the loan application pages, kept apart from React so they are unit-tested: what a
// person may do with an application in its status, the product's limits on the form, the
// loan-to-value limit, and where a reviewer may send an application back.

export type ApplicationAction = 'edit' | 'submit' | 'assign' | 'investigate' | 'sendToReview' | 'resubmit' | 'withdraw';

/** The order the action buttons show in. */
export const ACTION_ORDER: ApplicationAction[] = ['edit', 'submit', 'assign', 'investigate', 'sendToReview', 'resubmit', 'withdraw'];

export const STATUS_COLORS: Record<ApplicationStatus, string> = {
  draft: 'default',
  submitted: 'blue',
  investigating: 'cyan',
  in_review: 'purple',
  returned: 'orange',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
};

export interface Viewer {
  userId: number;
  granted: ReadonlySet<string>;
}

type Facts = Pick<LoanApplication, 'status' | 'createdBy' | 'investigatorId'>;

/**
 * The actions the viewer may take on an application in its status, mirroring the server's state
 * machine and its "as the manager who drafted it" / "as the assigned investigator" rules, so that
 * a button is never offered for a request the server would refuse.
 */
export function allowedActions(app: Facts, viewer: Viewer): ApplicationAction[] {
  const has = (p: string) => viewer.granted.has(p);
  const drafter = app.createdBy === viewer.userId;
  const investigator = app.investigatorId != null && app.investigatorId === viewer.userId;
  const s = app.status;
  const out = new Set<ApplicationAction>();
  if (has(P.loanApplicationWrite)) {
    if ((s === 'draft' || s === 'returned') && drafter) out.add('edit');
    if (s === 'draft') out.add('submit');
    if (s === 'returned' && drafter) out.add('resubmit');
    if (s === 'draft' || s === 'submitted' || s === 'investigating' || s === 'returned') out.add('withdraw');
  }
  if (has(P.loanApplicationAssign) && (s === 'submitted' || s === 'investigating')) out.add('assign');
  if (has(P.loanInvestigate) && investigator) {
    if (s === 'investigating' || s === 'returned') out.add('investigate');
    if (s === 'investigating') out.add('sendToReview');
  }
  return ACTION_ORDER.filter((a) => out.has(a));
}

/** True once nothing can change the application any more. */
export function isFinal(status: ApplicationStatus): boolean {
  return status === 'approved' || status === 'rejected' || status === 'withdrawn';
}

/** The steps approved so far, in order, each once: where a reviewer may return an application. */
export function passedSteps(events: FlowEvent[]): string[] {
  const keys: string[] = [];
  for (const e of events) {
    if (e.action === 'approve' && e.stepKey && !keys.includes(e.stepKey)) keys.push(e.stepKey);
  }
  return keys;
}

export interface ReturnTarget {
  /** `applicant` or a step key. */
  value: string;
  /** The step's name; absent for the applicant. */
  stepName?: string;
}

/** Back to the applicant, or to a step already passed (never the step waiting now). */
export function returnTargets(instance: Pick<FlowInstance, 'events' | 'graph' | 'currentStep'>): ReturnTarget[] {
  const steps = passedSteps(instance.events)
    .filter((k) => k !== instance.currentStep)
    .map((k) => ({ value: k, stepName: instance.graph.steps.find((s) => s.key === k)?.name ?? k }))
    .filter((t) => instance.graph.steps.some((s) => s.key === t.value));
  return [{ value: 'applicant' }, ...steps];
}

// ---- decimals as scaled integers --------------------------------------------------------------

const SCALE = 8;

function scaled(text: string): bigint | null {
  const p = parseDecimal(text);
  if (!p || p.fraction.length > SCALE) return null;
  const v = BigInt(p.integer + p.fraction.padEnd(SCALE, '0'));
  return p.negative ? -v : v;
}

function unscaled(v: bigint, places: number): string {
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().padStart(SCALE + 1, '0');
  const integer = digits.slice(0, digits.length - SCALE);
  const fraction = digits.slice(digits.length - SCALE, digits.length - SCALE + places);
  return `${negative ? '-' : ''}${integer}${places > 0 ? '.' + fraction : ''}`;
}

/** -1, 0 or 1 as a is below, equal to or above b; null when either is not a decimal. */
export function compareDecimal(a: string, b: string): number | null {
  const x = scaled(a);
  const y = scaled(b);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface LtvLimit {
  /** The sum of the appraised values known. */
  appraisedTotal: string;
  /** How many vehicles have no appraisal yet. */
  missing: number;
  /** min(product maximum, LTV × appraised total), truncated to the fen as the server does. */
  limit: string;
}

/** The most that may be lent against these vehicles under the product. */
export function ltvLimit(values: (string | null | undefined)[], maxLtv: string, productMax: string): LtvLimit | null {
  const ltv = scaled(maxLtv);
  const max = scaled(productMax);
  if (ltv === null || max === null) return null;
  let total = 0n;
  let missing = 0;
  for (const v of values) {
    const s = v ? scaled(v) : null;
    if (s === null) missing++;
    else total += s;
  }
  // total and ltv both carry SCALE places: the product carries 2 × SCALE; cut back to the fen.
  const fen = 10n ** BigInt(SCALE - 2);
  const byLtv = ((total * ltv) / 10n ** BigInt(SCALE) / fen) * fen;
  const limit = byLtv < max ? byLtv : max;
  return { appraisedTotal: unscaled(total, 2), missing, limit: unscaled(limit, 2) };
}

// ---- the application form ---------------------------------------------------------------------

export interface ApplicationFormValues {
  customerId: number;
  productId: number;
  amount: string;
  termMonths: number;
  method: RepaymentMethod;
  /** The annual rate as people type it, in per cent ("15" is 15 %). */
  annualRatePct: string;
  purpose: string;
  vehicleIds?: number[];
  guarantorIds?: number[];
  /** The customer's active credit line (授信) the loan draws on, if any. */
  creditLineId?: number | null;
}

export function applicationToForm(a: LoanApplication): ApplicationFormValues {
  return {
    customerId: a.customerId,
    productId: a.productId,
    amount: a.amount,
    termMonths: a.termMonths,
    method: a.method,
    annualRatePct: decimalToPercent(a.annualRate) ?? a.annualRate,
    purpose: a.purpose,
    vehicleIds: a.vehicleIds,
    guarantorIds: a.guarantorIds,
    creditLineId: a.creditLineId ?? null,
  };
}

/** The request body of the form's values: amounts as typed (no separators), the rate as a fraction. */
export function formToApplicationInput(v: ApplicationFormValues, version?: number): ApplicationInput {
  const rate = v.annualRatePct.trim();
  return {
    customerId: v.customerId,
    productId: v.productId,
    amount: v.amount.trim().replace(/,/g, ''),
    termMonths: v.termMonths,
    method: v.method,
    annualRate: percentToDecimal(rate) ?? rate,
    purpose: v.purpose.trim(),
    vehicleIds: v.vehicleIds ?? [],
    guarantorIds: v.guarantorIds ?? [],
    creditLineId: v.creditLineId ?? null,
    ...(version !== undefined ? { version } : {}),
  };
}

/**
 * Server field → form field: the rate is typed in per cent, and the vehicle and guarantor lists
 * are single multi-selects, so `vehicleIds[2]` lands on the vehicles field.
 */
export function applicationFieldAliases(vehicleCount: number, guarantorCount: number): Record<string, string> {
  const aliases: Record<string, string> = { annualRate: 'annualRatePct' };
  for (let i = 0; i < Math.max(vehicleCount, 5); i++) aliases[`vehicleIds[${i}]`] = 'vehicleIds';
  for (let i = 0; i < Math.max(guarantorCount, 5); i++) aliases[`guarantorIds[${i}]`] = 'guarantorIds';
  return aliases;
}

export type TermsProblem = 'amount' | 'termMonths' | 'method' | 'annualRatePct';

/**
 * Which of the values break the product's terms (the server says the same with 422; this tells
 * the person while they type). Blank values are left to the "required" rules.
 */
export function checkTerms(v: Partial<ApplicationFormValues>, terms: ProductTerms): TermsProblem[] {
  const out: TermsProblem[] = [];
  const amount = v.amount?.trim().replace(/,/g, '');
  if (amount) {
    const lo = compareDecimal(amount, terms.amountMin);
    const hi = compareDecimal(amount, terms.amountMax);
    if (lo === null || hi === null || lo < 0 || hi > 0) out.push('amount');
  }
  if (v.termMonths != null && (v.termMonths < terms.termMonthsMin || v.termMonths > terms.termMonthsMax)) out.push('termMonths');
  if (v.method && !terms.methods.includes(v.method)) out.push('method');
  const pct = v.annualRatePct?.trim();
  if (pct) {
    const rate = percentToDecimal(pct);
    const lo = rate === null ? null : compareDecimal(rate, terms.rateMin);
    const hi = rate === null ? null : compareDecimal(rate, terms.rateMax);
    if (lo === null || hi === null || lo < 0 || hi > 0) out.push('annualRatePct');
  }
  return out;
}

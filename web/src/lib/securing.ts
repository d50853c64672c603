// Pure helpers of the contract's collateral: the IMEI's check digit as the server checks it,
// and the readiness checks in the order a clerk works through them.

/** 15 digits whose last is the Luhn check digit; spaces are ignored. */
export function imeiProblem(raw: string | undefined): 'format' | 'check_digit' | null {
  const digits = (raw ?? '').replace(/\s+/g, '');
  if (!/^\d{15}$/.test(digits)) return 'format';
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = Number(digits[14 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0 ? null : 'check_digit';
}

export interface Check {
  code: string;
  ok: boolean;
  vehicleId?: number | null;
}

const ORDER = ['contract_signed', 'mortgage_registered', 'pledge_taken_in', 'gps_installed'];

/** What is still missing before disbursement, first things first. */
export function missingChecks<C extends Check>(checks: C[]): C[] {
  return checks.filter((c) => !c.ok).sort((a, b) => ORDER.indexOf(a.code) - ORDER.indexOf(b.code));
}

/** Cars of the contract not yet held (mortgaged or pledged). */
export function carsToHold<C extends Check>(checks: C[]): number[] {
  return checks
    .filter((c) => !c.ok && (c.code === 'mortgage_registered' || c.code === 'pledge_taken_in') && c.vehicleId != null)
    .map((c) => c.vehicleId as number);
}

/** Whether a check holds for the contract as a whole or for one car: the label's key. */
export function checkLabelKey(code: string): string {
  return ['contract_signed', 'mortgage_registered', 'pledge_taken_in', 'gps_installed'].includes(code)
    ? `collateral.checks.${code}`
    : 'collateral.checks.other';
}

/** The readiness checks sorted as a clerk works through them (kept checks included). */
export function orderedChecks<C extends Check>(checks: C[]): C[] {
  const rank = (c: C) => (ORDER.indexOf(c.code) < 0 ? ORDER.length : ORDER.indexOf(c.code));
  return [...checks].sort((a, b) => rank(a) - rank(b) || (a.vehicleId ?? 0) - (b.vehicleId ?? 0));
}

const trim = (s: string | undefined | null) => (s ?? '').trim();

export interface ReleaseValues {
  releasedOn: string;
  settlementCertNo?: string;
  handoverNote?: string;
}

/** The release of a settled loan's car as the server takes it: trimmed. */
export function releaseBody(v: ReleaseValues, version: number) {
  return { releasedOn: v.releasedOn, settlementCertNo: trim(v.settlementCertNo), handoverNote: trim(v.handoverNote), version };
}

/** 申请提前解押 as the server takes it: the reason and the planned hand-over, trimmed. */
export function releaseRequestBody(v: { reason?: string; handoverNote?: string }, version: number) {
  return { reason: trim(v.reason), handoverNote: trim(v.handoverNote), version };
}

/** The approver's decision: a comment only when there is one. */
export function decisionBody(v: { decision: 'approve' | 'reject'; comment?: string }, version: number) {
  return { decision: v.decision, comment: trim(v.comment) || null, version };
}

export type RegistrationStatus = 'registered' | 'release_requested' | 'released';

/**
 * What may be done to release a held car: a settled loan's car is released with its settlement
 * certificate (解押); any other held car only through an early-release request (申请提前解押)
 * that someone else approves. Nothing while a request waits, once released, or without the
 * permission to release cars.
 */
export function releaseAction(status: RegistrationStatus | string, loanStatus: string | null | undefined, canRelease: boolean): 'release' | 'request' | null {
  if (!canRelease || status !== 'registered') return null;
  return loanStatus === 'settled' ? 'release' : 'request';
}

/**
 * What the viewer may do with an early-release request: decide it (approve or reject) with
 * the permission, never their own (shown as 本人申请), nothing once decided.
 */
export function decisionAction(req: { status: string; requestedBy: number }, meId: number | undefined, canDecide: boolean): 'decide' | 'own' | null {
  if (req.status !== 'requested' || !canDecide) return null;
  return meId != null && req.requestedBy === meId ? 'own' : 'decide';
}

/** The cars a contract still holds (not released): another registration of them is refused. */
export function heldCars(registrations: { vehicleId: number; status: string }[]): Set<number> {
  return new Set(registrations.filter((r) => r.status !== 'released').map((r) => r.vehicleId));
}

/** The request that released a car by exception, or waits to: the newest of the registration's. */
export function requestOf<R extends { registrationId: number; id: number; status: string }>(requests: R[], registrationId: number, status?: string): R | undefined {
  return requests
    .filter((q) => q.registrationId === registrationId && (status === undefined || q.status === status))
    .sort((a, b) => b.id - a.id)[0];
}

/** The IMEI as stored: digits only. */
export function normalizeImei(raw: string | undefined): string {
  return (raw ?? '').replace(/\s+/g, '');
}

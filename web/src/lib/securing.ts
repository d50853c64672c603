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

export interface ReleaseValues {
  basis: 'settled' | 'exception';
  releasedOn: string;
  handoverNote?: string;
  settlementCertNo?: string;
  reason?: string;
}

/** The release as the server takes it: only the field of the chosen basis, trimmed. */
export function releaseBody(v: ReleaseValues, version: number) {
  const trim = (s: string | undefined) => (s ?? '').trim();
  return {
    basis: v.basis,
    releasedOn: v.releasedOn,
    handoverNote: trim(v.handoverNote),
    settlementCertNo: v.basis === 'settled' ? trim(v.settlementCertNo) || null : null,
    reason: v.basis === 'exception' ? trim(v.reason) || null : null,
    version,
  };
}

/** Which release bases the user may choose. */
export function releaseBases(canException: boolean): Array<'settled' | 'exception'> {
  return canException ? ['settled', 'exception'] : ['settled'];
}

/** The IMEI as stored: digits only. */
export function normalizeImei(raw: string | undefined): string {
  return (raw ?? '').replace(/\s+/g, '');
}

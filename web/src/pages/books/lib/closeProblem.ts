import { ApiError } from '../../../api/errors';

// A refused close (409 `period_not_ready`) names its failed checks only in the problem's English
// `detail`: "2026-03 cannot be closed yet — registrations_checked: 1 … await review;
// vouchers_reviewed: 2 voucher(s) awaiting review". These helpers read them back.

export interface FailedCheck {
  code: string;
  detail: string;
}

const CHECK = /([a-z][a-z0-9_]*): (.*?)(?=; [a-z][a-z0-9_]*: |$)/g;

/** The checks named in a `period_not_ready` detail, in order; [] when none can be read. */
export function parseFailedChecks(detail: string | null | undefined): FailedCheck[] {
  if (!detail) return [];
  const dash = detail.indexOf('—');
  const list = (dash >= 0 ? detail.slice(dash + 1) : detail).trim();
  const out: FailedCheck[] = [];
  for (const m of list.matchAll(CHECK)) out.push({ code: m[1], detail: m[2].trim() });
  return out;
}

/** The failed checks of a refused close, or null when the error is something else. */
export function failedChecksOf(error: unknown): FailedCheck[] | null {
  if (!(error instanceof ApiError) || error.code !== 'period_not_ready') return null;
  return parseFailedChecks(error.problem.detail);
}

/** How many later repayments a `later_repayments` refusal names ("2 later repayment(s) …"). */
export function laterRepaymentCount(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'later_repayments') return null;
  const m = /^(\d+) later/.exec(error.problem.detail ?? '');
  return m ? Number(m[1]) : null;
}

import { ApiError } from '../../../api/errors';

// What a refusal says only in its text.

/** How many later repayments a `later_repayments` refusal names ("2 later repayment(s) …"). */
export function laterRepaymentCount(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'later_repayments') return null;
  const m = /^(\d+) later/.exec(error.problem.detail ?? '');
  return m ? Number(m[1]) : null;
}

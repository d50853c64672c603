import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/errors';
import { failedChecksOf, laterRepaymentCount, parseFailedChecks } from './closeProblem';

const refusal = (code: string, detail: string) => new ApiError(409, { type: 'about:blank', title: code, status: 409, code, detail });

describe('a refused period close', () => {
  it('reads the failed checks out of the detail, in order', () => {
    expect(
      parseFailedChecks(
        '2026-03 cannot be closed yet — registrations_checked: 1 disbursement, repayment or fee registration(s) await review; vouchers_reviewed: 2 voucher(s) awaiting review',
      ),
    ).toEqual([
      { code: 'registrations_checked', detail: '1 disbursement, repayment or fee registration(s) await review' },
      { code: 'vouchers_reviewed', detail: '2 voucher(s) awaiting review' },
    ]);
    expect(parseFailedChecks('2026-03 cannot be closed yet — trial_balance_balanced: debits 10.00 / credits 9.00')).toEqual([
      { code: 'trial_balance_balanced', detail: 'debits 10.00 / credits 9.00' },
    ]);
    expect(parseFailedChecks(undefined)).toEqual([]);
  });

  it('only for period_not_ready', () => {
    expect(failedChecksOf(refusal('period_not_ready', 'x — earlier_periods_closed: 1 earlier period(s) still open'))).toEqual([
      { code: 'earlier_periods_closed', detail: '1 earlier period(s) still open' },
    ]);
    expect(failedChecksOf(refusal('period_closed', '2026-03 is already closed'))).toBeNull();
    expect(failedChecksOf(new Error('x'))).toBeNull();
  });

  it('counts the later repayments a refused reversal names', () => {
    expect(laterRepaymentCount(refusal('later_repayments', '2 later repayment(s) on this loan were applied after it; reverse them first'))).toBe(2);
    expect(laterRepaymentCount(refusal('later_repayments', ''))).toBeNull();
    expect(laterRepaymentCount(refusal('maker_checker', '2 later'))).toBeNull();
  });
});

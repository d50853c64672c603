import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../api/errors';
import { laterRepaymentCount } from './refusals';

const refusal = (code: string, detail: string) => new ApiError(409, { type: 'about:blank', title: code, status: 409, code, detail });

describe('a refused reversal', () => {
  it('counts the later repayments a refused reversal names', () => {
    expect(laterRepaymentCount(refusal('later_repayments', '2 later repayment(s) on this loan were applied after it; reverse them first'))).toBe(2);
    expect(laterRepaymentCount(refusal('later_repayments', ''))).toBeNull();
    expect(laterRepaymentCount(refusal('maker_checker', '2 later'))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { groupAccountNumber, groupMobile, isMasked, maskMiddle, showPii } from './pii';

describe('pii display', () => {
  it('knows a masked value', () => {
    expect(isMasked('110***********123X')).toBe(true);
    expect(isMasked('11010519491231002X')).toBe(false);
    expect(isMasked(null)).toBe(false);
  });

  it('masks like the server', () => {
    expect(maskMiddle('11010519491231123X', 3, 4)).toBe('110***********123X');
    expect(maskMiddle('13812345678', 3, 4)).toBe('138****5678');
    expect(maskMiddle('abc', 3, 4)).toBe('***');
  });

  it('groups account and mobile numbers for reading', () => {
    expect(groupAccountNumber('6222***********0128')).toBe('6222 **** **** ***0 128');
    expect(groupAccountNumber('6222021234567890128')).toBe('6222 0212 3456 7890 128');
    expect(groupAccountNumber(undefined)).toBe('-');
    expect(groupMobile('138****5678')).toBe('138 **** 5678');
    expect(groupMobile('13800138000')).toBe('138 0013 8000');
    expect(showPii('')).toBe('-');
  });
});

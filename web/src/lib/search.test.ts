import { describe, expect, it } from 'vitest';
import { duplicateCustomer, exactFilter } from './search';

describe('exactFilter', () => {
  it('tells a mobile from an ID number or a credit code', () => {
    expect(exactFilter('individual', '138 0013 8000')).toEqual({ mobile: '13800138000' });
    expect(exactFilter(undefined, '+8613800138000')).toEqual({ mobile: '+8613800138000' });
    expect(exactFilter('individual', '11010519491231002x')).toEqual({ idNumber: '11010519491231002X' });
    expect(exactFilter('enterprise', '91350100m000100y43')).toEqual({ creditCode: '91350100M000100Y43' });
    expect(exactFilter('individual', '  ')).toEqual({});
    expect(exactFilter('individual', undefined)).toEqual({});
  });
});

describe('duplicateCustomer', () => {
  it('reads the existing customer from a duplicate message', () => {
    expect(duplicateCustomer('this ID number belongs to customer 12 (张三)')).toEqual({ id: 12, name: '张三' });
    expect(duplicateCustomer('this ID number belongs to a customer outside your data scope')).toBeNull();
    expect(duplicateCustomer(undefined)).toBeNull();
  });
});

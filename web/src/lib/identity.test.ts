import { describe, expect, it } from 'vitest';
import { ageOn, creditCodeValid, luhnValid, parseResidentId, residentIdCheckChar } from './identity';

describe('parseResidentId', () => {
  it('reads a valid number: birth date, sex, normalised value', () => {
    expect(parseResidentId('11010519491231002x')).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
    });
    const man = parseResidentId('440306 19900307 1232');
    expect(man.ok && man.sex).toBe('male');
  });

  it('tells a wrong check digit from a malformed number', () => {
    expect(parseResidentId('110105194912310021')).toEqual({ ok: false, code: 'invalid_id_check_digit' });
    expect(parseResidentId('11010519491231002')).toEqual({ ok: false, code: 'invalid_id_number' });
    expect(parseResidentId('11010519491331002X')).toEqual({ ok: false, code: 'invalid_id_number' });
    expect(parseResidentId('010105194912310021')).toEqual({ ok: false, code: 'invalid_id_number' });
    expect(parseResidentId('')).toEqual({ ok: false, code: 'invalid_id_number' });
  });

  it('computes GB 11643 check characters', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('32010220000229001')).toBe('3');
  });
});

describe('ageOn', () => {
  it('counts whole years, the day before a birthday still the younger age', () => {
    expect(ageOn('1990-03-07', '2026-03-06')).toBe(35);
    expect(ageOn('1990-03-07', '2026-03-07')).toBe(36);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
  });
});

describe('luhnValid', () => {
  it('accepts Luhn-valid card numbers with spaces and refuses a changed digit', () => {
    expect(luhnValid('6222 0212 3456 7890 128')).toBe(true);
    expect(luhnValid('6228480012345671')).toBe(true);
    expect(luhnValid('6222021234567890127')).toBe(false);
    expect(luhnValid('12345')).toBe(false);
  });
});

describe('creditCodeValid', () => {
  it('checks GB 32100 credit codes', () => {
    expect(creditCodeValid('91350100M000100Y43')).toBe(true);
    expect(creditCodeValid('91110108ma01ab2c3t')).toBe(true);
    expect(creditCodeValid('91350100M000100Y44')).toBe(false);
    expect(creditCodeValid('91350100M000100I43')).toBe(false);
  });
});

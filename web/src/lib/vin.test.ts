import { describe, expect, it } from 'vitest';
import { normaliseVin, parsePlate, parseVin, vinCheckDigit } from './vin';

describe('parseVin', () => {
  it('accepts valid VINs, whose check digits agree with the server', () => {
    // The classic example: the sum is 351, 351 mod 11 = 10, so the check digit is X.
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(parseVin('1M8GDM9AXKP042788')).toEqual({ ok: true, value: '1M8GDM9AXKP042788' });
    expect(parseVin('1HGCM82633A004352').ok).toBe(true);
    expect(parseVin('LFV2A21K8G4012345').ok).toBe(true);
  });

  it('tells a wrong check digit (with the expected one) from a malformed VIN', () => {
    expect(parseVin('1M8GDM9A1KP042788')).toEqual({
      ok: false,
      code: 'invalid_vin_check_digit',
      value: '1M8GDM9A1KP042788',
      expected: 'X',
    });
    for (const bad of ['1M8GDM9AXKP04278', '1M8GDM9AXKP0427888', 'IM8GDM9AXKP042788', '1M8GDM9AXKP04278O', '1M8GDM9AXKQ042788', '']) {
      expect(parseVin(bad), bad).toEqual({ ok: false, code: 'invalid_vin' });
    }
  });

  it('normalises case and separators', () => {
    expect(normaliseVin(' 1m8gdm9axkp-042788 ')).toBe('1M8GDM9AXKP042788');
    expect(parseVin('1m8gdm9axkp 042788').ok).toBe(true);
  });
});

describe('parsePlate', () => {
  it('reads conventional and new-energy plates', () => {
    expect(parsePlate('京A12345')).toBe('京A12345');
    expect(parsePlate('粤b·3k5j7')).toBe('粤B3K5J7');
    expect(parsePlate('沪AD12345')).toBe('沪AD12345');
  });

  it('refuses what is not a plate', () => {
    for (const bad of ['', 'A12345', '京12345', '京A1234', '京A1234567', '港A12345', '京AO1234']) {
      expect(parsePlate(bad), bad).toBeNull();
    }
  });
});

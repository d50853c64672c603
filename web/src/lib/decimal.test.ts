import { describe, expect, it } from 'vitest';
import { decimalToPercent, isDecimalString, percentToDecimal, roundDecimal } from './decimal';

describe('percentToDecimal', () => {
  it.each([
    ['12', '0.12'],
    ['12.5', '0.125'],
    ['0.6', '0.006'],
    ['23.99', '0.2399'],
    ['100', '1'],
    ['0', '0'],
    ['0.00', '0'],
    ['7', '0.07'],
    ['012.30', '0.123'],
    ['1234', '12.34'],
    ['0.0001', '0.000001'],
    [' 12 ', '0.12'],
  ])('%s %% → %s', (pct, dec) => {
    expect(percentToDecimal(pct)).toBe(dec);
  });

  it('refuses text that is not a decimal', () => {
    for (const bad of ['', 'abc', '1e2', '12%', '1,000', '.5', '5.', '--1']) {
      expect(percentToDecimal(bad)).toBeNull();
    }
  });

  it('is exact where floating point is not', () => {
    // 0.07 * 100 is 7.000000000000001 and 1.15 / 100 is 0.011499999999999998 in JS numbers.
    expect(percentToDecimal('1.15')).toBe('0.0115');
    expect(decimalToPercent('0.07')).toBe('7');
  });
});

describe('roundDecimal', () => {
  it.each([
    ['1.005', 2, '1.01'],
    ['1.004', 2, '1.00'],
    ['-1.005', 2, '-1.01'],
    ['9.995', 2, '10.00'],
    ['99999999999999999.995', 2, '100000000000000000.00'],
    ['7', 2, '7.00'],
    ['-0.001', 2, '0.00'],
    ['13.5826', 2, '13.58'],
    ['2.5', 0, '3'],
  ] as const)('%s to %i places → %s', (v, p, r) => {
    expect(roundDecimal(v, p)).toBe(r);
  });
});

describe('isDecimalString', () => {
  it('limits decimals', () => {
    expect(isDecimalString('100000.00', 2)).toBe(true);
    expect(isDecimalString('0.001', 2)).toBe(false);
    expect(isDecimalString('abc')).toBe(false);
  });
});

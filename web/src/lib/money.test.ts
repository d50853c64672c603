import { describe, expect, it } from 'vitest';
import { formatMoney, formatPercent } from './money';

describe('formatMoney', () => {
  it.each([
    ['0', '0.00'],
    ['0.5', '0.50'],
    ['12', '12.00'],
    ['123', '123.00'],
    ['1234', '1,234.00'],
    ['1234567.8', '1,234,567.80'],
    ['100000.00', '100,000.00'],
    ['-98765.43', '-98,765.43'],
    ['-0.00', '0.00'],
    ['8833.295', '8,833.30'],
    ['1000000000000000000.01', '1,000,000,000,000,000,000.01'],
    ['0001234.5', '1,234.50'],
  ])('%s → %s', (input, expected) => {
    expect(formatMoney(input)).toBe(expected);
  });

  it('keeps precision that a JS number would lose', () => {
    expect(formatMoney('9007199254740993.07')).toBe('9,007,199,254,740,993.07');
  });

  it('shows a dash for missing values and leaves non-decimals alone', () => {
    expect(formatMoney(null)).toBe('-');
    expect(formatMoney(undefined)).toBe('-');
    expect(formatMoney('')).toBe('-');
    expect(formatMoney('n/a')).toBe('n/a');
  });

  it('supports a prefix and other precisions', () => {
    expect(formatMoney('1234.5', { prefix: '¥' })).toBe('¥1,234.50');
    expect(formatMoney('-1234.5', { prefix: '¥' })).toBe('-¥1,234.50');
    expect(formatMoney('1234.5', { decimals: 0 })).toBe('1,235');
  });
});

describe('formatPercent', () => {
  it('rounds to two places', () => {
    expect(formatPercent('13.5826')).toBe('13.58%');
    expect(formatPercent('12.795')).toBe('12.80%');
    expect(formatPercent(undefined)).toBe('-');
  });
});

import { describe, expect, it } from 'vitest';
import { amountInWords, compareAmounts, isZeroAmount, sumAmounts } from './amounts';

describe('sumAmounts', () => {
  it('adds amount strings exactly, where binary numbers would drift', () => {
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts(['100000.00', '0.00', '5000.00'])).toBe('105000.00');
    expect(sumAmounts(['4707.35', '4707.35', '4707.35'])).toBe('14122.05');
    expect(sumAmounts(['-95000.00', '100000'])).toBe('5000.00');
    expect(sumAmounts(['99999999999999999.99', '0.01'])).toBe('100000000000000000.00');
    expect(sumAmounts([])).toBe('0.00');
    expect(sumAmounts(['1.005', '1'])).toBe('2.005');
  });

  it('refuses text that is not an amount', () => {
    expect(sumAmounts(['1', 'abc'])).toBeNull();
  });
});

describe('compareAmounts / isZeroAmount', () => {
  it('compares by value, whatever the places', () => {
    expect(compareAmounts('100000.00', '100000')).toBe(0);
    expect(compareAmounts('0.1', '0.09')).toBe(1);
    expect(compareAmounts('-1', '0')).toBe(-1);
    expect(compareAmounts('x', '0')).toBeNull();
    expect(isZeroAmount('0.00')).toBe(true);
    expect(isZeroAmount('-0.0')).toBe(true);
    expect(isZeroAmount('0.01')).toBe(false);
  });
});

describe('amountInWords (人民币大写)', () => {
  it.each([
    ['100000', '壹拾万元整'],
    ['100000.00', '壹拾万元整'],
    ['5000', '伍仟元整'],
    ['1010.05', '壹仟零壹拾元零伍分'],
    ['105000.5', '壹拾万零伍仟元伍角'],
    ['10000001', '壹仟万零壹元整'],
    ['100010', '壹拾万零壹拾元整'],
    ['1234567.89', '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
    ['200000000', '贰亿元整'],
    ['0.5', '伍角'],
    ['0.05', '伍分'],
    ['0', '零元整'],
    ['3.456', '叁元肆角陆分'],
    ['-12', '负壹拾贰元整'],
  ])('%s → %s', (amount, words) => {
    expect(amountInWords(amount)).toBe(words);
  });

  it('gives nothing for what is not an amount', () => {
    expect(amountInWords('')).toBeNull();
    expect(amountInWords('12,000')).toBeNull();
  });
});

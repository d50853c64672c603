import { describe, expect, it } from 'vitest';
import { addAmounts, fenToText, normalizeAmount, toFen, voucherTotals } from './fen';

describe('amounts on integer fen', () => {
  it('reads amounts as a person types them, exactly', () => {
    expect(toFen('0.10')).toBe(10n);
    expect(toFen('12.3')).toBe(1230n);
    expect(toFen(' 7 ')).toBe(700n);
    expect(toFen('5.')).toBe(500n);
    expect(toFen('')).toBe(0n);
    expect(toFen(undefined)).toBe(0n);
    expect(toFen('-0.05')).toBe(-5n);
    expect(toFen('90071992547409.93')).toBe(9007199254740993n); // past 2^53: a float would lose the last fen
    expect(toFen('1.234')).toBeNull();
    expect(toFen('1,000')).toBeNull();
    expect(toFen('abc')).toBeNull();
  });

  it('writes fen back with two places', () => {
    expect(fenToText(30n)).toBe('0.30');
    expect(fenToText(0n)).toBe('0.00');
    expect(fenToText(-5n)).toBe('-0.05');
    expect(fenToText(123456789n)).toBe('1234567.89');
  });

  it('adds 0.10 and 0.20 to 0.30, not 0.30000000000000004', () => {
    expect(addAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(addAmounts(['0.1', '0.2', ''])).toBe('0.30');
    expect(addAmounts(['90071992547409.93', '0.01'])).toBe('90071992547409.94');
    expect(addAmounts(['1', 'x'])).toBeNull();
    expect(normalizeAmount('5')).toBe('5.00');
  });
});

describe('a voucher being written', () => {
  it('balances when the debits and the credits add up to the same amount', () => {
    const t = voucherTotals([
      { accountCode: '6602', debit: '0.10' },
      { accountCode: '6602', debit: '0.20' },
      { accountCode: '100201', credit: '0.30' },
    ]);
    expect(t).toMatchObject({ debit: '0.30', credit: '0.30', difference: '0.00', balanced: true, ready: true });
    expect(t.lineProblems.size).toBe(0);
  });

  it('is not balanced while the columns differ, nor when both are zero', () => {
    const off = voucherTotals([{ accountCode: '6602', debit: '0.10' }, { accountCode: '100201', credit: '0.3' }]);
    expect(off).toMatchObject({ debit: '0.10', credit: '0.30', difference: '-0.20', balanced: false, ready: false });
    expect(voucherTotals([{}, {}])).toMatchObject({ debit: '0.00', balanced: false, ready: false });
  });

  it('holds back a balanced voucher with a line lacking an account, or with both sides on one line', () => {
    const noAccount = voucherTotals([{ debit: '1' }, { accountCode: '100201', credit: '1' }]);
    expect(noAccount.balanced).toBe(true);
    expect(noAccount.ready).toBe(false);
    expect(noAccount.lineProblems.get(0)).toBe('account');
    const bothSides = voucherTotals([
      { accountCode: '6602', debit: '1', credit: '1' },
      { accountCode: '100201', debit: '1' },
      { accountCode: '2241', credit: '1' },
    ]);
    expect(bothSides.balanced).toBe(true);
    expect(bothSides.ready).toBe(false);
    expect(bothSides.lineProblems.get(0)).toBe('oneSide');
  });

  it('is neither balanced nor ready with an amount that is not one', () => {
    const t = voucherTotals([{ accountCode: '6602', debit: '1.005' }, { accountCode: '100201', credit: '1' }]);
    expect(t.balanced).toBe(false);
    expect(t.lineProblems.get(0)).toBe('amount');
  });

  it('needs two lines', () => {
    expect(voucherTotals([{ accountCode: '6602', debit: '1', credit: '1' }]).ready).toBe(false);
  });
});

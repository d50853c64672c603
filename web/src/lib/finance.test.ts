import { describe, expect, it } from 'vitest';
import type { Account } from '../api/finance';
import { P } from '../access/permissions';
import {
  accountTree,
  balanceSide,
  canRegisterDisbursement,
  checkerState,
  fundAccountsFor,
  isChildCode,
  isCreditApplication,
  nextChildCode,
  periodOf,
  periodToClose,
  postableFundAccounts,
  repaymentAmount,
  voucherTotals,
} from './finance';

const account = (code: string, name: string, over: Partial<Account> = {}): Account => ({
  code,
  name,
  parentCode: code.length > 4 ? code.slice(0, -2) : null,
  category: 'asset',
  direction: 'debit',
  isFund: false,
  enabled: true,
  hasChildren: false,
  inUse: false,
  version: 1,
  ...over,
});

const CHART: Account[] = [
  account('1001', '库存现金', { isFund: true }),
  account('1002', '银行存款', { isFund: true, hasChildren: true }),
  account('100201', '基本存款账户', { isFund: true, inUse: true }),
  account('100202', '旧账户', { isFund: true, enabled: false }),
  account('1012', '其他货币资金', { isFund: true }),
  account('1303', '贷款', { hasChildren: true }),
  account('130301', '本金-正常', { inUse: true }),
  account('2241', '其他应付款', { category: 'liability', direction: 'credit', hasChildren: true }),
  account('224101', '客户溢缴款', { category: 'liability', direction: 'credit' }),
];

describe('checkerState (maker-checker)', () => {
  const item = { status: 'registered', registeredBy: 5 };
  it('lets another person holding the permission check a registration', () => {
    expect(checkerState(item, 9, true)).toBe('check');
  });
  it('never lets the registrar check their own, whatever they hold', () => {
    expect(checkerState(item, 5, true)).toBe('own');
    expect(checkerState(item, 5, false)).toBe('own');
  });
  it('shows the others read-only without the permission, and closed ones as closed', () => {
    expect(checkerState(item, 9, false)).toBe('not_permitted');
    expect(checkerState({ status: 'approved', registeredBy: 5 }, 9, true)).toBe('closed');
  });
});

describe('fund accounts', () => {
  it('offers enabled fund accounts that take postings', () => {
    expect(postableFundAccounts(CHART).map((a) => a.code)).toEqual(['1001', '100201', '1012']);
  });
  it('books money by channel under its root: cash 1001, bank 1002, channel 1012', () => {
    expect(fundAccountsFor('cash', CHART).map((a) => a.code)).toEqual(['1001']);
    expect(fundAccountsFor('bank_transfer', CHART).map((a) => a.code)).toEqual(['100201']);
    expect(fundAccountsFor('channel', CHART).map((a) => a.code)).toEqual(['1012']);
    expect(fundAccountsFor(undefined, undefined)).toEqual([]);
  });
});

describe('canRegisterDisbursement', () => {
  const cashier = new Set([P.disbursementRegister]);
  it('needs a signed contract, ready collateral and the permission', () => {
    expect(canRegisterDisbursement('signed', true, cashier)).toBe(true);
    expect(canRegisterDisbursement('signed', false, cashier)).toBe(false);
    expect(canRegisterDisbursement('signed', undefined, cashier)).toBe(false);
    expect(canRegisterDisbursement('draft', true, cashier)).toBe(false);
    expect(canRegisterDisbursement('signed', true, new Set([P.loanRead]))).toBe(false);
  });
});

describe('the chart', () => {
  it('nests sub-accounts under their parents in code order', () => {
    const tree = accountTree([...CHART].reverse());
    expect(tree.map((a) => a.code)).toEqual(['1001', '1002', '1012', '1303', '2241']);
    expect(tree[1].children!.map((a) => a.code)).toEqual(['100201', '100202']);
    expect(tree[0].children).toBeUndefined();
  });
  it('suggests the first free two-digit code under a parent', () => {
    expect(nextChildCode('1002', CHART)).toBe('100203');
    expect(nextChildCode('1001', CHART)).toBe('100101');
    expect(isChildCode('100203', '1002')).toBe(true);
    expect(isChildCode('10023', '1002')).toBe(false);
    expect(isChildCode('100303', '1002')).toBe(false);
  });
});

describe('balanceSide', () => {
  it('prints a balance on its side: a bank account paid out more than it took in stands on credit', () => {
    expect(balanceSide('debit', '100000.00')).toEqual({ side: 'debit', amount: '100000.00' });
    expect(balanceSide('debit', '-95000.00')).toEqual({ side: 'credit', amount: '95000.00' });
    expect(balanceSide('credit', '5000.00')).toEqual({ side: 'credit', amount: '5000.00' });
    expect(balanceSide('credit', '-1.00')).toEqual({ side: 'debit', amount: '1.00' });
    expect(balanceSide('debit', '0.00')).toEqual({ side: 'flat', amount: '0.00' });
  });
});

describe('voucherTotals / periodOf', () => {
  it('adds up each column exactly and says whether they agree', () => {
    expect(
      voucherTotals([
        { debit: '5000.00', credit: '0.00' },
        { debit: '0.00', credit: '4716.98' },
        { debit: '0.00', credit: '283.02' },
      ]),
    ).toEqual({ debit: '5000.00', credit: '5000.00', balanced: true });
    expect(voucherTotals([{ debit: '0.10', credit: '0.00' }, { debit: '0.00', credit: '0.20' }]).balanced).toBe(false);
    expect(periodOf('2026-03-02')).toBe('2026-03');
  });
});

describe('periodToClose', () => {
  it('is the oldest open period, else the business date’s', () => {
    const periods = [
      { period: '2026-03', status: 'open' },
      { period: '2026-02', status: 'open' },
      { period: '2026-01', status: 'closed' },
    ];
    expect(periodToClose(periods, '2026-03')).toBe('2026-02');
    expect(periodToClose([{ period: '2026-01', status: 'closed' }], '2026-03')).toBe('2026-03');
    expect(periodToClose([], undefined)).toBeUndefined();
  });

  it('shows an application from credit by the credit it applied, a payment by the money received', () => {
    const totals = { fees: '0.00', penalty: '0.00', compound: '0.00', interest: '962.93', principal: '3744.42' };
    const allocation = {
      lines: [],
      totals,
      creditBefore: '5292.65',
      creditAfter: '585.30',
      principalOverdue: '0.00',
      interestFromReceivable: '962.93',
      interestReversed: '0.00',
    };
    const fromCredit = { kind: 'credit_application', amount: '0.00', allocation };
    expect(isCreditApplication(fromCredit)).toBe(true);
    // 962.93 + 3 744.42 = 4 707.35 = 5 292.65 − 585.30, the credit spent.
    expect(repaymentAmount(fromCredit)).toBe('4707.35');
    expect(repaymentAmount({ ...fromCredit, allocation: null })).toBe('0.00');
    const paid = { kind: 'regular', amount: '10000.00', allocation };
    expect(isCreditApplication(paid)).toBe(false);
    expect(repaymentAmount(paid)).toBe('10000.00');
    // Nobody registered it: no one is its maker, so anyone may see it but no one checks it.
    expect(checkerState({ status: 'confirmed', registeredBy: null }, 9, true)).toBe('closed');
  });
});

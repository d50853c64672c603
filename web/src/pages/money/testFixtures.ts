import type { Account, Disbursement, Repayment, Voucher } from '../../api/finance';
import type { Me } from '../../auth/hooks';

// Records as the server sends them, for the money pages' component tests.

export const me = (id: number, permissions: string[]): Me => ({
  id,
  username: `user${id}`,
  displayName: `用户${id}`,
  departmentId: null,
  roles: [],
  permissions,
  dataScope: 'all',
  mustChangePassword: false,
});

export const disbursement = (id: number, registeredBy: number, over: Partial<Disbursement> = {}): Disbursement => ({
  id,
  contractId: 40 + id,
  contractNo: `JK2026030200004${id}`,
  loanId: null,
  loanNo: null,
  customerId: 3,
  customerName: `借款人${id}`,
  status: 'registered',
  amount: '100000.00',
  valueDate: '2026-03-02',
  customerAccountId: 11,
  customerAccount: '工商银行 借款人',
  fundAccountCode: '100201',
  fundAccountName: '基本存款账户',
  reference: `BANK-${id}`,
  registeredBy,
  registeredByName: `出纳${registeredBy}`,
  registeredAt: '2026-03-02T02:00:00Z',
  reviewedByName: null,
  reviewedAt: null,
  reviewComment: null,
  voucherId: null,
  version: 1,
  ...over,
});

export const repayment = (id: number, registeredBy: number, over: Partial<Repayment> = {}): Repayment => ({
  id,
  loanId: 5,
  loanNo: 'JK20260302000041-01',
  customerId: 3,
  customerName: '借款人1',
  kind: 'regular',
  status: 'registered',
  amount: '5000.00',
  channel: 'bank_transfer',
  fundAccountCode: '100201',
  fundAccountName: '基本存款账户',
  reference: `TX-${id}`,
  valueDate: '2026-03-02',
  registeredBy,
  registeredByName: `出纳${registeredBy}`,
  registeredAt: '2026-03-02T03:00:00Z',
  confirmedAt: null,
  confirmedByName: null,
  reviewComment: null,
  allocation: null,
  voucherId: null,
  version: 1,
  ...over,
});

const acct = (code: string, name: string, over: Partial<Account> = {}): Account => ({
  code,
  name,
  parentCode: code.length > 4 ? code.slice(0, -2) : null,
  category: 'asset',
  direction: 'debit',
  isFund: true,
  enabled: true,
  hasChildren: false,
  inUse: false,
  version: 1,
  ...over,
});

export const CHART: Account[] = [
  acct('1001', '库存现金'),
  acct('1002', '银行存款', { hasChildren: true }),
  acct('100201', '基本存款账户'),
  acct('1012', '其他货币资金'),
  acct('1303', '贷款', { isFund: false, hasChildren: true }),
  acct('130301', '本金-正常', { isFund: false }),
];

export const VOUCHER: Voucher = {
  id: 9,
  voucherNo: '记-2026-03-0002',
  period: '2026-03',
  voucherDate: '2026-03-02',
  status: 'posted',
  sourceKind: 'repayment',
  sourceId: 1,
  summary: '收回贷款 JK20260302000041-01',
  reversesId: null,
  createdByName: '出纳甲',
  reviewedByName: '复核乙',
  createdAt: '2026-03-02T03:00:00Z',
  postedAt: '2026-03-02T04:00:00Z',
  total: '5000.00',
  lines: [
    { lineNo: 1, accountCode: '100201', accountName: '基本存款账户', debit: '5000.00', credit: '0.00', loanId: null, memo: '还款收入' },
    { lineNo: 2, accountCode: '601101', accountName: '利息收入-正常利息', debit: '0.00', credit: '943.40', loanId: 5, memo: '利息收入' },
    { lineNo: 3, accountCode: '222101', accountName: '销项税额', debit: '0.00', credit: '56.60', loanId: 5, memo: '销项税额' },
    { lineNo: 4, accountCode: '130301', accountName: '本金-正常', debit: '0.00', credit: '4000.00', loanId: 5, memo: '收回本金' },
  ],
};

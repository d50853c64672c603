import type { Account, InstallmentStatus, PaymentOutcome, RepaymentChannel, VoucherLine } from '../api/finance';
import { P } from '../access/permissions';
import { compareAmounts, sumAmounts } from './amounts';

// The rules of the money pages, kept apart from React so they are unit-tested: who may check a
// registration (maker-checker), which fund accounts money may come from or go to, the chart as
// a tree, and a voucher's column totals.

/** What the signed-in user may do with a registration waiting for its second person. */
export type CheckerState = 'check' | 'own' | 'not_permitted' | 'closed';

/**
 * A registered disbursement or repayment is checked by someone holding the permission who did
 * not register it (the server answers 403 `maker_checker` otherwise).
 */
export function checkerState(
  item: { status: string; registeredBy?: number | null },
  userId: number | undefined,
  mayCheck: boolean,
): CheckerState {
  if (item.status !== 'registered') return 'closed';
  if (userId !== undefined && item.registeredBy === userId) return 'own';
  return mayCheck ? 'check' : 'not_permitted';
}

/** The permission that checks a disbursement or a repayment. */
export const CHECK_PERMISSION = { disbursement: P.disbursementReview, repayment: P.repaymentConfirm } as const;

/** Fund accounts money is paid from or into: cash, bank or other funds, enabled, taking postings. */
export function postableFundAccounts(accounts: readonly Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => a.isFund && a.enabled && !a.hasChildren);
}

/** Where money received by each channel is booked (the server checks the same roots). */
export const CHANNEL_ROOT: Record<RepaymentChannel, string> = {
  cash: '1001',
  bank_transfer: '1002',
  channel: '1012',
  // Only the daily close spends the credit balance (224101); the dialog never offers it.
  credit_balance: '2241',
};

/** 溢缴款冲抵: a repayment the daily close made from the loan's credit balance, with no money. */
export const isCreditApplication = (r: { kind: string }) => r.kind === 'credit_application';

/**
 * The amount a repayment stands for: the money received, or for an application from credit
 * (which receives none) the credit it applied, once its allocation is known.
 */
export function repaymentAmount(r: { kind: string; amount: string; allocation?: PaymentOutcome | null }): string {
  if (!isCreditApplication(r) || !r.allocation) return r.amount;
  const t = r.allocation.totals;
  return sumAmounts([t.fees, t.penalty, t.compound, t.interest, t.principal]) ?? r.amount;
}

/** The fund accounts a repayment by `channel` may be booked to. */
export function fundAccountsFor(channel: RepaymentChannel | undefined, accounts: readonly Account[] | undefined): Account[] {
  const postable = postableFundAccounts(accounts);
  return channel ? postable.filter((a) => a.code.startsWith(CHANNEL_ROOT[channel])) : postable;
}

/** "100201 基本存款账户" */
export const accountLabel = (a: Pick<Account, 'code' | 'name'>) => `${a.code} ${a.name}`;

/** A disbursement is registered for a signed contract whose collateral is ready. */
export function canRegisterDisbursement(contractStatus: string, collateralReady: boolean | undefined, granted: ReadonlySet<string>): boolean {
  return granted.has(P.disbursementRegister) && contractStatus === 'signed' && collateralReady === true;
}

export const INSTALLMENT_COLORS: Record<InstallmentStatus, string> = {
  settled: 'success',
  overdue: 'error',
  due_today: 'warning',
  not_due: 'default',
};

export const STATUS_COLORS: Record<string, string> = {
  registered: 'processing',
  approved: 'success',
  confirmed: 'success',
  rejected: 'error',
  reversed: 'default',
  active: 'processing',
  settled: 'success',
  posted: 'success',
  pending: 'warning',
};

export type AccountNode = Account & { children?: AccountNode[] };

/** The chart as a tree by parent code, in code order (antd tables take `children`). */
export function accountTree(accounts: readonly Account[]): AccountNode[] {
  const nodes = new Map<string, AccountNode>();
  for (const a of accounts) nodes.set(a.code, { ...a });
  const roots: AccountNode[] = [];
  for (const a of [...accounts].sort((x, y) => x.code.localeCompare(y.code))) {
    const node = nodes.get(a.code)!;
    const parent = a.parentCode ? nodes.get(a.parentCode) : undefined;
    if (parent) (parent.children ??= []).push(node);
    else roots.push(node);
  }
  return roots;
}

/** The first free sub-account code: the parent's code followed by two digits (01–99). */
export function nextChildCode(parentCode: string, accounts: readonly Pick<Account, 'code'>[]): string | null {
  const taken = new Set(accounts.map((a) => a.code));
  for (let n = 1; n <= 99; n++) {
    const code = `${parentCode}${String(n).padStart(2, '0')}`;
    if (!taken.has(code)) return code;
  }
  return null;
}

/** A sub-account's code is its parent's followed by two digits. */
export const isChildCode = (code: string, parentCode: string) => new RegExp(`^${parentCode}\\d{2}$`).test(code);

/** "2026-03-02" → "2026-03". */
export const periodOf = (date: string) => date.slice(0, 7);

/** A voucher's debit and credit columns added up, and whether they agree. */
export function voucherTotals(lines: readonly Pick<VoucherLine, 'debit' | 'credit'>[]): { debit: string; credit: string; balanced: boolean } {
  const debit = sumAmounts(lines.map((l) => l.debit)) ?? '-';
  const credit = sumAmounts(lines.map((l) => l.credit)) ?? '-';
  return { debit, credit, balanced: compareAmounts(debit, credit) === 0 };
}

export type BalanceSide = 'debit' | 'credit' | 'flat';

/**
 * A balance as a ledger prints it: the side it stands on (借/贷/平) and its size. The server
 * gives balances on the account's own side, negative when they stand on the other.
 */
export function balanceSide(direction: 'debit' | 'credit', amount: string): { side: BalanceSide; amount: string } {
  if (compareAmounts(amount, '0') === 0) return { side: 'flat', amount: '0.00' };
  const negative = amount.trim().startsWith('-');
  const other = direction === 'debit' ? 'credit' : 'debit';
  return { side: negative ? other : direction, amount: negative ? amount.trim().slice(1) : amount.trim() };
}

/** The period to close next: the oldest one still open, else the business date's. */
export function periodToClose(periods: readonly { period: string; status: string }[], fallback: string | undefined): string | undefined {
  const open = periods.filter((p) => p.status !== 'closed').map((p) => p.period).sort();
  return open[0] ?? fallback;
}

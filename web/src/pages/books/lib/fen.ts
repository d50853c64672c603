// Exact money arithmetic for the books pages: an amount string becomes a BigInt count of fen
// (分, 0.01 yuan) and back, so a column of figures adds up the way the server adds it up —
// "0.10" + "0.20" is "0.30", never 0.30000000000000004. No JS number ever holds an amount.

/** An amount as a person types it: digits, at most two places, an optional minus sign. */
const AMOUNT = /^(-)?(\d+)(?:\.(\d{0,2}))?$/;

/** "12.3" → 1230n; "" or blank → 0n (an empty cell counts as nothing); not an amount → null. */
export function toFen(text: string | null | undefined): bigint | null {
  const s = (text ?? '').trim();
  if (s === '') return 0n;
  const m = AMOUNT.exec(s);
  if (!m) return null;
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

/** 30n → "0.30"; -5n → "-0.05". */
export function fenToText(fen: bigint): string {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const body = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${body}` : body;
}

/** The exact sum of amount strings, as a string with two places; null if one is not an amount. */
export function addAmounts(values: readonly (string | null | undefined)[]): string | null {
  let total = 0n;
  for (const v of values) {
    const fen = toFen(v);
    if (fen === null) return null;
    total += fen;
  }
  return fenToText(total);
}

/** The amount with two places ("5" → "5.00"), for a request body; null if not an amount. */
export function normalizeAmount(text: string | null | undefined): string | null {
  const fen = toFen(text);
  return fen === null ? null : fenToText(fen);
}

export interface DraftLine {
  accountCode?: string;
  debit?: string;
  credit?: string;
  memo?: string;
}

export type LineProblem = 'account' | 'amount' | 'oneSide';

export interface VoucherTotals {
  /** 借方合计 and 贷方合计, two places; the parts that are not amounts count as nothing. */
  debit: string;
  credit: string;
  /** Debits less credits. */
  difference: string;
  /** Both columns add up to the same amount, more than zero, and every figure is an amount. */
  balanced: boolean;
  /** What is wrong with each line, by index; a line with no problem is absent. */
  lineProblems: Map<number, LineProblem>;
  /** Balanced, at least two lines, each with an account and one positive side: ready to send. */
  ready: boolean;
}

/**
 * The column totals of a voucher being written, and whether it may be sent: the rules the server
 * checks (two lines or more, each a positive debit or a positive credit, debits = credits).
 */
export function voucherTotals(lines: readonly (DraftLine | undefined)[]): VoucherTotals {
  let debit = 0n;
  let credit = 0n;
  let allAmounts = true;
  const lineProblems = new Map<number, LineProblem>();
  lines.forEach((line, i) => {
    const d = toFen(line?.debit);
    const c = toFen(line?.credit);
    if (d === null || c === null) {
      allAmounts = false;
      lineProblems.set(i, 'amount');
    }
    debit += d ?? 0n;
    credit += c ?? 0n;
    if (d === null || c === null) return;
    const oneSide = (d > 0n && c === 0n) || (c > 0n && d === 0n);
    if (!oneSide) lineProblems.set(i, 'oneSide');
    else if (!line?.accountCode) lineProblems.set(i, 'account');
  });
  const balanced = allAmounts && debit === credit && debit > 0n;
  return {
    debit: fenToText(debit),
    credit: fenToText(credit),
    difference: fenToText(debit - credit),
    balanced,
    lineProblems,
    ready: balanced && lines.length >= 2 && lineProblems.size === 0,
  };
}

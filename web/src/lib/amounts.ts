import { parseDecimal, roundDecimal } from './decimal';

// Exact arithmetic on amount strings, for the few places the SPA must add money up (a voucher's
// debit and credit columns). Amounts become BigInt counts of their smallest unit, never JS
// numbers, so no binary fraction can creep into a figure.

function scaleOf(text: string): number {
  return parseDecimal(text)?.fraction.length ?? 0;
}

function toUnits(text: string, scale: number): bigint | null {
  const p = parseDecimal(text);
  if (!p || p.fraction.length > scale) return null;
  const units = BigInt(p.integer + p.fraction.padEnd(scale, '0'));
  return p.negative ? -units : units;
}

function fromUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${body}` : body;
}

/** The exact sum of decimal strings, with at least two places ("0.00" for none); null if one is not a decimal. */
export function sumAmounts(values: readonly string[]): string | null {
  const scale = Math.max(2, ...values.map(scaleOf));
  let total = 0n;
  for (const v of values) {
    const units = toUnits(v, scale);
    if (units === null) return null;
    total += units;
  }
  return fromUnits(total, scale);
}

/** -1, 0 or 1 as `a` is less than, equal to or more than `b`; null if either is not a decimal. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 | null {
  const scale = Math.max(scaleOf(a), scaleOf(b));
  const x = toUnits(a, scale);
  const y = toUnits(b, scale);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** True for "0", "0.00", "-0.0". */
export function isZeroAmount(text: string): boolean {
  const p = parseDecimal(text);
  return p !== null && /^0*$/.test(p.integer) && p.fraction === '';
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES = ['', '拾', '佰', '仟'];
const GROUPS = ['', '万', '亿', '万亿'];

function integerInWords(integer: string): string {
  const groups: string[] = [];
  for (let end = integer.length; end > 0; end -= 4) groups.unshift(integer.slice(Math.max(0, end - 4), end).padStart(4, '0'));
  let out = '';
  let zero = false;
  groups.forEach((group, i) => {
    const groupIndex = groups.length - 1 - i;
    if (group === '0000') {
      if (out) zero = true;
      return;
    }
    for (let j = 0; j < 4; j++) {
      const d = Number(group[j]);
      if (d === 0) {
        if (out) zero = true;
        continue;
      }
      if (zero) out += '零';
      zero = false;
      out += DIGITS[d] + PLACES[3 - j];
    }
    out += GROUPS[groupIndex] ?? '';
  });
  return out;
}

/**
 * An amount in capital Chinese numerals (人民币大写), as a voucher or receipt writes it:
 * "100000" → "壹拾万元整", "1010.05" → "壹仟零壹拾元零伍分", "0.5" → "伍角". Rounded half up to the
 * fen first; null when the text is not a decimal or too large to write.
 */
export function amountInWords(text: string): string | null {
  const rounded = roundDecimal(text, 2);
  if (rounded === null) return null;
  const negative = rounded.startsWith('-');
  const [integer, fraction] = (negative ? rounded.slice(1) : rounded).split('.');
  if (integer.length > 16) return null;
  const yuan = integerInWords(integer);
  const jiao = Number(fraction[0]);
  const fen = Number(fraction[1]);
  let out = yuan ? `${yuan}元` : '';
  if (jiao === 0 && fen === 0) out = `${yuan || '零'}元整`;
  else {
    if (jiao > 0) out += `${DIGITS[jiao]}角`;
    if (fen > 0) out += `${jiao === 0 && yuan ? '零' : ''}${DIGITS[fen]}分`;
  }
  return negative ? `负${out}` : out;
}

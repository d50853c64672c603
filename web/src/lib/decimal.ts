// Decimal strings handled as text: money and rates never pass through a JS number, so
// "0.1 + 0.2" style surprises cannot reach an amount shown to a borrower or sent to the server.

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export interface DecimalParts {
  negative: boolean;
  /** Integer digits without leading zeros ("0" for zero). */
  integer: string;
  /** Fraction digits without trailing zeros ("" for none). */
  fraction: string;
}

/** Parses "-0012.3400" into {negative, "12", "34"}; null when the text is not a plain decimal. */
export function parseDecimal(text: string): DecimalParts | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const integer = m[2].replace(/^0+(?=\d)/, '');
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const isZero = /^0*$/.test(integer) && fraction === '';
  return { negative: m[1] === '-' && !isZero, integer, fraction };
}

export function formatParts(p: DecimalParts): string {
  const body = p.fraction ? `${p.integer}.${p.fraction}` : p.integer;
  return p.negative ? `-${body}` : body;
}

/** True when `text` is a plain decimal with at most `maxDecimals` fraction digits. */
export function isDecimalString(text: string, maxDecimals = Infinity): boolean {
  const m = DECIMAL.exec(text.trim());
  return m !== null && (m[3] ?? '').length <= maxDecimals;
}

/** Moves the decimal point `places` to the left (positive) or right (negative), exactly. */
export function shiftDecimal(text: string, places: number): string | null {
  const p = parseDecimal(text);
  if (!p) return null;
  let digits = p.integer + p.fraction;
  let point = p.integer.length - places;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  return formatParts({
    negative: p.negative,
    integer: digits.slice(0, point).replace(/^0+(?=\d)/, ''),
    fraction: digits.slice(point).replace(/0+$/, ''),
  });
}

/** "12" (per cent, as typed) → "0.12"; "23.99" → "0.2399"; null when not a decimal. */
export function percentToDecimal(percent: string): string | null {
  return shiftDecimal(percent, 2);
}

/** "0.12" → "12". */
export function decimalToPercent(decimal: string): string | null {
  return shiftDecimal(decimal, -2);
}

/** Adds one unit in the last place of a digit string ("0999" → "1000"). */
function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] === '9') {
      out[i] = '0';
    } else {
      out[i] = String.fromCharCode(out[i].charCodeAt(0) + 1);
      return out.join('');
    }
  }
  return '1' + out.join('');
}

/**
 * Rounds half away from zero (四舍五入) to exactly `places` decimals, returning a string padded
 * with zeros: roundDecimal("1.005", 2) = "1.01", roundDecimal("7", 2) = "7.00".
 */
export function roundDecimal(text: string, places: number): string | null {
  const p = parseDecimal(text);
  if (!p) return null;
  const frac = p.fraction.padEnd(places + 1, '0');
  let kept = p.integer + frac.slice(0, places);
  if (frac[places] >= '5') kept = incrementDigits(kept);
  const intLen = kept.length - places;
  const integer = kept.slice(0, intLen).replace(/^0+(?=\d)/, '') || '0';
  const fraction = kept.slice(intLen);
  const isZero = /^0*$/.test(integer + fraction);
  const sign = p.negative && !isZero ? '-' : '';
  return places > 0 ? `${sign}${integer}.${fraction}` : `${sign}${integer}`;
}

import { roundDecimal } from './decimal';

/** Inserts thousands separators into a string of digits. */
function groupThousands(digits: string, separator = ','): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * Formats a decimal amount string for display: "1234567.8" → "1,234,567.80". Works on the text
 * alone (no Number()), rounding half away from zero to `decimals` places. Empty or null values
 * give "-"; text that is not a decimal is returned unchanged.
 */
export function formatMoney(
  value: string | null | undefined,
  options: { decimals?: number; prefix?: string } = {},
): string {
  if (value === null || value === undefined || value.trim() === '') return '-';
  const decimals = options.decimals ?? 2;
  const rounded = roundDecimal(value, decimals);
  if (rounded === null) return value;
  const negative = rounded.startsWith('-');
  const unsigned = negative ? rounded.slice(1) : rounded;
  const [integer, fraction] = unsigned.split('.');
  const body = groupThousands(integer) + (fraction !== undefined ? `.${fraction}` : '');
  return `${negative ? '-' : ''}${options.prefix ?? ''}${body}`;
}

/** Formats a percentage string such as an APR "13.5826" → "13.58%". */
export function formatPercent(value: string | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || value.trim() === '') return '-';
  const rounded = roundDecimal(value, decimals);
  return rounded === null ? value : `${rounded}%`;
}

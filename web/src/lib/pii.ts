// Display of personal data (个人信息): the server masks ID, mobile and account numbers unless the
// caller may and asks to see them; these helpers only shape what it sent for reading.

/** True when the server masked the value (it replaces the middle with `*`). */
export function isMasked(value: string | null | undefined): boolean {
  return !!value && value.includes('*');
}

/** Keeps `head` and `tail` characters and stars the rest, as the server does. */
export function maskMiddle(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** A bank account number in groups of four, masked or not: `6222 **** **** ***0 128`. */
export function groupAccountNumber(value: string | null | undefined): string {
  if (!value) return '-';
  return value.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** A mobile number as 3-4-4 (`138 0013 8000`, `138 **** 5678`); other text unchanged. */
export function groupMobile(value: string | null | undefined): string {
  if (!value) return '-';
  const v = value.replace(/\s+/g, '');
  return v.length === 11 ? `${v.slice(0, 3)} ${v.slice(3, 7)} ${v.slice(7)}` : v;
}

/** Any personal value for a table cell: `-` when absent. */
export function showPii(value: string | null | undefined): string {
  return value ? value : '-';
}

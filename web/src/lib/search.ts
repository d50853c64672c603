/** The exact-search filter a typed number stands for: a mobile (11 digits starting with 1), else
 * a credit code for enterprises or an ID number for individuals. Spaces are ignored. */
export function exactFilter(
  kind: 'individual' | 'enterprise' | undefined,
  text: string | undefined,
): { mobile?: string; idNumber?: string; creditCode?: string } {
  const v = text?.replace(/\s+/g, '');
  if (!v) return {};
  if (/^(\+86)?1\d{10}$/.test(v)) return { mobile: v };
  if (kind === 'enterprise') return { creditCode: v.toUpperCase() };
  return { idNumber: v.toUpperCase() };
}

/** The customer a `duplicate` answer names ("… belongs to customer 12 (张三)"), when it names one. */
export function duplicateCustomer(message: string | undefined): { id: number; name: string } | null {
  const m = message?.match(/customer (\d+) \((.*)\)\s*$/);
  return m ? { id: Number(m[1]), name: m[2] } : null;
}

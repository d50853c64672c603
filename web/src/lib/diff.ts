export interface DiffRow {
  key: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Field-by-field comparison of an audit record's before and after images (top-level keys;
 * nested values are compared whole). Keys keep the order they first appear in.
 */
export function diffRecords(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined): DiffRow[] {
  const keys: string[] = [];
  for (const k of [...Object.keys(before ?? {}), ...Object.keys(after ?? {})]) if (!keys.includes(k)) keys.push(k);
  return keys.map((key) => {
    const b = before ? before[key] : undefined;
    const a = after ? after[key] : undefined;
    return { key, before: b, after: a, changed: !same(b, a) };
  });
}

/** A short label for an audited record: its name, display name, username or code. */
export function recordLabel(...records: (Record<string, unknown> | null | undefined)[]): string | undefined {
  for (const r of records) {
    if (!r) continue;
    for (const k of ['name', 'displayName', 'username', 'employeeNo', 'code']) {
      const v = r[k];
      if (typeof v === 'string' && v) return v;
    }
  }
  return undefined;
}

export function showValue(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

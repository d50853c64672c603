import type { i18n as I18n, TFunction } from 'i18next';
import { ApiError, translateError, translateFieldError, type FieldError } from './errors';

export type NamePath = (string | number)[];

/** "contacts[0].phone" → ["contacts", 0, "phone"], the antd Form name path of that field. */
export function fieldPath(field: string): NamePath {
  const path: NamePath = [];
  for (const part of field.split('.')) {
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part)) !== null) {
      if (m[1] !== undefined) path.push(m[1]);
      else path.push(Number(m[2]));
    }
  }
  return path;
}

export interface FormFieldError {
  name: NamePath;
  errors: string[];
}

export interface MappedProblem {
  /** Errors for fields present in the form, grouped by field, ready for `form.setFields`. */
  fields: FormFieldError[];
  /** Field errors the form has no field for; show them in a message or an alert. */
  unmatched: { field: string; message: string }[];
  /** A message summarising the error as a whole. */
  summary: string;
}

export interface MapOptions {
  /** Name paths of the fields the form has; when given, other fields land in `unmatched`. */
  known?: NamePath[];
  /** Server field → form field, for fields the form keeps under another name (e.g. a % input). */
  aliases?: Record<string, string>;
  /** A prefix the server puts before the form's fields (e.g. `customer.` in a nested body). */
  stripPrefix?: string;
}

const samePath = (a: NamePath, b: NamePath) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Turns a problem's `errors[]` into antd Form field errors with translated messages. */
export function mapProblemToFields(
  error: ApiError,
  t: TFunction,
  i18n: Pick<I18n, 'exists'>,
  options: MapOptions = {},
): MappedProblem {
  const grouped = new Map<string, FormFieldError>();
  const unmatched: MappedProblem['unmatched'] = [];
  for (const fe of error.fieldErrors as FieldError[]) {
    const message = translateFieldError(fe, t, i18n);
    const field =
      options.stripPrefix && fe.field.startsWith(options.stripPrefix) ? fe.field.slice(options.stripPrefix.length) : fe.field;
    const name = fieldPath(options.aliases?.[field] ?? field);
    if (options.known && !options.known.some((k) => samePath(k, name))) {
      unmatched.push({ field: fe.field, message });
      continue;
    }
    const key = JSON.stringify(name);
    const entry = grouped.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(message)) entry.errors.push(message);
    grouped.set(key, entry);
  }
  return { fields: [...grouped.values()], unmatched, summary: translateError(error, t, i18n) };
}

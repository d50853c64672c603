import { authFetch } from '../../../api/client';
import { networkError, toApiError } from '../../../api/errors';

// The books as files. An export is a GET that needs the bearer token, so a plain link or
// `window.open` cannot fetch it: the file is fetched through the app's request layer (token,
// refresh-once) as a blob and saved under the name the server gives it.

export type ExportFormat = 'xlsx' | 'pdf';

export type ExportTarget =
  | { kind: 'balance-sheet' | 'income-statement' | 'trial-balance'; period: string }
  | { kind: 'fund-summary'; from: string; to: string }
  | { kind: 'cash-journal'; code: string; from: string; to: string };

/** The export's URL, e.g. `/api/v1/exports/balance-sheet?period=2026-03&format=xlsx`. */
export function exportUrl(target: ExportTarget, format: ExportFormat): string {
  const q = new URLSearchParams();
  let path: string;
  if (target.kind === 'cash-journal') {
    path = `/api/v1/exports/cash-journal/${encodeURIComponent(target.code)}`;
    q.set('from', target.from);
    q.set('to', target.to);
  } else if (target.kind === 'fund-summary') {
    path = '/api/v1/exports/fund-summary';
    q.set('from', target.from);
    q.set('to', target.to);
  } else {
    path = `/api/v1/exports/${target.kind}`;
    q.set('period', target.period);
  }
  q.set('format', format);
  return `${path}?${q.toString()}`;
}

/** The name the server would give the file, for when its answer names none. */
export function defaultFileName(target: ExportTarget, format: ExportFormat): string {
  const stem =
    target.kind === 'cash-journal'
      ? `cash-journal-${target.code}-${target.from}`
      : target.kind === 'fund-summary'
        ? `fund-summary-${target.from}`
        : `${target.kind}-${target.period}`;
  return `${stem}.${format}`;
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` or `filename="…"`). */
export function fileNameFrom(disposition: string | null | undefined): string | null {
  if (!disposition) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(disposition);
  if (!plain) return null;
  const name = (plain[2] ?? plain[1]).trim();
  return name || null;
}

/** Saves a blob under a file name through a temporary link (the browser's download). */
export function saveFile(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Fetches the export with the user's token and saves it; resolves to the file name saved. */
export async function downloadExport(target: ExportTarget, format: ExportFormat): Promise<string> {
  const accept =
    format === 'pdf'
      ? 'application/pdf, application/octet-stream, application/problem+json'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/octet-stream, application/problem+json';
  let res: Response;
  try {
    res = await authFetch(new Request(exportUrl(target, format), { headers: { Accept: accept } }));
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  const name = fileNameFrom(res.headers.get('Content-Disposition')) ?? defaultFileName(target, format);
  saveFile(await res.blob(), name);
  return name;
}

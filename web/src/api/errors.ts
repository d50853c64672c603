import type { i18n as I18n, TFunction } from 'i18next';
import type { components } from './schema';

export type Problem = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];

/** A failed API call: the HTTP status and the server's problem+json (or a stand-in for it). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(`${problem.code}: ${problem.title}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  get fieldErrors(): FieldError[] {
    return this.problem.errors ?? [];
  }
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Problem).code === 'string' &&
    typeof (body as Problem).title === 'string'
  );
}

/** Builds an ApiError from whatever a failed response carried (problem+json, text, nothing). */
export function toApiError(status: number, body: unknown): ApiError {
  if (isProblem(body)) return new ApiError(status, { ...body, status: body.status ?? status });
  // A proxy's HTML error page is no message for a person: keep only the status.
  const title = status === 0 ? 'Network error' : `HTTP ${status}`;
  return new ApiError(status, { type: 'about:blank', title, status, code: status === 0 ? 'network' : 'unknown' });
}

export function networkError(cause: unknown): ApiError {
  const err = toApiError(0, undefined);
  (err as { cause?: unknown }).cause = cause;
  return err;
}

/**
 * The message to show for an error: the translation of its code in the user's language, else
 * the server's own title (for codes this build does not know yet), else a generic line.
 */
export function translateError(error: unknown, t: TFunction, i18n: Pick<I18n, 'exists'>): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (i18n.exists(key)) return t(key, { status: error.status });
    return error.problem.title || t('errors.unknown', { status: error.status });
  }
  if (error instanceof Error && error.message) return error.message;
  return t('errors.unknown', { status: '?' });
}

/** The message for one field error: its code translated, else the server's message. */
export function translateFieldError(fe: FieldError, t: TFunction, i18n: Pick<I18n, 'exists'>): string {
  const key = `fieldErrors.${fe.code}`;
  return i18n.exists(key) ? t(key) : fe.message || fe.code;
}

import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { networkError, toApiError } from './errors';
import { session } from '../auth/session';

// The one request layer: every API call goes through `authFetch`, which attaches the access
// token, refreshes it once when the server says it expired, and turns a lost session into a
// return to the sign-in page.

const NO_AUTH = ['/api/v1/auth/login', '/api/v1/auth/refresh'];

let refreshing: Promise<boolean> | null = null;

/** Exchanges the refresh token for new tokens; concurrent callers share one attempt. */
function refreshOnce(): Promise<boolean> {
  if (!refreshing) {
    refreshing = (async () => {
      const s = session.get();
      if (!s) return false;
      try {
        const res = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refreshToken: s.refreshToken }),
        });
        if (!res.ok) return false;
        session.fromLogin(await res.json());
        return true;
      } catch {
        return false;
      }
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function problemCode(res: Response): Promise<string | undefined> {
  try {
    const body = await res.clone().json();
    return typeof body?.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

function withToken(req: Request): Request {
  const token = session.get()?.accessToken;
  if (!token) return req;
  const headers = new Headers(req.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(req, { headers });
}

export async function authFetch(input: Request): Promise<Response> {
  const path = new URL(input.url, window.location.origin).pathname;
  if (NO_AUTH.includes(path)) return fetch(input);
  const spare = input.clone();
  let res = await fetch(withToken(input));
  if (res.status === 401) {
    const code = await problemCode(res);
    if (code === 'token_expired' && (await refreshOnce())) {
      res = await fetch(withToken(spare));
    }
    if (res.status === 401) session.clear();
  } else if (res.status === 403 && (await problemCode(res)) === 'password_change_required') {
    session.markMustChangePassword();
  }
  return res;
}

export const api = createClient<paths>({
  baseUrl: '',
  fetch: authFetch,
  headers: { Accept: 'application/json' },
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Resolves to the answer's data, or throws an ApiError made from its problem+json. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (e) {
    throw networkError(e);
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

import { vi } from 'vitest';

// Answers the SPA's API calls in component tests: a stubbed `fetch` that replies by method and
// path, and records every request (headers and body included) for the test to look at.

// Tables, drawers and selects measure themselves; jsdom has no ResizeObserver.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: unknown;
}

export type Reply = { status?: number; body?: unknown } | 'network';
type Route = Reply | Reply[] | ((call: Call) => Reply);

/**
 * Installs the stub. `routes` maps "METHOD /path" to a reply, a list of replies given in turn
 * (the last one repeats), or a function of the call. Anything else answers 404.
 */
export function stubApi(routes: Record<string, Route>) {
  const calls: Call[] = [];
  const served = new Map<string, number>();
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    const text = input.method === 'GET' ? '' : await input.text();
    const call: Call = {
      method: input.method,
      path: url.pathname,
      query: url.searchParams,
      headers: input.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const route = routes[key];
    let reply: Reply;
    if (route === undefined) reply = { status: 404, body: { type: 'about:blank', title: 'not found', status: 404, code: 'not_found' } };
    else if (typeof route === 'function') reply = route(call);
    else if (Array.isArray(route)) {
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      reply = route[Math.min(n, route.length - 1)];
    } else reply = route;
    if (reply === 'network') throw new TypeError('Failed to fetch');
    const status = reply.status ?? 200;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  });
  return { calls, of: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

export const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 50 });

export const problem = (status: number, code: string, title = code, errors?: { field: string; code: string; message: string }[]) => ({
  status,
  body: { type: 'about:blank', title, status, code, ...(errors ? { errors } : {}) },
});

import type { ReactNode } from 'react';
import { vi } from 'vitest';
import { render } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import '../../i18n';
import { ME_KEY, type Me } from '../../auth/hooks';
import { session } from '../../auth/session';
import { booksKeys, type Account } from './api/client';
import './locales/register';

// Component tests of the books pages: a stubbed `fetch` answering by method and path and
// recording each request (headers and body), and a render with a signed-in user.

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

export type Reply =
  | { status?: number; body?: unknown; headers?: Record<string, string>; raw?: BodyInit }
  | 'network';
type Route = Reply | Reply[] | ((call: Call) => Reply);

/** Installs the stub: "METHOD /path" → a reply, replies in turn (the last repeats), or a function. */
export function stubApi(routes: Record<string, Route>) {
  const calls: Call[] = [];
  const served = new Map<string, number>();
  vi.stubGlobal('fetch', async (input: Request) => {
    const url = new URL(input.url);
    const text = input.method === 'GET' ? '' : await input.text();
    const call: Call = { method: input.method, path: url.pathname, query: url.searchParams, headers: input.headers, body: text ? JSON.parse(text) : undefined };
    calls.push(call);
    const key = `${call.method} ${call.path}`;
    const route = routes[key];
    let reply: Reply;
    if (route === undefined) reply = problem(404, 'not_found');
    else if (typeof route === 'function') reply = route(call);
    else if (Array.isArray(route)) {
      const n = served.get(key) ?? 0;
      served.set(key, n + 1);
      reply = route[Math.min(n, route.length - 1)];
    } else reply = route;
    if (reply === 'network') throw new TypeError('Failed to fetch');
    const status = reply.status ?? 200;
    if (reply.raw !== undefined) return new Response(reply.raw, { status, headers: reply.headers });
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...reply.headers },
    });
  });
  return { calls, of: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

export const page = <T,>(items: T[]) => ({ items, total: items.length, page: 1, pageSize: 20 });

export const problem = (status: number, code: string, detail?: string, errors?: { field: string; code: string; message: string }[]) => ({
  status,
  body: { type: 'about:blank', title: code, status, code, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) },
});

export const me = (id: number, permissions: string[]): Me => ({
  id,
  username: `user${id}`,
  displayName: `用户${id}`,
  departmentId: null,
  roles: [],
  permissions,
  dataScope: 'all',
  mustChangePassword: false,
});

const acct = (code: string, name: string, over: Partial<Account> = {}): Account => ({
  code,
  name,
  parentCode: code.length > 4 ? code.slice(0, 4) : null,
  category: 'asset',
  direction: 'debit',
  isFund: false,
  enabled: true,
  hasChildren: false,
  inUse: false,
  version: 1,
  ...over,
});

export const CHART: Account[] = [
  acct('1001', '库存现金', { isFund: true }),
  acct('1002', '银行存款', { isFund: true, hasChildren: true }),
  acct('100201', '基本存款账户', { isFund: true }),
  acct('100202', '一般存款账户', { isFund: true, enabled: false }),
  acct('1303', '贷款', { hasChildren: true }),
  acct('130301', '本金-正常'),
  acct('6602', '管理费用', { category: 'profit_and_loss' }),
  acct('2241', '其他应付款', { category: 'liability', direction: 'credit' }),
];

/** Signs a session in, so requests carry `Authorization: Bearer <token>`. */
export function signIn(token = 'test-access-token') {
  session.fromLogin({
    accessToken: token,
    refreshToken: 'test-refresh-token',
    expiresIn: 3600,
    mustChangePassword: false,
    user: { username: 'user1' },
  } as Parameters<typeof session.fromLogin>[0]);
}

export function renderWith(
  ui: ReactNode,
  { userId = 1, permissions = [] as string[], businessDate = '2026-03-20', chart = CHART as Account[] | undefined, route = '/' } = {},
) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(ME_KEY, me(userId, permissions));
  client.setQueryData(booksKeys.businessDate, businessDate);
  if (chart) client.setQueryData(booksKeys.accounts, chart);
  return {
    client,
    ...render(
      <QueryClientProvider client={client}>
        <AntdApp>
          <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
        </AntdApp>
      </QueryClientProvider>,
    ),
  };
}

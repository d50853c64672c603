import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { paths } from './schema';

// Credit lines (授信): record types taken from the answers of the paths, as in queries.ts.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type CreditLineDetail = JsonOk<paths['/api/v1/credit-lines/{id}']['get']>;
export type CreditLine = CreditLineDetail['line'];
export type CreditLineStatus = CreditLine['status'];
export type CreditLineInput = JsonBody<paths['/api/v1/credit-lines']['post']>;
export type CreditLineQuery = NonNullable<paths['/api/v1/credit-lines']['get']['parameters']['query']>;
export type CreditLineUse = CreditLineDetail['uses'][number];
export type CreditLineTransition = CreditLineDetail['transitions'][number];

export const CREDIT_LINE_STATUSES: CreditLineStatus[] = ['draft', 'in_review', 'returned', 'active', 'frozen', 'rejected', 'withdrawn'];

export const creditLineKey = (id: number) => ['credit-lines', 'one', id] as const;

export function useCreditLine(id: number, enabled = true) {
  return useQuery({
    queryKey: creditLineKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/credit-lines/{id}', { params: { path: { id } } })),
    enabled: enabled && Number.isFinite(id) && id > 0,
  });
}

/** A customer's active credit lines, for the loan application form (needs `credit:line:read`). */
export function useCustomerActiveLines(customerId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: ['credit-lines', 'active-of', customerId],
    queryFn: () =>
      unwrap(api.GET('/api/v1/credit-lines', { params: { query: { customerId, status: 'active', page: 1, pageSize: 50 } } })),
    enabled: enabled && !!customerId,
  });
}

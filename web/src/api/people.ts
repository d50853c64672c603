import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { paths } from './schema';

// The people picker (GET /people): any signed-in user may find active colleagues by name, and
// only those holding a permission when one is named. Ids, names and departments only.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export type Person = JsonOk<paths['/api/v1/people']['get']>[number];

/** Up to 50 active people, matching `q` (part of the name or user name) and holding `permission`. */
export function usePeople(query: { q?: string; permission?: string; departmentId?: number }, enabled = true) {
  const q = query.q?.trim() || undefined;
  return useQuery({
    queryKey: ['people', query.permission ?? null, query.departmentId ?? null, q ?? ''],
    queryFn: () =>
      unwrap(api.GET('/api/v1/people', { params: { query: { q, permission: query.permission, departmentId: query.departmentId } } })),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

/** "张三（信贷部）": the name with the department, to tell namesakes apart. */
export function personLabel(p: Pick<Person, 'displayName' | 'departmentName'>): string {
  return p.departmentName ? `${p.displayName}（${p.departmentName}）` : p.displayName;
}

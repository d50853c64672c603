import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { paths } from './schema';

// Record types come from the answers of the paths, not from schema names, so that renaming a
// schema on the server side does not break the SPA.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export type Department = JsonOk<paths['/api/v1/departments/{id}']['get']>;
export type DepartmentTree = JsonOk<paths['/api/v1/departments/tree']['get']>[number];
export type User = JsonOk<paths['/api/v1/users/{id}']['get']>;
export type Role = JsonOk<paths['/api/v1/roles/{id}']['get']>;
// Taken from the list's items: the OpenAPI document currently names the flow diagram's {x, y}
// `Position` too, and that schema shadows the org position in `GET /positions/{id}`.
export type Position = JsonOk<paths['/api/v1/positions']['get']>['items'][number];
export type Employee = JsonOk<paths['/api/v1/employees/{id}']['get']>;
export type AuditLog = JsonOk<paths['/api/v1/audit-logs']['get']>['items'][number];
export type Permission = JsonOk<paths['/api/v1/permissions']['get']>[number];
export type Me = JsonOk<paths['/api/v1/me']['get']>;
export type LoginResponse = JsonOk<paths['/api/v1/auth/login']['post']>;
export type ScheduleRequest = NonNullable<paths['/api/v1/calculator/schedule']['post']['requestBody']>['content']['application/json'];
export type ScheduleResponse = JsonOk<paths['/api/v1/calculator/schedule']['post']>;
export type Installment = ScheduleResponse['installments'][number];
export type DataScope = Role['dataScope'];
export type RecordStatus = User['status'];

/** Largest page the server gives; used to fill drop-downs. */
export const ALL_PAGE = 200;

export function useDepartmentTree(enabled = true) {
  return useQuery({
    queryKey: ['departments', 'tree'],
    queryFn: () => unwrap(api.GET('/api/v1/departments/tree')),
    enabled,
  });
}

export function useAllRoles(enabled = true) {
  return useQuery({
    queryKey: ['roles', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/roles', { params: { query: { page: 1, pageSize: ALL_PAGE } } })),
    enabled,
  });
}

export function useAllPositions(enabled = true) {
  return useQuery({
    queryKey: ['positions', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/positions', { params: { query: { page: 1, pageSize: ALL_PAGE } } })),
    enabled,
  });
}

export function useAllUsers(enabled = true) {
  return useQuery({
    queryKey: ['users', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { page: 1, pageSize: ALL_PAGE } } })),
    enabled,
  });
}

export function usePermissionCatalogue(enabled = true) {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: () => unwrap(api.GET('/api/v1/permissions')),
    enabled,
    staleTime: Infinity,
  });
}

/** id → name of every department in a tree. */
export function departmentNames(tree: DepartmentTree[] | undefined): Map<number, string> {
  const names = new Map<number, string>();
  const walk = (nodes: DepartmentTree[]) =>
    nodes.forEach((n) => {
      names.set(n.id, n.name);
      walk(n.children);
    });
  walk(tree ?? []);
  return names;
}

/** The ids of a department and all departments below it. */
export function subtreeIds(node: DepartmentTree): number[] {
  return [node.id, ...node.children.flatMap(subtreeIds)];
}

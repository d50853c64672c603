import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { components, paths } from './schema';

// Post-loan warnings (贷后预警): the list and one warning with its handling history, the
// handling steps (assign → handle → close), and the warning rules.
type S = components['schemas'];

export type Warning = S['Warning'];
export type WarningDetail = S['WarningDetail'];
export type WarningHistoryEntry = S['WarningHistoryEntry'];
export type WarningStatus = S['WarningStatus'];
export type WarningKind = S['WarningKind'];
export type WarningLevel = S['WarningLevel'];
export type WarningAction = S['WarningAction'];
export type WarningRule = S['WarningRule'];
export type WarningRuleInput = S['WarningRuleInput'];
export type WarningsQuery = NonNullable<paths['/api/v1/warnings']['get']['parameters']['query']>;

export const warningKeys = {
  all: ['warnings'] as const,
  list: (q: WarningsQuery) => ['warnings', 'list', q] as const,
  one: (id: number) => ['warnings', 'one', id] as const,
  rules: ['warnings', 'rules'] as const,
};

export function useWarnings(query: WarningsQuery) {
  return useQuery({
    queryKey: warningKeys.list(query),
    queryFn: () => unwrap(api.GET('/api/v1/warnings', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

export function useWarning(id: number | undefined) {
  return useQuery({
    queryKey: warningKeys.one(id ?? 0),
    queryFn: () => unwrap(api.GET('/api/v1/warnings/{id}', { params: { path: { id: id as number } } })),
    enabled: id !== undefined && id > 0,
  });
}

export function useWarningRules() {
  return useQuery({
    queryKey: warningKeys.rules,
    queryFn: () => unwrap(api.GET('/api/v1/warning-rules')),
  });
}

export function assignWarning(id: number, body: { assigneeId: number; note?: string | null; version: number }) {
  return unwrap(api.POST('/api/v1/warnings/{id}/assign', { params: { path: { id } }, body }));
}

export function handleWarning(id: number, body: { note: string; version: number }) {
  return unwrap(api.POST('/api/v1/warnings/{id}/handle', { params: { path: { id } }, body }));
}

export function closeWarning(id: number, body: { note: string; version: number }) {
  return unwrap(api.POST('/api/v1/warnings/{id}/close', { params: { path: { id } }, body }));
}

export function saveWarningRules(rules: WarningRuleInput[]) {
  return unwrap(api.PUT('/api/v1/warning-rules', { body: { rules } }));
}

import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';
import type { paths } from './schema';

// Approval flows (审批流程) and tasks (待办): record types taken from the answers of the paths.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type FlowDefinition = JsonOk<paths['/api/v1/flows/{businessType}']['get']>;
export type FlowInput = JsonBody<paths['/api/v1/flows/{businessType}']['put']>;
export type FlowGraph = FlowDefinition['graph'];
export type FlowStep = FlowGraph['steps'][number];
export type Assignee = FlowStep['assignee'];
export type AssigneeKind = Assignee['kind'];
export type FlowExit = FlowStep['next'][number];
export type Condition = NonNullable<FlowExit['when']>[number];
export type Fact = Condition['fact'];
export type Op = Condition['op'];
export type BusinessType = FlowDefinition['businessType'];
export type FlowVersion = JsonOk<paths['/api/v1/flows/{businessType}/versions']['get']>[number];
export type Task = JsonOk<paths['/api/v1/tasks/{id}']['get']>;
export type TaskQuery = NonNullable<paths['/api/v1/tasks']['get']['parameters']['query']>;
export type ActionInput = JsonBody<paths['/api/v1/tasks/{id}/actions']['post']>;
export type ActionKind = ActionInput['action'];

export const BUSINESS_TYPES: BusinessType[] = [
  'credit_line',
  'loan_application',
  'extension',
  'debt_transfer',
  'write_off',
  'classification_change',
  'contract_change',
  'manual_voucher',
];
export const FACTS: Fact[] = ['amount', 'termMonths', 'productId', 'riskGrade'];
export const OPS: Op[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'];
export const ASSIGNEE_KINDS: AssigneeKind[] = ['role', 'position', 'department_head', 'users', 'committee'];
export const ACTION_KINDS: ActionKind[] = ['approve', 'reject', 'return', 'transfer'];
/** `returnTo` value that sends a record back to whoever submitted it. */
export const TO_APPLICANT = 'applicant';

export const OPEN_TASK_COUNT_KEY = ['tasks', 'count'] as const;

/** How many tasks wait for me: the badge in the header and the menu. */
export function useOpenTaskCount(enabled = true) {
  return useQuery({
    queryKey: OPEN_TASK_COUNT_KEY,
    queryFn: async () =>
      (await unwrap(api.GET('/api/v1/tasks', { params: { query: { state: 'open', page: 1, pageSize: 1 } } }))).total,
    enabled,
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** My open task on a record, if its flow is waiting for me. */
export function useMyOpenTask(businessType: BusinessType, businessId: number, enabled = true) {
  return useQuery({
    queryKey: ['tasks', 'open-for', businessType, businessId],
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/tasks', { params: { query: { state: 'open', businessType, page: 1, pageSize: 200 } } }));
      return page.items.find((task) => task.businessId === businessId) ?? null;
    },
    enabled,
  });
}

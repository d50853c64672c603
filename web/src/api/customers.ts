import { useQuery } from '@tanstack/react-query';
import { api, authFetch, unwrap } from './client';
import { toApiError } from './errors';
import { ALL_PAGE } from './queries';
import type { paths } from './schema';

// Customers (客户管理): record types taken from the answers of the paths, as in queries.ts.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonCreated<Op> = Op extends { responses: { 201: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Customer = JsonOk<paths['/api/v1/customers/{id}']['get']>;
export type CustomerKind = Customer['kind'];
export type BlacklistHit = Customer['blacklistHits'][number];
export type Contact = Customer['contacts'][number];
export type Address = Customer['addresses'][number];
export type IndividualInput = JsonBody<paths['/api/v1/customers/individuals']['post']>;
export type EnterpriseInput = JsonBody<paths['/api/v1/customers/enterprises']['post']>;
export type CustomerQuery = NonNullable<paths['/api/v1/customers']['get']['parameters']['query']>;
export type BankAccount = JsonOk<paths['/api/v1/customers/{id}/bank-accounts']['get']>[number];
export type BankAccountInput = JsonBody<paths['/api/v1/customers/{id}/bank-accounts']['post']>;
export type CustomerDocument = JsonOk<paths['/api/v1/customers/{id}/documents']['get']>[number];
export type DocumentKind = CustomerDocument['kind'];
export type BlacklistEntry = JsonOk<paths['/api/v1/blacklist/{id}']['get']>;
export type BlacklistInput = JsonBody<paths['/api/v1/blacklist']['post']>;
export type SubjectKind = BlacklistEntry['subjectKind'];
export type CheckInput = JsonBody<paths['/api/v1/blacklist/check']['post']>;
export type CheckResult = JsonOk<paths['/api/v1/blacklist/check']['post']>;
export type Grade = JsonOk<paths['/api/v1/customer-grades']['get']>['items'][number];
export type GradeScope = Grade['scope'];
export type Prospect = JsonOk<paths['/api/v1/prospects']['get']>['items'][number];
export type ProspectInput = JsonBody<paths['/api/v1/prospects']['post']>;
export type ProspectStatus = Prospect['status'];
export type ConvertedCustomer = JsonCreated<paths['/api/v1/prospects/{id}/convert']['post']>;

export const RELATIONS = ['spouse', 'parent', 'child', 'sibling', 'relative', 'friend', 'colleague', 'other'] as const;
export const MARITAL = ['single', 'married', 'divorced', 'widowed'] as const;
export const EDUCATIONS = ['primary', 'junior_high', 'senior_high', 'vocational', 'associate', 'bachelor', 'master', 'doctorate'] as const;
export const INDIVIDUAL_ADDRESS_KINDS = ['household', 'residence', 'work', 'mailing'] as const;
export const ENTERPRISE_ADDRESS_KINDS = ['registered', 'business', 'mailing'] as const;
export const DOCUMENT_KINDS: DocumentKind[] = ['id_front', 'id_back', 'driving_licence', 'income_proof', 'business_licence', 'other'];
export const SUBJECT_KINDS: SubjectKind[] = ['id_number', 'mobile', 'credit_code'];
export const BLACKLIST_SOURCES = ['internal', 'court', 'partner', 'regulator'] as const;
/** Largest upload the server takes (10 MiB). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** The active grades of one scope, for drop-downs. */
export function useGrades(scope: GradeScope, enabled = true) {
  return useQuery({
    queryKey: ['customer-grades', 'all', scope],
    queryFn: () =>
      unwrap(api.GET('/api/v1/customer-grades', { params: { query: { scope, page: 1, pageSize: ALL_PAGE } } })),
    enabled,
    staleTime: 60_000,
  });
}

/** One customer, masked or (audited) revealed. */
export function useCustomer(id: number, reveal = false) {
  return useQuery({
    queryKey: ['customers', 'one', id, reveal],
    queryFn: () => unwrap(api.GET('/api/v1/customers/{id}', { params: { path: { id }, query: { reveal } } })),
    enabled: Number.isFinite(id) && id > 0,
  });
}

/** Uploads a document as the raw body, as the server expects. */
export async function uploadDocument(customerId: number, kind: DocumentKind, file: File): Promise<CustomerDocument> {
  const qs = new URLSearchParams({ kind, fileName: file.name });
  const req = new Request(`/api/v1/customers/${customerId}/documents?${qs}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
  const res = await authFetch(req);
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, body);
  return body as CustomerDocument;
}

/** Fetches a document's bytes with the session's token, as an object URL to show or save. */
export async function documentUrl(customerId: number, documentId: number): Promise<string> {
  const res = await authFetch(new Request(`/api/v1/customers/${customerId}/documents/${documentId}/content`));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

export type RuleSetVersion = JsonOk<paths['/api/v1/risk/rule-set']['get']>;
export type RuleSet = RuleSetVersion['ruleSet'];
export type Rule = RuleSet['rules'][number];
export type TrialResult = JsonOk<paths['/api/v1/risk/rule-set/trial']['post']>;
export type Outcome = TrialResult['outcome'];
export type Reason = Outcome['reasons'][number];
export type ScoreLine = Outcome['scoreLines'][number];
export type ProviderCall = TrialResult['providerCalls'][number];
export type Screening = JsonCreated<paths['/api/v1/risk/screenings']['post']>;
export type ScreeningInput = JsonBody<paths['/api/v1/risk/screenings']['post']>;
/** A screening's decision. Spelled out: the OpenAPI document currently gives the workflow's
 *  `Decision` (pending/approved/…) the same schema name, which shadows this one. */
export type Decision = 'pass' | 'manual_review' | 'reject';

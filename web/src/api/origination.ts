import { useQuery } from '@tanstack/react-query';
import { api, authFetch, unwrap } from './client';
import { toApiError } from './errors';
import type { paths } from './schema';

// Loan applications (贷款申请) and the pre-loan investigation (贷前调查): record types taken
// from the answers of the paths, as in queries.ts.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type ApplicationDetail = JsonOk<paths['/api/v1/loan-applications/{id}']['get']>;
export type LoanApplication = ApplicationDetail['application'];
export type ApplicationStatus = LoanApplication['status'];
export type ApplicationInput = JsonBody<paths['/api/v1/loan-applications']['post']>;
export type ApplicationQuery = NonNullable<paths['/api/v1/loan-applications']['get']['parameters']['query']>;
export type Investigation = NonNullable<ApplicationDetail['investigation']>;
export type InvestigationInput = JsonBody<paths['/api/v1/loan-applications/{id}/investigation']['put']>;
export type InvestigationFile = ApplicationDetail['files'][number];
export type CollateralCheck = ApplicationDetail['collateral'];
export type VehicleValue = CollateralCheck['vehicles'][number];
export type FlowInstance = NonNullable<ApplicationDetail['flow']>;
export type FlowEvent = FlowInstance['events'][number];
export type StatusChange = ApplicationDetail['transitions'][number];
export type Conclusion = Investigation['conclusion'];
export type RepaymentMethod = LoanApplication['method'];

export const APPLICATION_STATUSES: ApplicationStatus[] = [
  'draft',
  'submitted',
  'investigating',
  'in_review',
  'returned',
  'approved',
  'rejected',
  'withdrawn',
];
export const CONCLUSIONS: Conclusion[] = ['recommend', 'conditional', 'decline'];
/** Largest investigation file the server takes (10 MiB). */
export const MAX_INVESTIGATION_FILE_BYTES = 10 * 1024 * 1024;
/** At most this many vehicles per application. */
export const MAX_VEHICLES = 5;

export const applicationKey = (id: number) => ['loan-applications', 'one', id] as const;

/** One application with everything its detail page shows. */
export function useApplication(id: number, enabled = true) {
  return useQuery({
    queryKey: applicationKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/loan-applications/{id}', { params: { path: { id } } })),
    enabled: enabled && Number.isFinite(id) && id > 0,
  });
}

/** Uploads a visit photo or PDF as the raw body, as the server expects. */
export async function uploadInvestigationFile(applicationId: number, file: File): Promise<InvestigationFile> {
  const qs = new URLSearchParams({ fileName: file.name });
  const req = new Request(`/api/v1/loan-applications/${applicationId}/investigation/files?${qs}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
  const res = await authFetch(req);
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, body);
  return body as InvestigationFile;
}

/** A blob URL of an investigation file's bytes (the caller revokes it). */
export async function investigationFileUrl(applicationId: number, fileId: number): Promise<string> {
  const res = await authFetch(new Request(`/api/v1/loan-applications/${applicationId}/investigation/files/${fileId}/content`));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

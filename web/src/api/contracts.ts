import { useQuery } from '@tanstack/react-query';
import { api, authFetch, unwrap } from './client';
import { toApiError } from './errors';
import type { paths } from './schema';

// Loan contracts (借款合同): generated for an approved application, previewed as a PDF, signed
// with a scan, or voided. Record types taken from the answers of the paths.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Contract = JsonOk<paths['/api/v1/contracts/{id}']['get']>;
export type ContractStatus = Contract['status'];
export type ContractTerms = Contract['terms'];
export type ContractSchedule = ContractTerms['schedule'];
export type SignInput = JsonBody<paths['/api/v1/contracts/{id}/sign']['post']>;

export const CONTRACT_STATUSES: ContractStatus[] = ['draft', 'signed', 'voided'];
/** Largest scan the server takes (10 MiB). */
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

export const contractKey = (id: number) => ['contracts', 'one', id] as const;
export const applicationContractsKey = (applicationId: number) => ['contracts', 'of', applicationId] as const;

export function useContract(id: number) {
  return useQuery({
    queryKey: contractKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/contracts/{id}', { params: { path: { id } } })),
    enabled: Number.isFinite(id) && id > 0,
  });
}

/** The contracts of an application, newest first, voided ones included. */
export function useApplicationContracts(applicationId: number, enabled = true) {
  return useQuery({
    queryKey: applicationContractsKey(applicationId),
    queryFn: () => unwrap(api.GET('/api/v1/loan-applications/{id}/contracts', { params: { path: { id: applicationId } } })),
    enabled: enabled && Number.isFinite(applicationId) && applicationId > 0,
  });
}

async function fetchBlob(url: string): Promise<Blob> {
  const res = await authFetch(new Request(url, { headers: { Accept: 'application/pdf, application/octet-stream, application/json' } }));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  return res.blob();
}

/** The contract's PDF, fetched with the bearer token (an <iframe> cannot send it). */
export function fetchContractPdf(id: number): Promise<Blob> {
  return fetchBlob(`/api/v1/contracts/${id}/pdf`);
}

/** The signed scan's bytes, with the content type the server stored. */
export function fetchContractScan(id: number): Promise<Blob> {
  return fetchBlob(`/api/v1/contracts/${id}/scan`);
}

/** Uploads the signed scan (a photo or a PDF) as the raw body, as the server expects. */
export async function uploadContractScan(id: number, file: File): Promise<Contract> {
  const req = new Request(`/api/v1/contracts/${id}/scan`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
  const res = await authFetch(req);
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, body);
  return body as Contract;
}

/** Saves a blob under a file name through a temporary link (the browser's download). */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

import { useQuery } from '@tanstack/react-query';
import { api, authFetch, unwrap } from './client';
import { toApiError } from './errors';
import type { paths } from './schema';

// Securing a signed contract with its cars (车辆管理): mortgage or pledge per car, GPS devices,
// release, and the disbursement readiness they add up to.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonCreated<Op> = Op extends { responses: { 201: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type ContractCollateral = JsonOk<paths['/api/v1/contracts/{id}/collateral']['get']>;
export type Registration = JsonCreated<paths['/api/v1/contracts/{id}/mortgages']['post']>;
export type GpsDevice = JsonCreated<paths['/api/v1/contracts/{id}/gps-devices']['post']>;
export type ReadinessCheck = ContractCollateral['readiness']['checks'][number];
export type MortgageInput = JsonBody<paths['/api/v1/contracts/{id}/mortgages']['post']>;
export type PledgeInput = JsonBody<paths['/api/v1/contracts/{id}/pledges']['post']>;
export type GpsInput = JsonBody<paths['/api/v1/contracts/{id}/gps-devices']['post']>;
export type ReleaseInput = JsonBody<paths['/api/v1/collateral-registrations/{id}/release']['post']>;
export type ReleaseRequestInput = JsonBody<paths['/api/v1/collateral-registrations/{id}/release-requests']['post']>;
export type ReleaseDecisionInput = JsonBody<paths['/api/v1/collateral-release-requests/{id}/decision']['post']>;
export type ReleaseRequest = JsonCreated<paths['/api/v1/collateral-registrations/{id}/release-requests']['post']>;
export type ReleaseRequestQuery = NonNullable<paths['/api/v1/collateral-release-requests']['get']['parameters']['query']>;
export type ContractLoan = NonNullable<ContractCollateral['loan']>;

export const collateralKey = (contractId: number) => ['contracts', 'collateral', contractId] as const;

export function useContractCollateral(contractId: number, enabled = true) {
  return useQuery({
    queryKey: collateralKey(contractId),
    queryFn: () => unwrap(api.GET('/api/v1/contracts/{id}/collateral', { params: { path: { id: contractId } } })),
    enabled: enabled && Number.isFinite(contractId) && contractId > 0,
  });
}

export function registerMortgage(contractId: number, body: MortgageInput) {
  return unwrap(api.POST('/api/v1/contracts/{id}/mortgages', { params: { path: { id: contractId } }, body }));
}

export function intakePledge(contractId: number, body: PledgeInput) {
  return unwrap(api.POST('/api/v1/contracts/{id}/pledges', { params: { path: { id: contractId } }, body }));
}

export function installGps(contractId: number, body: GpsInput) {
  return unwrap(api.POST('/api/v1/contracts/{id}/gps-devices', { params: { path: { id: contractId } }, body }));
}

export function removeGps(deviceId: number, body: { removedOn: string; reason: string; version: number }) {
  return unwrap(api.POST('/api/v1/gps-devices/{id}/remove', { params: { path: { id: deviceId } }, body }));
}

export function releaseRegistration(registrationId: number, body: ReleaseInput) {
  return unwrap(api.POST('/api/v1/collateral-registrations/{id}/release', { params: { path: { id: registrationId } }, body }));
}

/** 申请提前解押: the car waits for a second person's approval. */
export function requestRelease(registrationId: number, body: ReleaseRequestInput) {
  return unwrap(api.POST('/api/v1/collateral-registrations/{id}/release-requests', { params: { path: { id: registrationId } }, body }));
}

/** Approve (the car is released, basis exception) or reject (it stays held) an early release. */
export function decideRelease(requestId: number, body: ReleaseDecisionInput) {
  return unwrap(api.POST('/api/v1/collateral-release-requests/{id}/decision', { params: { path: { id: requestId } }, body }));
}

export function fetchReleaseRequests(query: ReleaseRequestQuery) {
  return unwrap(api.GET('/api/v1/collateral-release-requests', { params: { query } }));
}

/** Uploads a scan or photo as the raw body: the certificate of a registration, or a device as fitted. */
export async function uploadAttachment(path: string, file: File): Promise<unknown> {
  const res = await authFetch(
    new Request(path, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' }, body: file }),
  );
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, body);
  return body;
}

export type HoldingRow = JsonOk<paths['/api/v1/collateral-registrations']['get']>['items'][number];
export type GpsRow = JsonOk<paths['/api/v1/gps-devices']['get']>['items'][number];
export type HoldingQuery = NonNullable<paths['/api/v1/collateral-registrations']['get']['parameters']['query']>;
export type GpsQuery = NonNullable<paths['/api/v1/gps-devices']['get']['parameters']['query']>;

export function fetchHoldings(query: HoldingQuery) {
  return unwrap(api.GET('/api/v1/collateral-registrations', { params: { query } }));
}

export function fetchGpsDevices(query: GpsQuery) {
  return unwrap(api.GET('/api/v1/gps-devices', { params: { query } }));
}

/** A stored scan or photo, fetched with the bearer token. */
export async function fetchAttachment(path: string): Promise<Blob> {
  const res = await authFetch(new Request(path, { headers: { Accept: 'image/*, application/pdf, application/octet-stream, application/json' } }));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  return res.blob();
}

export const registrationDocumentPath = (id: number) => `/api/v1/collateral-registrations/${id}/document`;
export const gpsPhotoPath = (id: number) => `/api/v1/gps-devices/${id}/photo`;

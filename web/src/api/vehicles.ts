import { authFetch } from './client';
import { toApiError } from './errors';
import type { paths } from './schema';

// Vehicles and appraisals (评估管理): record types taken from the answers of the paths.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Vehicle = JsonOk<paths['/api/v1/vehicles/{id}']['get']>;
export type VehicleRegistration = JsonBody<paths['/api/v1/vehicles']['post']>;
export type VehicleQuery = NonNullable<paths['/api/v1/vehicles']['get']['parameters']['query']>;
export type VehiclePhoto = JsonOk<paths['/api/v1/vehicles/{id}/photos']['get']>[number];
export type Appraisal = JsonOk<paths['/api/v1/vehicles/{id}/appraisals']['get']>[number];
export type AppraisalInput = JsonBody<paths['/api/v1/vehicles/{id}/appraisals']['post']>;
export type AppraisalQuery = NonNullable<paths['/api/v1/appraisals']['get']['parameters']['query']>;
export type Transmission = NonNullable<Vehicle['transmission']>;
export type VehicleUsage = Vehicle['usage'];
export type AppraisalMethod = Appraisal['method'];
export type ConditionGrade = Appraisal['conditionGrade'];

export const TRANSMISSIONS: Transmission[] = ['manual', 'automatic', 'cvt', 'dct', 'single_speed'];
export const USAGES: VehicleUsage[] = ['private', 'commercial', 'ride_hailing', 'rental', 'other'];
export const METHODS: AppraisalMethod[] = ['market_comparison', 'replacement_cost', 'income_approach', 'liquidation'];
export const GRADES: ConditionGrade[] = ['excellent', 'good', 'fair', 'poor'];
/** Largest photo the server takes (10 MiB). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** Uploads a photo as the raw body, as the server expects. */
export async function uploadVehiclePhoto(vehicleId: number, file: File): Promise<VehiclePhoto> {
  const qs = new URLSearchParams({ fileName: file.name });
  const req = new Request(`/api/v1/vehicles/${vehicleId}/photos?${qs}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
    body: file,
  });
  const res = await authFetch(req);
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw toApiError(res.status, body);
  return body as VehiclePhoto;
}

/** A blob URL of a photo's bytes (the caller revokes it). */
export async function vehiclePhotoUrl(vehicleId: number, photoId: number): Promise<string> {
  const res = await authFetch(new Request(`/api/v1/vehicles/${vehicleId}/photos/${photoId}/content`));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

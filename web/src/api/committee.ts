import { useQuery } from '@tanstack/react-query';
import { api, authFetch, unwrap } from './client';
import { toApiError } from './errors';
import type { paths } from './schema';

// The review committee (贷审会): committees, their meetings, agenda items, votes and tallies.
// Record types taken from the answers of the paths, as in queries.ts.
type JsonOk<Op> = Op extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type JsonBody<Op> = Op extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export type Committee = JsonOk<paths['/api/v1/committees/{id}']['get']>;
export type CommitteeInput = JsonBody<paths['/api/v1/committees']['post']>;
export type CommitteeMember = Committee['members'][number] & {
  /** The member's name: sent by the server in answers, though the OpenAPI document omits it. */
  name?: string;
};
export type MemberRole = CommitteeMember['role'];
export type Fraction = Committee['quorum'];
export type Meeting = JsonOk<paths['/api/v1/meetings/{id}']['get']>;
export type MeetingInput = JsonBody<paths['/api/v1/meetings']['post']>;
export type AgendaItem = Meeting['items'][number];
export type Tally = AgendaItem['tally'];
export type CastVote = AgendaItem['votes'][number];
export type Recusal = AgendaItem['recusals'][number];
export type CommitteeOutcome = NonNullable<AgendaItem['outcome']>;
export type VoteInput = JsonBody<paths['/api/v1/meetings/{id}/items/{itemId}/votes']['post']>;
export type Vote = VoteInput['vote'];
export type PendingTask = JsonOk<paths['/api/v1/committees/{id}/pending-tasks']['get']>[number];

export const MEMBER_ROLES: MemberRole[] = ['chair', 'member', 'presenter'];
export const VOTES: Vote[] = ['agree', 'disagree', 'reinvestigate'];
export const TWO_THIRDS: Fraction = { numerator: 2, denominator: 3 };

export const COMMITTEES_KEY = ['committees'] as const;
export const MEETINGS_KEY = ['meetings'] as const;
export const meetingKey = (id: number) => ['meetings', 'one', id] as const;

/** Every committee with its members (needs `flow:read`). */
export function useCommittees(enabled = true) {
  return useQuery({
    queryKey: [...COMMITTEES_KEY, 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/committees')),
    enabled,
    staleTime: 60_000,
  });
}

/** Tasks waiting for a committee and on no open agenda (needs `committee:manage`). */
export function usePendingTasks(committeeId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: [...COMMITTEES_KEY, 'pending', committeeId],
    queryFn: () => unwrap(api.GET('/api/v1/committees/{id}/pending-tasks', { params: { path: { id: committeeId! } } })),
    enabled: enabled && !!committeeId,
  });
}

/** The meetings of the committees I sit on (all of them for a committee manager), newest first. */
export function useMeetings(enabled = true) {
  return useQuery({
    queryKey: [...MEETINGS_KEY, 'mine'],
    queryFn: () => unwrap(api.GET('/api/v1/meetings')),
    enabled,
  });
}

export function useMeeting(id: number, refetchInterval: number | false = false) {
  return useQuery({
    queryKey: meetingKey(id),
    queryFn: () => unwrap(api.GET('/api/v1/meetings/{id}', { params: { path: { id } } })),
    enabled: Number.isFinite(id) && id > 0,
    refetchInterval,
  });
}

/** The meeting's minutes (会议纪要) as a PDF, fetched with the bearer token. */
export async function fetchMinutesPdf(meetingId: number): Promise<Blob> {
  const res = await authFetch(new Request(`/api/v1/meetings/${meetingId}/minutes.pdf`, { headers: { Accept: 'application/pdf, application/json' } }));
  if (!res.ok) throw toApiError(res.status, await res.json().catch(() => undefined));
  return res.blob();
}

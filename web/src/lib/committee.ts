import type { AgendaItem, CastVote, Committee, CommitteeOutcome, Fraction, Meeting, MemberRole, Tally } from '../api/committee';
import type { FlowGraph } from '../api/workflow';

// The review committee's rules as the SPA needs them, kept apart from React so they are
// unit-tested: the member list a committee may have (the server's own checks, so a person sees
// the problem before saving), what an agenda item's tally says, and what a member may do on it.

// ---- the committee ----------------------------------------------------------------------------

export interface MemberDraft {
  userId?: number | null;
  role?: MemberRole;
  veto?: boolean;
}

/** One broken rule, named as the server names it (`members`, `members[2].veto`, …). */
export interface MemberIssue {
  field: string;
  code: 'one_chair' | 'odd_voters' | 'required' | 'duplicate' | 'presenter_veto';
  /** For `odd_voters`: how many voting members there are now. */
  count?: number;
}

/** Chairs and members vote; a presenter (汇报人) attends without a vote. */
export const isVoting = (role: MemberRole | undefined) => role === 'chair' || role === 'member';

/**
 * The server's rules for a committee's members (RULES.md §12): exactly one chair, an odd number
 * (at least three) of voting members, each person once, a veto only for someone who votes.
 */
export function checkMembers(members: MemberDraft[]): MemberIssue[] {
  const issues: MemberIssue[] = [];
  const chairs = members.filter((m) => m.role === 'chair').length;
  if (chairs !== 1) issues.push({ field: 'members', code: 'one_chair' });
  const voters = members.filter((m) => isVoting(m.role)).length;
  if (voters < 3 || voters % 2 === 0) issues.push({ field: 'members', code: 'odd_voters', count: voters });
  members.forEach((m, i) => {
    if (m.userId == null) issues.push({ field: `members[${i}].userId`, code: 'required' });
    else if (members.slice(0, i).some((o) => o.userId === m.userId)) issues.push({ field: `members[${i}].userId`, code: 'duplicate' });
    if (!m.role) issues.push({ field: `members[${i}].role`, code: 'required' });
    if (m.veto && m.role === 'presenter') issues.push({ field: `members[${i}].veto`, code: 'presenter_veto' });
  });
  return issues;
}

/** A fraction the server takes: above 0 and at most 1. */
export function validFraction(f: Partial<Fraction> | null | undefined): boolean {
  const n = f?.numerator;
  const d = f?.denominator;
  return Number.isInteger(n) && Number.isInteger(d) && n! > 0 && d! > 0 && n! <= d!;
}

export const fractionText = (f: Fraction) => `${f.numerator}/${f.denominator}`;

/** The least `part` of `whole` that reaches the fraction (part × d ≥ whole × n), as the server counts. */
export function leastReaching(f: Fraction, whole: number): number {
  if (f.denominator <= 0) return whole;
  return Math.ceil((whole * f.numerator) / f.denominator);
}

/** A member's name as the server sends it (the OpenAPI document leaves it out), else the id. */
export const memberName = (m: { userId: number; name?: string | null }) => m.name || `#${m.userId}`;

/** The members who vote. */
export const votingMembers = (c: Pick<Committee, 'members'>) => c.members.filter((m) => isVoting(m.role));

// ---- an agenda item's tally ---------------------------------------------------------------------

export type CloseBlock = 'decided' | 'quorum_not_met' | 'votes_missing';

export interface TallyView {
  /** Voting members present, and how many the quorum needs. */
  present: number;
  quorumNeeded: number;
  quorumMet: boolean;
  eligible: number;
  cast: number;
  waiting: number;
  agree: number;
  disagree: number;
  reinvestigate: number;
  /** Agreeing votes the pass fraction needs among those eligible. */
  agreeNeeded: number;
  vetoed: boolean;
  /** Known once the quorum is met and every eligible member has voted (or decided). */
  outcome: CommitteeOutcome | null;
  /** Why the item cannot be closed now; null when it can. */
  closeBlock: CloseBlock | null;
  /** 0–100: the share of eligible ballots in. */
  percent: number;
}

/** What an agenda item's tally says, for the counters, the progress bar and the close button. */
export function tallyView(item: Pick<AgendaItem, 'status' | 'outcome' | 'tally'>, committee: Pick<Committee, 'quorum' | 'pass'>): TallyView {
  const t: Tally = item.tally;
  const cast = t.agree + t.disagree + t.reinvestigate;
  const decided = item.status === 'decided';
  const outcome = (decided ? item.outcome : t.outcome) ?? null;
  const closeBlock: CloseBlock | null = decided ? 'decided' : !t.quorumMet ? 'quorum_not_met' : outcome === null ? 'votes_missing' : null;
  return {
    present: t.present,
    quorumNeeded: leastReaching(committee.quorum, t.votingMembers),
    quorumMet: t.quorumMet,
    eligible: t.eligible,
    cast,
    waiting: t.waitingFor.length,
    agree: t.agree,
    disagree: t.disagree,
    reinvestigate: t.reinvestigate,
    agreeNeeded: leastReaching(committee.pass, t.eligible),
    vetoed: t.vetoed,
    outcome,
    closeBlock,
    percent: t.eligible === 0 ? 0 : Math.round((cast / t.eligible) * 100),
  };
}

export const OUTCOME_COLORS: Record<CommitteeOutcome, string> = { passed: 'success', rejected: 'error', reinvestigate: 'warning' };
export const VOTE_COLORS: Record<string, string> = { agree: 'success', disagree: 'error', reinvestigate: 'warning' };

// ---- what I may do on an item ----------------------------------------------------------------

export type VoteBlock = 'not_a_member' | 'no_vote' | 'not_present' | 'recused' | 'already_voted' | 'item_decided';

export interface MyPart {
  /** My role on the committee, if I sit on it. */
  role: MemberRole | null;
  canVote: boolean;
  /** Why I cannot vote (the server's code for the same refusal). */
  block: VoteBlock | null;
  /** I hold a veto (一票否决) and may cast it with a disagreement. */
  mayVeto: boolean;
  canRecuse: boolean;
  myVote: CastVote | null;
}

/** Mirrors the server's checks on a vote and a recusal, so a person sees why before trying. */
export function myPart(meeting: Pick<Meeting, 'committee' | 'presentIds'>, item: Pick<AgendaItem, 'status' | 'votes' | 'recusals'>, userId: number): MyPart {
  const member = meeting.committee.members.find((m) => m.userId === userId) ?? null;
  const myVote = item.votes.find((v) => v.userId === userId) ?? null;
  const recused = item.recusals.some((r) => r.userId === userId);
  const open = item.status !== 'decided';
  let block: VoteBlock | null = null;
  if (!open) block = 'item_decided';
  else if (!member) block = 'not_a_member';
  else if (!isVoting(member.role)) block = 'no_vote';
  else if (myVote) block = 'already_voted';
  else if (recused) block = 'recused';
  else if (!meeting.presentIds.includes(userId)) block = 'not_present';
  return {
    role: member?.role ?? null,
    canVote: block === null,
    block,
    mayVeto: !!member?.veto && isVoting(member.role),
    canRecuse: open && !!member && !recused,
    myVote,
  };
}

/** The items still waiting for my vote in these meetings. */
export function awaitingMyVote(meetings: Pick<Meeting, 'committee' | 'presentIds' | 'items'>[], userId: number): number {
  return meetings.reduce((n, m) => n + m.items.filter((i) => i.tally.waitingFor.includes(userId) && i.status !== 'decided').length, 0);
}

// ---- committees in flows ----------------------------------------------------------------------

/** The committee deciding a step of a flow, or null when people act on it from their inbox. */
export function committeeOfStep(graph: Pick<FlowGraph, 'steps'> | null | undefined, stepKey: string | null | undefined): number | null {
  const step = graph?.steps.find((s) => s.key === stepKey);
  return step && step.assignee.kind === 'committee' ? step.assignee.committeeId : null;
}

/** The meeting (and its agenda item) that holds a task, if any. */
export function meetingOfTask<M extends Pick<Meeting, 'items'>>(meetings: M[], taskId: number): { meeting: M; item: M['items'][number] } | null {
  for (const meeting of meetings) {
    const item = meeting.items.find((i) => i.task.id === taskId);
    if (item) return { meeting, item };
  }
  return null;
}

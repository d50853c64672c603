import { describe, expect, it } from 'vitest';
import type { AgendaItem, Committee, Meeting, Tally } from '../api/committee';
import {
  awaitingMyVote,
  checkMembers,
  committeeOfStep,
  fractionText,
  leastReaching,
  memberName,
  meetingOfTask,
  myPart,
  tallyView,
  validFraction,
  type MemberDraft,
} from './committee';

const TWO_THIRDS = { numerator: 2, denominator: 3 };
const codes = (members: MemberDraft[]) => checkMembers(members).map((i) => `${i.field}:${i.code}`);

describe('the committee’s members, as the server checks them', () => {
  it('takes one chair and an odd number (≥ 3) of voters, presenters aside', () => {
    expect(
      codes([
        { userId: 1, role: 'chair', veto: false },
        { userId: 2, role: 'member', veto: true },
        { userId: 3, role: 'member' },
        { userId: 4, role: 'presenter' },
      ]),
    ).toEqual([]);
  });

  it('wants exactly one chair', () => {
    expect(codes([{ userId: 1, role: 'member' }, { userId: 2, role: 'member' }, { userId: 3, role: 'member' }])).toEqual(['members:one_chair']);
    expect(codes([{ userId: 1, role: 'chair' }, { userId: 2, role: 'chair' }, { userId: 3, role: 'member' }])).toEqual(['members:one_chair']);
  });

  it('wants an odd number of voters, at least three, and says how many there are', () => {
    const two = checkMembers([{ userId: 1, role: 'chair' }, { userId: 2, role: 'member' }, { userId: 3, role: 'presenter' }]);
    expect(two).toEqual([{ field: 'members', code: 'odd_voters', count: 2 }]);
    const four = checkMembers([1, 2, 3, 4].map((id) => ({ userId: id, role: id === 1 ? 'chair' : 'member' }) as MemberDraft));
    expect(four).toEqual([{ field: 'members', code: 'odd_voters', count: 4 }]);
    expect(codes([])).toEqual(['members:one_chair', 'members:odd_voters']);
  });

  it('refuses a veto for a presenter, a person twice and a row without a person', () => {
    expect(
      codes([
        { userId: 1, role: 'chair' },
        { userId: 2, role: 'member' },
        { userId: 2, role: 'member' },
        { userId: 4, role: 'presenter', veto: true },
        { userId: null, role: 'presenter' },
      ]),
    ).toEqual(['members[2].userId:duplicate', 'members[3].veto:presenter_veto', 'members[4].userId:required']);
  });

  it('takes fractions above 0 and at most 1', () => {
    expect(validFraction(TWO_THIRDS)).toBe(true);
    expect(validFraction({ numerator: 1, denominator: 1 })).toBe(true);
    expect(validFraction({ numerator: 0, denominator: 3 })).toBe(false);
    expect(validFraction({ numerator: 4, denominator: 3 })).toBe(false);
    expect(validFraction({ numerator: 2, denominator: 0 })).toBe(false);
    expect(validFraction({ numerator: 1.5, denominator: 3 })).toBe(false);
    expect(validFraction(null)).toBe(false);
    expect(fractionText(TWO_THIRDS)).toBe('2/3');
  });

  it('names a member by the name the server sends, else by the id', () => {
    expect(memberName({ userId: 3, name: '张三' })).toBe('张三');
    expect(memberName({ userId: 3 })).toBe('#3');
  });

  it('counts the least part reaching a fraction as the server does (part × d ≥ whole × n)', () => {
    expect(leastReaching(TWO_THIRDS, 3)).toBe(2);
    expect(leastReaching(TWO_THIRDS, 4)).toBe(3);
    expect(leastReaching(TWO_THIRDS, 5)).toBe(4);
    expect(leastReaching({ numerator: 1, denominator: 2 }, 5)).toBe(3);
    expect(leastReaching(TWO_THIRDS, 0)).toBe(0);
  });
});

const tally = (t: Partial<Tally>): Tally => ({
  votingMembers: 3,
  present: 3,
  recused: 0,
  eligible: 3,
  agree: 0,
  disagree: 0,
  reinvestigate: 0,
  quorumMet: true,
  vetoed: false,
  waitingFor: [],
  outcome: null,
  ...t,
});
const committee = { quorum: TWO_THIRDS, pass: TWO_THIRDS } as Committee;

describe('an agenda item’s tally', () => {
  it('shows the quorum, the votes in and what passing needs, and blocks the close until all are in', () => {
    const v = tallyView({ status: 'voting', outcome: null, tally: tally({ agree: 1, disagree: 1, waitingFor: [7] }) }, committee);
    expect(v).toMatchObject({ present: 3, quorumNeeded: 2, quorumMet: true, cast: 2, waiting: 1, agreeNeeded: 2, outcome: null, closeBlock: 'votes_missing', percent: 67 });
  });

  it('blocks the close without a quorum', () => {
    const v = tallyView({ status: 'voting', outcome: null, tally: tally({ present: 1, eligible: 1, quorumMet: false, waitingFor: [1] }) }, committee);
    expect(v.closeBlock).toBe('quorum_not_met');
    expect(v.percent).toBe(0);
  });

  it('may be closed once the live outcome is known', () => {
    const v = tallyView({ status: 'voting', outcome: null, tally: tally({ agree: 2, disagree: 1, outcome: 'passed' }) }, committee);
    expect(v).toMatchObject({ outcome: 'passed', closeBlock: null, percent: 100 });
  });

  it('keeps the decided outcome, a veto included', () => {
    const v = tallyView({ status: 'decided', outcome: 'rejected', tally: tally({ agree: 2, disagree: 1, vetoed: true, outcome: 'rejected' }) }, committee);
    expect(v).toMatchObject({ outcome: 'rejected', vetoed: true, closeBlock: 'decided' });
  });

  it('counts nobody eligible as no progress rather than a division by zero', () => {
    expect(tallyView({ status: 'voting', outcome: null, tally: tally({ present: 0, eligible: 0, quorumMet: false }) }, committee).percent).toBe(0);
  });
});

describe('what I may do on an item', () => {
  const meeting = {
    committee: {
      members: [
        { userId: 1, role: 'chair', veto: false },
        { userId: 2, role: 'member', veto: true },
        { userId: 3, role: 'member' },
        { userId: 4, role: 'presenter' },
      ],
    } as Committee,
    presentIds: [1, 2, 4],
  };
  const item = (over: Partial<AgendaItem> = {}) =>
    ({ status: 'voting', votes: [], recusals: [], ...over }) as Pick<AgendaItem, 'status' | 'votes' | 'recusals'>;

  it('lets a present voter vote, and a veto holder veto', () => {
    expect(myPart(meeting, item(), 1)).toMatchObject({ role: 'chair', canVote: true, block: null, mayVeto: false, canRecuse: true });
    expect(myPart(meeting, item(), 2)).toMatchObject({ canVote: true, mayVeto: true });
  });

  it('says why a vote would be refused', () => {
    expect(myPart(meeting, item(), 3).block).toBe('not_present');
    expect(myPart(meeting, item(), 4)).toMatchObject({ block: 'no_vote', mayVeto: false, canRecuse: true });
    expect(myPart(meeting, item(), 9)).toMatchObject({ block: 'not_a_member', role: null, canRecuse: false });
    const voted = item({ votes: [{ userId: 1, name: '甲', vote: 'agree', veto: false, opinion: '同意', castAt: '2026-03-02T08:00:00Z' }] });
    expect(myPart(meeting, voted, 1)).toMatchObject({ block: 'already_voted', canVote: false });
    expect(myPart(meeting, voted, 1).myVote?.vote).toBe('agree');
    const recused = item({ recusals: [{ userId: 2, name: '乙', reason: '亲属' }] });
    expect(myPart(meeting, recused, 2)).toMatchObject({ block: 'recused', canRecuse: false });
    expect(myPart(meeting, item({ status: 'decided' }), 1)).toMatchObject({ block: 'item_decided', canRecuse: false });
  });

  it('counts the items waiting for my vote', () => {
    const m = (items: Partial<AgendaItem>[]) => ({ ...meeting, items: items as AgendaItem[] }) as Meeting;
    const meetings = [
      m([{ status: 'voting', tally: tally({ waitingFor: [1, 2] }) }, { status: 'voting', tally: tally({ waitingFor: [2] }) }]),
      m([{ status: 'decided', tally: tally({ waitingFor: [1] }) }]),
    ];
    expect(awaitingMyVote(meetings, 1)).toBe(1);
    expect(awaitingMyVote(meetings, 2)).toBe(2);
    expect(awaitingMyVote(meetings, 3)).toBe(0);
  });
});

describe('committees in flows', () => {
  const graph = {
    steps: [
      { key: 'review', name: '风控审核', assignee: { kind: 'users' as const, userIds: [5] }, next: [] },
      { key: 'board', name: '贷审会', assignee: { kind: 'committee' as const, committeeId: 7 }, next: [] },
    ],
  };

  it('finds the committee deciding a step', () => {
    expect(committeeOfStep(graph, 'board')).toBe(7);
    expect(committeeOfStep(graph, 'review')).toBeNull();
    expect(committeeOfStep(graph, 'gone')).toBeNull();
    expect(committeeOfStep(null, 'board')).toBeNull();
  });

  it('finds the meeting holding a task', () => {
    const meetings = [
      { id: 1, items: [{ id: 10, task: { id: 100 } }] },
      { id: 2, items: [{ id: 20, task: { id: 200 } }, { id: 21, task: { id: 201 } }] },
    ] as unknown as Meeting[];
    const found = meetingOfTask(meetings, 201);
    expect(found?.meeting.id).toBe(2);
    expect(found?.item.id).toBe(21);
    expect(meetingOfTask(meetings, 999)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import type { Warning } from '../api/warnings';
import {
  describeWarning,
  noteProblem,
  ruleCodeOfField,
  ruleLabel,
  ruleProblems,
  ruleRows,
  rulesBody,
  warningPowers,
  warningQuery,
  type RuleRow,
} from './warnings';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');
const t = (key: string, values?: Record<string, unknown>) => String(zh(key, values as never));
const tEn = (key: string, values?: Record<string, unknown>) => String(en(key, values as never));

const w = (kind: Warning['kind'], facts: Record<string, unknown>) => ({ kind, facts });

describe('describeWarning', () => {
  it('says what each kind of warning is about, from its facts', () => {
    expect(describeWarning(w('dpd', { daysPastDue: 31, oldestDueDate: '2026-04-10' }), t)).toBe('逾期 31 天（最早未还应还日 2026-04-10）');
    expect(describeWarning(w('maturity', { daysLeft: 12, maturityDate: '2028-03-10' }), t)).toBe('12 天后到期（2028-03-10）');
    expect(describeWarning(w('insurance', { plate: '京A12345', daysLeft: 22, expiresOn: '2026-04-01', vehicleId: 7 }), t)).toBe(
      '京A12345 保险到期：22 天后到期（2026-04-01）',
    );
    expect(describeWarning(w('inspection', { plate: null, daysLeft: -3, expiresOn: '2026-03-07', vehicleId: 7 }), t)).toBe(
      '车辆 #7 年检到期：已过期 3 天（2026-03-07）',
    );
    expect(describeWarning(w('insurance', { plate: '京A12345', daysLeft: 0, expiresOn: '2026-03-10' }), t)).toContain('今日到期');
    expect(describeWarning(w('gps_offline', { imei: '490154203237518', daysOffline: 3, lastOnlineOn: '2026-03-10' }), t)).toBe(
      'GPS 490154203237518 已离线 3 天（最后在线 2026-03-10）',
    );
    expect(describeWarning(w('gps_alarm', { imei: '490154203237518', alarm: 'power_cut' }), t)).toBe('GPS 490154203237518 报警：断电');
    expect(describeWarning(w('blacklist', { reason: '法院失信被执行人', effectiveOn: '2026-04-01' }), t)).toBe(
      '借款人列入黑名单：法院失信被执行人（2026-04-01 起生效）',
    );
    expect(describeWarning(w('gps_alarm', { imei: '490154203237518', alarm: 'geofence' }), tEn)).toBe(
      'GPS 490154203237518 alarm: left the geofence',
    );
  });

  it('copes with facts that are missing', () => {
    expect(describeWarning(w('dpd', {}), t)).toBe('逾期 - 天（最早未还应还日 -）');
    expect(describeWarning({ kind: 'maturity', facts: null as never }, t)).toBe('- 天后到期（-）');
  });
});

describe('warningPowers', () => {
  const warning = (actions: Warning['actions'], assigneeId: number | null) => ({ actions, assigneeId });

  it('offers the server’s next steps to someone who may handle warnings', () => {
    expect(warningPowers(warning(['assign'], null), 5, true)).toEqual({ assign: true, handle: false, close: false, othersToHandle: false });
    expect(warningPowers(warning(['close'], 5), 9, true)).toEqual({ assign: false, handle: false, close: true, othersToHandle: false });
    expect(warningPowers(warning([], 5), 5, true)).toEqual({ assign: false, handle: false, close: false, othersToHandle: false });
  });

  it('lets only the assignee record the handling; others may reassign', () => {
    expect(warningPowers(warning(['assign', 'handle'], 5), 5, true)).toMatchObject({ assign: true, handle: true, othersToHandle: false });
    expect(warningPowers(warning(['assign', 'handle'], 5), 6, true)).toMatchObject({ assign: true, handle: false, othersToHandle: true });
  });

  it('offers nothing without warning:handle', () => {
    expect(warningPowers(warning(['assign', 'handle'], 5), 5, false)).toEqual({ assign: false, handle: false, close: false, othersToHandle: false });
  });
});

describe('warningQuery', () => {
  it('turns the filters into the list’s query, leaving out what is not chosen', () => {
    expect(warningQuery({ status: 'live' }, 3)).toEqual({ live: true });
    expect(warningQuery({ status: 'handled', ruleCode: 'dpd_30' }, 3)).toEqual({ status: 'handled', ruleCode: 'dpd_30' });
    expect(warningQuery({ status: '', assignee: 'mine', loanId: ' 42 ' }, 3)).toEqual({ assigneeId: 3, loanId: 42 });
    expect(warningQuery({ assignee: 'mine', loanId: 'abc' }, undefined)).toEqual({});
    expect(warningQuery({ loanId: '1.5' }, 3)).toEqual({});
    expect(warningQuery({ loanId: 7 }, 3)).toEqual({ loanId: 7 });
  });
});

describe('the rules form', () => {
  const rows: RuleRow[] = [
    { code: 'dpd_1', kind: 'dpd', days: 1, level: 'low', enabled: true, version: 1 },
    { code: 'dpd_30', kind: 'dpd', days: 30, level: 'medium', enabled: true, version: 2 },
    { code: 'dpd_90', kind: 'dpd', days: 90, level: 'high', enabled: true, version: 1 },
    { code: 'insurance', kind: 'insurance', days: 30, level: 'medium', enabled: true, version: 1 },
    { code: 'gps_alarm', kind: 'gps_alarm', days: null, level: 'high', enabled: true, version: 1 },
  ];
  const set = (code: string, patch: Partial<RuleRow>) => rows.map((r) => (r.code === code ? { ...r, ...patch } : r));

  it('finds what the server would refuse', () => {
    expect(ruleProblems(rows)).toEqual({});
    expect(ruleProblems(set('dpd_90', { days: 30 }))).toEqual({ dpd_90: 'duplicate' });
    // A disabled rule shadows nothing.
    expect(ruleProblems(set('dpd_90', { days: 30, enabled: false }))).toEqual({});
    expect(ruleProblems(set('insurance', { days: null }))).toEqual({ insurance: 'required' });
    expect(ruleProblems(set('insurance', { days: 0 }))).toEqual({ insurance: 'out_of_range' });
    expect(ruleProblems(set('insurance', { days: 3651 }))).toEqual({ insurance: 'out_of_range' });
    expect(ruleProblems(set('insurance', { days: 2.5 }))).toEqual({ insurance: 'out_of_range' });
  });

  it('sends the whole set, with days only where a rule has them', () => {
    const body = rulesBody(set('gps_alarm', { days: 5 as never }));
    expect(body).toHaveLength(5);
    expect(body[1]).toEqual({ code: 'dpd_30', days: 30, level: 'medium', enabled: true, version: 2 });
    expect(body[4]).toEqual({ code: 'gps_alarm', days: null, level: 'high', enabled: true, version: 1 });
    expect(ruleCodeOfField('rules[3].days', rows)).toBe('insurance');
    expect(ruleCodeOfField('rules', rows)).toBeUndefined();
  });

  it('reads the server’s rules into rows and names them', () => {
    const read = ruleRows([
      { code: 'gps_offline', kind: 'gps_offline', days: 3, level: 'medium', enabled: true, version: 4, updatedByName: null, updatedAt: '2026-03-02T00:00:00Z' },
    ]);
    expect(read).toEqual([{ code: 'gps_offline', kind: 'gps_offline', days: 3, level: 'medium', enabled: true, version: 4 }]);
    expect(ruleLabel(read[0], 'gps_offline', t)).toBe('GPS离线 ≥ 3 天');
    expect(ruleLabel(rows[1], 'dpd_30', tEn)).toBe('Overdue ≥ 30 days');
    expect(ruleLabel(undefined, 'dpd_7', t)).toBe('dpd_7');
  });
});

describe('notes', () => {
  it('are needed to handle and to close, not to assign', () => {
    expect(noteProblem('assign', undefined)).toBeNull();
    expect(noteProblem('handle', '  ')).toBe('required');
    expect(noteProblem('close', null)).toBe('required');
    expect(noteProblem('close', '借款人已还款')).toBeNull();
    expect(noteProblem('handle', '字'.repeat(2001))).toBe('too_long');
  });
});

import type { Warning, WarningAction, WarningKind, WarningLevel, WarningRule, WarningRuleInput, WarningStatus, WarningsQuery } from '../api/warnings';

// The rules of the post-loan warning pages (贷后预警), kept apart from React so they are
// unit-tested: what a warning says, what the signed-in user may do with it, the list's filters
// as a query, and the rules form as the server takes it.

export const WARNING_STATUSES: WarningStatus[] = ['open', 'assigned', 'handled', 'closed'];
export const WARNING_LEVELS: WarningLevel[] = ['low', 'medium', 'high'];

export const STATUS_COLORS: Record<WarningStatus, string> = {
  open: 'error',
  assigned: 'warning',
  handled: 'processing',
  closed: 'default',
};

export const LEVEL_COLORS: Record<WarningLevel, string> = {
  low: 'gold',
  medium: 'orange',
  high: 'red',
};

/** The rules whose threshold is a number of days (the alarm and the blacklist have none). */
export const kindHasDays = (kind: WarningKind) => kind !== 'gps_alarm' && kind !== 'blacklist';

/** The longest threshold the server takes. */
export const MAX_DAYS = 3650;

type Translate = (key: string, values?: Record<string, unknown>) => string;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '-' : String(v));

/**
 * One line saying what the warning is about, from its kind and the facts seen when it was
 * raised: "逾期 31 天（最早应还日 2026-04-10）", "京A12345 保险 22 天后到期（2026-04-01）", …
 */
export function describeWarning(w: Pick<Warning, 'kind' | 'facts'>, t: Translate): string {
  const f = (w.facts ?? {}) as Record<string, unknown>;
  switch (w.kind) {
    case 'dpd':
      return t('warnings.describe.dpd', { days: num(f.daysPastDue) ?? '-', due: text(f.oldestDueDate) });
    case 'maturity':
      return t('warnings.describe.maturity', { days: num(f.daysLeft) ?? '-', date: text(f.maturityDate) });
    case 'insurance':
    case 'inspection': {
      const left = num(f.daysLeft);
      const what = t(`warnings.kinds.${w.kind}`);
      const plate = typeof f.plate === 'string' && f.plate ? f.plate : t('warnings.describe.car', { id: text(f.vehicleId) });
      if (left !== undefined && left < 0)
        return t('warnings.describe.expired', { plate, what, days: -left, date: text(f.expiresOn) });
      if (left === 0) return t('warnings.describe.expiresToday', { plate, what, date: text(f.expiresOn) });
      return t('warnings.describe.expiring', { plate, what, days: left ?? '-', date: text(f.expiresOn) });
    }
    case 'gps_offline':
      return t('warnings.describe.gpsOffline', { imei: text(f.imei), days: num(f.daysOffline) ?? '-', since: text(f.lastOnlineOn) });
    case 'gps_alarm': {
      const alarm = typeof f.alarm === 'string' ? t(`warnings.alarms.${f.alarm}`) : '-';
      return t('warnings.describe.gpsAlarm', { imei: text(f.imei), alarm });
    }
    case 'blacklist':
      return t('warnings.describe.blacklist', { reason: text(f.reason), date: text(f.effectiveOn) });
    default:
      return '-';
  }
}

export interface WarningPowers {
  assign: boolean;
  handle: boolean;
  close: boolean;
  /** Assigned to someone else: the handling is theirs to record. */
  othersToHandle: boolean;
}

/**
 * What the signed-in user may do with a warning: the server's next actions, for someone
 * holding `warning:handle`; recording the handling only for the assignee.
 */
export function warningPowers(
  w: Pick<Warning, 'actions' | 'assigneeId'>,
  me: number | undefined,
  canHandle: boolean,
): WarningPowers {
  const next = (a: WarningAction) => canHandle && w.actions.includes(a);
  const mine = me !== undefined && w.assigneeId === me;
  return {
    assign: next('assign'),
    handle: next('handle') && mine,
    close: next('close'),
    othersToHandle: next('handle') && !mine,
  };
}

/** The list's filter form. `status` is a status, `live` (not closed, the default) or empty (all). */
export interface WarningFilterValues {
  status?: WarningStatus | 'live' | '';
  ruleCode?: string;
  /** `mine`: assigned to me. */
  assignee?: 'mine' | '';
  /** A loan id as typed. */
  loanId?: string | number;
}

export const DEFAULT_FILTERS: WarningFilterValues = { status: 'live' };

/** The filter form as the list's query (empty choices left out). */
export function warningQuery(v: WarningFilterValues, me: number | undefined): WarningsQuery {
  const q: WarningsQuery = {};
  if (v.status === 'live') q.live = true;
  else if (v.status && WARNING_STATUSES.includes(v.status)) q.status = v.status;
  if (v.ruleCode) q.ruleCode = v.ruleCode;
  if (v.assignee === 'mine' && me !== undefined) q.assigneeId = me;
  const loan = typeof v.loanId === 'number' ? v.loanId : Number(String(v.loanId ?? '').trim());
  if (Number.isInteger(loan) && loan > 0) q.loanId = loan;
  return q;
}

/** A rule in the settings form. */
export interface RuleRow {
  code: string;
  kind: WarningKind;
  days: number | null;
  level: WarningLevel;
  enabled: boolean;
  version: number;
}

export const ruleRows = (rules: readonly WarningRule[] | undefined): RuleRow[] =>
  (rules ?? []).map((r) => ({ code: r.code, kind: r.kind, days: r.days ?? null, level: r.level, enabled: r.enabled, version: r.version }));

export type RuleProblem = 'required' | 'out_of_range' | 'duplicate';

/**
 * The problems of the rules form by rule code, as the server would find them: a days rule
 * needs a whole number of days in 1..3650; two enabled overdue rules never share a threshold.
 */
export function ruleProblems(rows: readonly RuleRow[]): Record<string, RuleProblem> {
  const out: Record<string, RuleProblem> = {};
  const dpdSeen = new Set<number>();
  for (const r of rows) {
    if (!kindHasDays(r.kind)) continue;
    if (r.days === null || r.days === undefined) {
      out[r.code] = 'required';
      continue;
    }
    if (!Number.isInteger(r.days) || r.days < 1 || r.days > MAX_DAYS) {
      out[r.code] = 'out_of_range';
      continue;
    }
    if (r.kind === 'dpd' && r.enabled) {
      if (dpdSeen.has(r.days)) out[r.code] = 'duplicate';
      dpdSeen.add(r.days);
    }
  }
  return out;
}

/** The whole set as PUT /warning-rules takes it: days only where a rule has them. */
export function rulesBody(rows: readonly RuleRow[]): WarningRuleInput[] {
  return rows.map((r) => ({
    code: r.code,
    days: kindHasDays(r.kind) ? r.days : null,
    level: r.level,
    enabled: r.enabled,
    version: r.version,
  }));
}

/** The server's `rules[3].days` → the code of the rule in that place. */
export function ruleCodeOfField(field: string, rows: readonly RuleRow[]): string | undefined {
  const m = /^rules\[(\d+)\]/.exec(field);
  return m ? rows[Number(m[1])]?.code : undefined;
}

/** A note as the server takes it: trimmed; handling and closing need one. */
export function noteProblem(action: WarningAction, note: string | undefined | null): 'required' | 'too_long' | null {
  const n = (note ?? '').trim();
  if (n.length > 2000) return 'too_long';
  if (!n && action !== 'assign') return 'required';
  return null;
}

/** A rule as people name it, from its kind and threshold: "逾期 ≥ 30 天"; the code when unknown. */
export function ruleLabel(rule: Pick<WarningRule, 'kind' | 'days'> | undefined, code: string, t: Translate): string {
  return rule ? t(`warnings.ruleLabels.${rule.kind}`, { days: rule.days ?? '' }) : code;
}

/**
 * Alerts (advis): the facts recorded when a flag starts or stops holding, and when an
 * unacknowledged alert is escalated. Pure: the moment to judge at is always passed in, and the
 * flags come from the duties' own flag functions through `flagsAt`.
 */
import { addCalendarDays } from '../shared/calendar-dates';
import {
  copenhagenDateOf,
  startOfCopenhagenDay,
  workingDayDeadline,
} from '../shared/copenhagen-time';
import type { WorkingDayOptions } from '../shared/danish-holidays';

export const ALERT_TRANSITIONS = ['raised', 'stopped', 'escalated'] as const;
/** raised: the flag started to hold; stopped: it no longer holds; escalated: to the team leader. */
export type AlertTransition = (typeof ALERT_TRANSITIONS)[number];

export const RESPONSIBLE_ROLES = [
  'caseworker',
  'primary-contact',
  'department',
  'youth-unit',
  'team-leader',
] as const;
export type ResponsibleRole = (typeof RESPONSIBLE_ROLES)[number];

/**
 * Who must act: a case's caseworker or a family's primary contact (by caseworker id), a
 * department's desk, the youth unit (a department too), or a department's team leader.
 */
export interface ResponsibleParty {
  readonly role: ResponsibleRole;
  readonly departmentId: string;
  readonly caseworkerId: string | null;
}

/** A flag as the alerts see it: its identity on the subject and its due moment. */
export interface HeldFlag {
  readonly code: string;
  /** The part of the subject the flag is about, when a record holds several (a decision, an entry). */
  readonly partId: string | null;
  /** The due moment: an instant for hour-based deadlines, else the last day on time. */
  readonly due: string;
  readonly severity: 'warning' | 'overdue';
  readonly rule: string;
}

/** A flag's identity: the same code on the same part with the same due moment is the same flag. */
export function flagIdentity(flag: Pick<HeldFlag, 'code' | 'partId' | 'due'>): string {
  return `${flag.code}|${flag.partId ?? ''}|${flag.due}`;
}

/** The flags that started and stopped holding between two judgements of one subject. */
export function flagChanges<Before extends HeldFlag, After extends HeldFlag>(
  before: readonly Before[],
  after: readonly After[],
): { started: After[]; stopped: Before[] } {
  const had = new Set(before.map(flagIdentity));
  const has = new Set(after.map(flagIdentity));
  return {
    started: after.filter((flag) => !had.has(flagIdentity(flag))),
    stopped: before.filter((flag) => !has.has(flagIdentity(flag))),
  };
}

/**
 * The natural key of an alert: the transition, the flag, its subject and its due moment. The
 * API derives the alert's id from it, so a re-run, a rebuild or a second instance that finds
 * the same change records the same alert.
 */
export function alertKey(parts: {
  readonly transition: AlertTransition;
  readonly subjectKind: string;
  readonly subjectId: string;
  readonly flag: Pick<HeldFlag, 'code' | 'partId' | 'due'>;
}): string {
  return [
    'alert',
    parts.transition,
    parts.subjectKind,
    parts.subjectId,
    flagIdentity(parts.flag),
  ].join('/');
}

/** The caseworker holding the subject's case; else the department that owns the duty. */
export function responsibleFor(holder: {
  readonly caseworkerId: string | null;
  readonly departmentId: string;
}): ResponsibleParty {
  return holder.caseworkerId === null
    ? { role: 'department', departmentId: holder.departmentId, caseworkerId: null }
    : { role: 'caseworker', departmentId: holder.departmentId, caseworkerId: holder.caseworkerId };
}

/** When a flag found holding at `now` started to: its due moment passed, else now. */
export function flagStartedAt(flag: Pick<HeldFlag, 'due' | 'severity'>, now: Date): Date {
  if (flag.severity !== 'overdue') return now;
  const passed = flag.due.includes('T')
    ? new Date(new Date(flag.due).getTime() + 1)
    : startOfCopenhagenDay(addCalendarDays(flag.due, 1));
  return passed.getTime() < now.getTime() ? passed : now;
}

export function teamLeaderOf(departmentId: string): ResponsibleParty {
  return { role: 'team-leader', departmentId, caseworkerId: null };
}

/**
 * The last instant an alert raised at `raisedAt` may stay unacknowledged: the end of the
 * `workingDays`-th Danish working day after its day (weekends and public holidays skipped).
 */
export function escalationDeadline(
  raisedAt: Date,
  workingDays: number,
  options: WorkingDayOptions = {},
): Date {
  return workingDayDeadline(raisedAt, workingDays, options);
}

/** How far ahead the next change is looked for; a subject with nothing sooner is looked at again then. */
export const LOOK_AHEAD_DAYS = 400;

const MS_PER_DAY_ROUGHLY = 86_400_000;

function flagSet(flags: readonly HeldFlag[]): string {
  return flags.map(flagIdentity).sort().join(',');
}

/**
 * The first moment after `now` at which the subject's flags change by the passage of time
 * alone, or null when nothing will change within the look-ahead (then only an event changes
 * them). Day-based flags change at a Danish midnight; hour-based ones just after their due
 * instant, which `flagsAt` reports as an instant in `due`.
 *
 * Duty flags only move forward: one that time raises holds until an event clears it or a later
 * one replaces it. So when the flags at the horizon are those holding now nothing changes in
 * between, and the first changed midnight is found by halving the days (a few judgements, not
 * one per day).
 */
export function nextChangeMoment(
  flagsAt: (moment: Date) => readonly HeldFlag[],
  now: Date,
  lookAheadDays: number = LOOK_AHEAD_DAYS,
): Date | null {
  const current = flagSet(flagsAt(now));
  const horizon = new Date(now.getTime() + lookAheadDays * MS_PER_DAY_ROUGHLY);
  const atHorizon = flagsAt(horizon);
  if (flagSet(atHorizon) === current) return null;
  const changesAt = (at: Date): boolean => flagSet(flagsAt(at)) !== current;
  const instant = [...atHorizon, ...flagsAt(now)]
    .filter((flag) => flag.due.includes('T'))
    .map((flag) => new Date(new Date(flag.due).getTime() + 1))
    .filter((at) => at.getTime() > now.getTime() && at.getTime() <= horizon.getTime())
    .sort((a, b) => a.getTime() - b.getTime())
    .find(changesAt);
  const today = copenhagenDateOf(now);
  const midnight = (day: number): Date => startOfCopenhagenDay(addCalendarDays(today, day));
  // The last midnight worth looking at: before the instant, if one changes the flags.
  let last = lookAheadDays;
  while (last > 0 && instant !== undefined && midnight(last).getTime() > instant.getTime()) {
    last = Math.min(last - 1, Math.ceil((instant.getTime() - now.getTime()) / MS_PER_DAY_ROUGHLY));
  }
  if (last < 1 || !changesAt(midnight(last))) return instant ?? horizon;
  let first = 1;
  while (first < last) {
    const middle = Math.floor((first + last) / 2);
    if (changesAt(midnight(middle))) last = middle;
    else first = middle + 1;
  }
  const changed = midnight(first);
  return instant !== undefined && instant.getTime() < changed.getTime() ? instant : changed;
}

/**
 * The wait before the next delivery attempt: exponential from `baseMs`, capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so receivers that failed together are not retried
 * together. `random` is in [0, 1).
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: number,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random);
}

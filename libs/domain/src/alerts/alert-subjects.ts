/**
 * The flags of every kind as the alert run sees them: each with its subject, who must act on it
 * and when it started to hold. Pure: the moment to judge at and the holders (who has a case,
 * which department a caseworker is in) are passed in.
 */
import type { CoordinationFlag, CoordinationFlagCode } from '../coordination/coordination-flags';
import type { TransitionFlag } from '../transitions/transition-flags';
import { flagStartedAt, responsibleFor, type HeldFlag, type ResponsibleParty } from './alert-rules';

/** A flag holding on a subject, with everything an alert about it says. */
export interface AlertFlag extends HeldFlag {
  readonly subject: { readonly kind: string; readonly id: string };
  readonly caseId: string | null;
  readonly personId: string | null;
  /** The instant it started to hold (ISO). */
  readonly since: string;
  readonly responsible: ResponsibleParty;
}

/** What an alert run learns of one subject: the flags holding now and when time next changes them. */
export interface SubjectJudgement {
  readonly flags: readonly AlertFlag[];
  readonly nextDueAt: Date | null;
  /** Who holds the subject now: for a flag stored before flags kept their own. */
  readonly holder?: Pick<AlertFlag, 'caseId' | 'personId' | 'responsible'>;
}

/** The rules behind the coordination flags: local policy, so fixed texts naming no one. */
export const COORDINATION_RULE_TEXTS: { readonly [C in CoordinationFlagCode]: string } = {
  MISSING_PRIMARY_CONTACT:
    'Local policy: a family with several departments has one primary contact',
  PRIMARY_CONTACT_INACTIVE:
    'Local policy: a family with several departments has one primary contact',
  CASEWORKER_CHANGE_NOT_TOLD: 'Local policy: the family is told of a new caseworker in time',
};

/** Who holds what a family's flags point at, from the coordination projection. */
export interface CoordinationHolders {
  caseOf(
    caseId: string,
  ): { caseworkerId: string | null; departmentId: string; personId: string } | undefined;
  departmentOfCaseworker(caseworkerId: string): string | undefined;
}

/**
 * A family's coordination flags as alerts: a caseworker change not told goes to the case's
 * caseworker (a handover of the primary contact to the new primary contact); a missing primary
 * contact to the desk of every department with an open case (one alert each, so each sees it);
 * an inactive primary contact to that caseworker's department. Coordination flags hold from
 * `since`, which an event sets: a flag that holds later is time's next change.
 */
export function coordinationAlertFlags(
  familyId: string,
  flags: readonly CoordinationFlag[],
  holders: CoordinationHolders,
  now: Date,
): SubjectJudgement {
  const at = now.toISOString();
  const holding: AlertFlag[] = [];
  let nextDueAt: Date | null = null;
  for (const flag of flags) {
    if (flag.since > at) {
      const since = new Date(flag.since);
      if (nextDueAt === null || since < nextDueAt) nextDueAt = since;
      continue;
    }
    const base = {
      code: flag.code,
      due: flag.since,
      rule: COORDINATION_RULE_TEXTS[flag.code],
      since: flag.since,
      severity: flag.code === 'CASEWORKER_CHANGE_NOT_TOLD' ? 'overdue' : 'warning',
    } as const;
    /** A flag on the family itself, to `responsible`. */
    const onFamily = (responsible: ResponsibleParty, partId: string | null = null): AlertFlag => ({
      ...base,
      partId,
      subject: { kind: 'family', id: familyId },
      caseId: null,
      personId: null,
      responsible,
    });
    const caseworkerId =
      typeof flag.details.caseworkerId === 'string' ? flag.details.caseworkerId : '';
    const departmentId = holders.departmentOfCaseworker(caseworkerId) ?? flag.departmentIds[0];
    if (flag.code === 'MISSING_PRIMARY_CONTACT') {
      for (const department of flag.departmentIds) {
        holding.push(
          onFamily(
            { role: 'department', departmentId: department, caseworkerId: null },
            department,
          ),
        );
      }
    } else if (flag.code === 'PRIMARY_CONTACT_INACTIVE') {
      if (departmentId === undefined) continue;
      holding.push(onFamily({ role: 'department', departmentId, caseworkerId: null }));
    } else if (flag.details.change === 'primary-contact') {
      if (departmentId === undefined) continue;
      holding.push(onFamily({ role: 'primary-contact', departmentId, caseworkerId }));
    } else {
      const held = holders.caseOf(flag.subjectId);
      if (held === undefined) continue;
      holding.push({
        ...base,
        partId: null,
        subject: { kind: 'case', id: flag.subjectId },
        caseId: flag.subjectId,
        personId: held.personId,
        responsible: responsibleFor({
          caseworkerId: held.caseworkerId,
          departmentId: held.departmentId,
        }),
      });
    }
  }
  return { flags: holding, nextDueAt };
}

/** A transition's flags (judged at `now`) as alerts to the youth unit. */
export function transitionAlertFlags(
  personId: string,
  flags: readonly TransitionFlag[],
  youthUnit: ResponsibleParty,
  now: Date,
): AlertFlag[] {
  return flags.map((flag) => ({
    code: flag.code,
    partId: null,
    due: flag.dueDate,
    severity: flag.severity,
    rule: flag.rule,
    subject: { kind: 'transition', id: personId },
    caseId: null,
    personId,
    since: flagStartedAt({ due: flag.dueDate, severity: flag.severity }, now).toISOString(),
    responsible: youthUnit,
  }));
}

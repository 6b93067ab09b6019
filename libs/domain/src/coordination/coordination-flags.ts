/**
 * Coordination flags of one family, computed from facts that both the live projection (from its
 * tables) and the as-of history (from a fold over events) build the same way. Every flag names
 * the events that raised it. A flag is active at time t when `since <= t`; deadline flags get a
 * `since` in the future and become active when their deadline passes, so they are stored once
 * and read against the clock.
 */
export const COORDINATION_FLAG_CODES = [
  'MISSING_PRIMARY_CONTACT',
  'PRIMARY_CONTACT_INACTIVE',
  'CASEWORKER_CHANGE_NOT_TOLD',
] as const;
export type CoordinationFlagCode = (typeof COORDINATION_FLAG_CODES)[number];

export interface CoordinationRules {
  /** Open cases in this many departments or more need a primary contact (local policy). */
  readonly minDepartmentsForPrimaryContact: number;
  /** Open cases with this many caseworkers or more need a primary contact (local policy). */
  readonly minCaseworkersForPrimaryContact: number;
  /** Working days to tell the citizen of a change of caseworker or primary contact. */
  readonly changeNoticeWorkingDays: number;
}

export const DEFAULT_COORDINATION_RULES: CoordinationRules = {
  minDepartmentsForPrimaryContact: 2,
  minCaseworkersForPrimaryContact: 2,
  changeNoticeWorkingDays: 5,
};

/** Ends the Nth working day after an instant (Danish public holidays excluded). */
export type WorkingDayDeadline = (from: Date, workingDays: number) => Date;

export interface Fact {
  readonly at: string;
  readonly eventId: string;
}

export interface CaseFacts {
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  readonly opened: Fact;
  /** When the case's person joined the family: the case counts for the family from then. */
  readonly memberAdded: Fact;
  readonly caseworkerId: string | null;
  readonly caseworkerAssigned: Fact | null;
  readonly untoldChange: Fact | null;
}

export interface PrimaryContactFacts {
  readonly caseworkerId: string;
  readonly assigned: Fact;
  /** Set while the caseworker is deactivated. */
  readonly inactive: Fact | null;
  /** A handover the family has not been told of. */
  readonly untoldHandover: Fact | null;
}

export interface FamilyFacts {
  readonly familyId: string;
  readonly openCases: readonly CaseFacts[];
  readonly primaryContact: PrimaryContactFacts | null;
  /** The last release of a primary contact, if the family has none now. */
  readonly released: Fact | null;
}

export interface CoordinationFlag {
  readonly code: CoordinationFlagCode;
  /** The family, or the case the flag is about. */
  readonly subjectId: string;
  readonly since: string;
  readonly eventIds: readonly string[];
  readonly departmentIds: readonly string[];
  readonly details: Readonly<Record<string, string | number>>;
}

const later = (a: string, b: string): string => (a > b ? a : b);

/** When "N distinct keys" first held: the Nth earliest of each key's first fact. */
function nthDistinct(
  items: readonly { key: string; fact: Fact }[],
  n: number,
): { at: string; eventIds: string[] } | null {
  const first = new Map<string, Fact>();
  for (const { key, fact } of items) {
    const known = first.get(key);
    if (!known || fact.at < known.at) first.set(key, fact);
  }
  if (first.size < n || n < 1) return null;
  const sorted = [...first.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const reached = sorted[n - 1];
  if (!reached) return null;
  return { at: reached.at, eventIds: sorted.slice(0, n).map((fact) => fact.eventId) };
}

/** The later of the case opening and the person joining the family, with both events. */
function countsFrom(c: CaseFacts): Fact & { eventIds: string[] } {
  return {
    at: later(c.opened.at, c.memberAdded.at),
    eventId: c.opened.at >= c.memberAdded.at ? c.opened.eventId : c.memberAdded.eventId,
    eventIds: [c.opened.eventId, c.memberAdded.eventId],
  };
}

function missingPrimaryContact(
  facts: FamilyFacts,
  rules: CoordinationRules,
  departments: string[],
): CoordinationFlag | null {
  if (facts.primaryContact) return null;
  const byDepartment = nthDistinct(
    facts.openCases.map((c) => ({ key: c.departmentId, fact: countsFrom(c) })),
    rules.minDepartmentsForPrimaryContact,
  );
  const byCaseworker = nthDistinct(
    facts.openCases.flatMap((c) =>
      c.caseworkerId && c.caseworkerAssigned
        ? [
            {
              key: c.caseworkerId,
              fact: {
                at: later(c.caseworkerAssigned.at, countsFrom(c).at),
                eventId:
                  c.caseworkerAssigned.at >= countsFrom(c).at
                    ? c.caseworkerAssigned.eventId
                    : countsFrom(c).eventId,
              },
            },
          ]
        : [],
    ),
    rules.minCaseworkersForPrimaryContact,
  );
  const reasons = [byDepartment, byCaseworker].filter(
    (r): r is NonNullable<typeof r> => r !== null,
  );
  if (reasons.length === 0) return null;
  const first = reasons.reduce((a, b) => (b.at < a.at ? b : a));
  const eventIds = new Set(first.eventIds);
  let since = first.at;
  if (facts.released && facts.released.at > since) {
    since = facts.released.at;
    eventIds.add(facts.released.eventId);
  }
  const caseworkers = new Set(
    facts.openCases.flatMap((c) => (c.caseworkerId ? [c.caseworkerId] : [])),
  );
  return {
    code: 'MISSING_PRIMARY_CONTACT',
    subjectId: facts.familyId,
    since,
    eventIds: [...eventIds].sort(),
    departmentIds: departments,
    details: { openDepartments: departments.length, caseworkers: caseworkers.size },
  };
}

export function coordinationFlags(
  facts: FamilyFacts,
  rules: CoordinationRules,
  deadline: WorkingDayDeadline,
): CoordinationFlag[] {
  const departments = [...new Set(facts.openCases.map((c) => c.departmentId))].sort();
  const flags: CoordinationFlag[] = [];
  const missing = missingPrimaryContact(facts, rules, departments);
  if (missing) flags.push(missing);

  const contact = facts.primaryContact;
  if (contact?.inactive) {
    flags.push({
      code: 'PRIMARY_CONTACT_INACTIVE',
      subjectId: facts.familyId,
      since: later(contact.inactive.at, contact.assigned.at),
      eventIds: [contact.assigned.eventId, contact.inactive.eventId].sort(),
      departmentIds: departments,
      details: { caseworkerId: contact.caseworkerId },
    });
  }
  if (contact?.untoldHandover) {
    const { at, eventId } = contact.untoldHandover;
    flags.push({
      code: 'CASEWORKER_CHANGE_NOT_TOLD',
      subjectId: facts.familyId,
      since: deadline(new Date(at), rules.changeNoticeWorkingDays).toISOString(),
      eventIds: [eventId],
      departmentIds: departments,
      details: { change: 'primary-contact', changedAt: at, caseworkerId: contact.caseworkerId },
    });
  }
  for (const c of facts.openCases) {
    if (!c.untoldChange) continue;
    flags.push({
      code: 'CASEWORKER_CHANGE_NOT_TOLD',
      subjectId: c.caseId,
      since: deadline(new Date(c.untoldChange.at), rules.changeNoticeWorkingDays).toISOString(),
      eventIds: [c.untoldChange.eventId],
      departmentIds: [c.departmentId],
      details: {
        change: 'caseworker',
        changedAt: c.untoldChange.at,
        caseworkerId: c.caseworkerId ?? '',
      },
    });
  }
  return flags.sort((a, b) =>
    a.code === b.code
      ? a.subjectId < b.subjectId
        ? -1
        : a.subjectId > b.subjectId
          ? 1
          : 0
      : a.code < b.code
        ? -1
        : 1,
  );
}

/** The flags a reader sees at a given time. */
export function activeFlags(flags: readonly CoordinationFlag[], at: Date): CoordinationFlag[] {
  const now = at.toISOString();
  return flags.filter((flag) => flag.since <= now);
}

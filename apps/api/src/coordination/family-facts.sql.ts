import type { CaseFacts, Fact, FamilyFacts } from '@tovholder/domain';
import { arrayLiteral } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';

/** A timestamp as a Date (read by the driver) or as text (an event's, or a JSON document's). */
type Instant = Date | string;

/** What `toISOString` gives: an event's timestamp, kept as it is. */
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The timestamp as the events carry it. One already in that form is kept without a round trip
 * through Date (one that is no real date fails when the batch writes it).
 */
const iso = (value: Instant): string =>
  typeof value === 'string' && ISO_UTC.test(value)
    ? value
    : (value instanceof Date ? value : new Date(value)).toISOString();

function fact(at: Instant | null, eventId: string | null): Fact | null {
  return at !== null && eventId ? { at: iso(at), eventId } : null;
}

/** A family's row with its primary contact's deactivation, if that caseworker is inactive. */
export interface FamilyFactsRow {
  family_id: string;
  primary_contact_id: string | null;
  primary_contact_at: Instant | null;
  primary_contact_event_id: string | null;
  untold_handover_at: Instant | null;
  untold_handover_event_id: string | null;
  released_at: Instant | null;
  released_event_id: string | null;
  inactive_at: Instant | null;
  inactive_event_id: string | null;
}

/** An open case of a family's member, with the membership's start. */
export interface CaseFactsRow {
  family_id: string;
  case_id: string;
  person_id: string;
  department_id: string;
  case_type: string;
  opened_at: Instant;
  opened_event_id: string;
  added_at: Instant;
  added_event_id: string;
  caseworker_id: string | null;
  caseworker_at: Instant | null;
  caseworker_event_id: string | null;
  untold_change_at: Instant | null;
  untold_change_event_id: string | null;
}

/** The same facts `foldFamilyFacts` builds from events, read from the projection's tables. */
export async function loadFamilyFacts(
  manager: EntityManager,
  familyId: string,
): Promise<FamilyFacts | null> {
  return (await loadFamiliesFacts(manager, [familyId])).get(familyId) ?? null;
}

/** The facts of many families with two queries (a batch recomputes its families' flags at once). */
export async function loadFamiliesFacts(
  manager: EntityManager,
  familyIds: readonly string[],
): Promise<Map<string, FamilyFacts>> {
  const families: FamilyFactsRow[] = await manager.query(
    `SELECT f.*, cw.inactive_at, cw.inactive_event_id
       FROM coordination_families f
       LEFT JOIN coordination_caseworkers cw ON cw.caseworker_id = f.primary_contact_id AND NOT cw.active
      WHERE f.family_id = ANY($1::uuid[])`,
    [arrayLiteral(familyIds)],
  );
  const cases: CaseFactsRow[] = await manager.query(
    `SELECT m.family_id, c.case_id, c.person_id, c.department_id, c.case_type, c.opened_at, c.opened_event_id,
            m.added_at, m.added_event_id, c.caseworker_id, c.caseworker_at, c.caseworker_event_id,
            c.untold_change_at, c.untold_change_event_id
       FROM coordination_members m
       -- Per member through the open-cases index (OFFSET 0 keeps it so): planned as a join on
       -- tables with no statistics yet (a rebuild's shadow), it scanned every open case and
       -- member, each batch more as the tables grew.
       CROSS JOIN LATERAL (SELECT * FROM coordination_cases c
                            WHERE c.person_id = m.person_id AND c.status = 'open' OFFSET 0) c
      WHERE m.family_id = ANY($1::uuid[])
      ORDER BY m.family_id, c.case_id`,
    [arrayLiteral(familyIds)],
  );
  return factsFromRows(families, cases);
}

/** The facts of the families in `families`; `cases` in order of family and case id. */
export function factsFromRows(
  families: readonly FamilyFactsRow[],
  cases: readonly CaseFactsRow[],
): Map<string, FamilyFacts> {
  const casesOf = new Map<string, CaseFacts[]>();
  for (const row of cases) {
    const list = casesOf.get(row.family_id) ?? [];
    list.push({
      caseId: row.case_id,
      personId: row.person_id,
      departmentId: row.department_id,
      caseType: row.case_type,
      opened: { at: iso(row.opened_at), eventId: row.opened_event_id },
      memberAdded: { at: iso(row.added_at), eventId: row.added_event_id },
      caseworkerId: row.caseworker_id,
      caseworkerAssigned: fact(row.caseworker_at, row.caseworker_event_id),
      untoldChange: fact(row.untold_change_at, row.untold_change_event_id),
    });
    casesOf.set(row.family_id, list);
  }
  const facts = new Map<string, FamilyFacts>();
  for (const family of families) {
    const assigned = fact(family.primary_contact_at, family.primary_contact_event_id);
    facts.set(family.family_id, {
      familyId: family.family_id,
      openCases: casesOf.get(family.family_id) ?? [],
      primaryContact:
        family.primary_contact_id && assigned
          ? {
              caseworkerId: family.primary_contact_id,
              assigned,
              inactive: fact(family.inactive_at, family.inactive_event_id),
              untoldHandover: fact(family.untold_handover_at, family.untold_handover_event_id),
            }
          : null,
      released: family.primary_contact_id
        ? null
        : fact(family.released_at, family.released_event_id),
    });
  }
  return facts;
}

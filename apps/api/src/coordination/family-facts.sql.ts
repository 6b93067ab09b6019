import type { CaseFacts, Fact, FamilyFacts } from '@tovholder/domain';
import { arrayLiteral } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';

/** A timestamp as the events carry it; the tables give it as JSON text ("…+00:00"). */
const iso = (value: string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

function fact(at: string | null, eventId: string | null): Fact | null {
  const when = iso(at);
  return when && eventId ? { at: when, eventId } : null;
}

interface FamilyRow {
  primary_contact_id: string | null;
  primary_contact_at: string | null;
  primary_contact_event_id: string | null;
  untold_handover_at: string | null;
  untold_handover_event_id: string | null;
  released_at: string | null;
  released_event_id: string | null;
  inactive_at: string | null;
  inactive_event_id: string | null;
}

interface CaseRow {
  case_id: string;
  person_id: string;
  department_id: string;
  case_type: string;
  opened_at: string;
  opened_event_id: string;
  added_at: string;
  added_event_id: string;
  caseworker_id: string | null;
  caseworker_at: string | null;
  caseworker_event_id: string | null;
  untold_change_at: string | null;
  untold_change_event_id: string | null;
}

/** The same facts `foldFamilyFacts` builds from events, read from the projection's tables. */
export async function loadFamilyFacts(
  manager: EntityManager,
  familyId: string,
): Promise<FamilyFacts | null> {
  return (await loadFamiliesFacts(manager, [familyId])).get(familyId) ?? null;
}

/**
 * The facts of many families in one round trip (a batch recomputes its families' flags at
 * once); rows come as JSON documents. Open cases are found per member through the open-cases
 * index (OFFSET 0 keeps it so): planned as a join on tables with no statistics yet (a rebuild's
 * shadow), it scanned every open case and member, each batch more as the tables grew.
 */
export async function loadFamiliesFacts(
  manager: EntityManager,
  familyIds: readonly string[],
): Promise<Map<string, FamilyFacts>> {
  const [loaded] = await manager.query<
    {
      families: (FamilyRow & { family_id: string })[];
      cases: (CaseRow & { family_id: string })[];
    }[]
  >(
    `SELECT (SELECT coalesce(json_agg(json_build_object(
                      'family_id', f.family_id, 'primary_contact_id', f.primary_contact_id,
                      'primary_contact_at', f.primary_contact_at,
                      'primary_contact_event_id', f.primary_contact_event_id,
                      'untold_handover_at', f.untold_handover_at,
                      'untold_handover_event_id', f.untold_handover_event_id,
                      'released_at', f.released_at, 'released_event_id', f.released_event_id,
                      'inactive_at', cw.inactive_at, 'inactive_event_id', cw.inactive_event_id)), '[]')
               FROM coordination_families f
               LEFT JOIN coordination_caseworkers cw
                      ON cw.caseworker_id = f.primary_contact_id AND NOT cw.active
              WHERE f.family_id = ANY($1::uuid[])) AS families,
            (SELECT coalesce(json_agg(json_build_object(
                      'family_id', m.family_id, 'case_id', c.case_id, 'person_id', c.person_id,
                      'department_id', c.department_id, 'case_type', c.case_type,
                      'opened_at', c.opened_at, 'opened_event_id', c.opened_event_id,
                      'added_at', m.added_at, 'added_event_id', m.added_event_id,
                      'caseworker_id', c.caseworker_id, 'caseworker_at', c.caseworker_at,
                      'caseworker_event_id', c.caseworker_event_id,
                      'untold_change_at', c.untold_change_at,
                      'untold_change_event_id', c.untold_change_event_id)
                      ORDER BY m.family_id, c.case_id), '[]')
               FROM coordination_members m
              CROSS JOIN LATERAL (SELECT * FROM coordination_cases c
                                   WHERE c.person_id = m.person_id AND c.status = 'open' OFFSET 0) c
              WHERE m.family_id = ANY($1::uuid[])) AS cases`,
    [arrayLiteral(familyIds)],
  );
  const { families = [], cases = [] } = loaded ?? {};
  const casesOf = new Map<string, CaseFacts[]>();
  for (const row of cases) {
    const list = casesOf.get(row.family_id) ?? [];
    list.push({
      caseId: row.case_id,
      personId: row.person_id,
      departmentId: row.department_id,
      caseType: row.case_type,
      opened: { at: new Date(row.opened_at).toISOString(), eventId: row.opened_event_id },
      memberAdded: { at: new Date(row.added_at).toISOString(), eventId: row.added_event_id },
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

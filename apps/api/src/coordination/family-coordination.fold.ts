import type { CoordinationEvent, FamilyFacts } from '@tovholder/domain';
import {
  arrayLiteral,
  deleteArrays,
  updateArrays,
  upsertArrays,
  type ArrayWrite,
} from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { factsFromRows, type CaseFactsRow, type FamilyFactsRow } from './family-facts.sql';

/*
 * The family-coordination tables as one batch folds them: rows loaded once, changed in memory in
 * log order with the same rules the per-row statements had (an update changes a row only if it
 * is there; an insert of a row that is there changes nothing), then written once per table.
 */

type Instant = string | Date;

interface FamilyRow {
  family_id: string;
  registered_at: Instant;
  primary_contact_id: string | null;
  primary_contact_at: Instant | null;
  primary_contact_event_id: string | null;
  untold_handover_at: Instant | null;
  untold_handover_event_id: string | null;
  released_at: Instant | null;
  released_event_id: string | null;
}

interface CaseRow {
  case_id: string;
  person_id: string;
  department_id: string;
  case_type: string;
  status: string;
  opened_at: Instant;
  opened_event_id: string;
  caseworker_id: string | null;
  caseworker_at: Instant | null;
  caseworker_event_id: string | null;
  untold_change_at: Instant | null;
  untold_change_event_id: string | null;
  closed_at: Instant | null;
}

interface CaseworkerRow {
  caseworker_id: string;
  department_id: string;
  active: boolean;
  inactive_at: Instant | null;
  inactive_event_id: string | null;
}

interface MemberRow {
  family_id: string;
  person_id: string;
  role: string;
  added_at: Instant;
  added_event_id: string;
}

interface ConsentRow {
  family_id: string;
  department_id: string;
  basis: string;
  given_at: Instant;
}

/** A keyed row the batch writes (`row`) or deletes (null). */
type Change<Row> = Map<string, Row | null>;

export interface CoordinationState {
  readonly families: Map<string, FamilyRow>;
  readonly cases: Map<string, CaseRow>;
  readonly caseworkers: Map<string, CaseworkerRow>;
  /** Families each person was a member of before the batch or joined in it. */
  readonly familiesOfPerson: Map<string, Set<string>>;
  /** The members now of every family the batch may touch (all loaded, then kept up to date). */
  readonly familyMembers: Map<string, Map<string, MemberRow>>;
  /** The cases of each person that the batch loaded or opened: all their open ones. */
  readonly casesOfPerson: Map<string, Set<string>>;
  /** Families each caseworker held as primary contact before the batch or took in it. */
  readonly familiesHeldBy: Map<string, Set<string>>;
  readonly changedFamilies: Set<string>;
  readonly changedCases: Set<string>;
  readonly changedCaseworkers: Set<string>;
  /** Rows the batch inserted: their keys were loaded and not found, so they are plain inserts. */
  readonly newFamilies: Set<string>;
  readonly newCases: Set<string>;
  readonly newCaseworkers: Set<string>;
  readonly members: Change<MemberRow>;
  readonly consents: Change<ConsentRow>;
}

const FAMILY_COLUMNS = {
  family_id: 'uuid',
  registered_at: 'timestamptz',
  primary_contact_id: 'uuid',
  primary_contact_at: 'timestamptz',
  primary_contact_event_id: 'uuid',
  untold_handover_at: 'timestamptz',
  untold_handover_event_id: 'uuid',
  released_at: 'timestamptz',
  released_event_id: 'uuid',
} as const;
const CASE_COLUMNS = {
  case_id: 'uuid',
  person_id: 'uuid',
  department_id: 'text',
  case_type: 'text',
  status: 'text',
  opened_at: 'timestamptz',
  opened_event_id: 'uuid',
  caseworker_id: 'uuid',
  caseworker_at: 'timestamptz',
  caseworker_event_id: 'uuid',
  untold_change_at: 'timestamptz',
  untold_change_event_id: 'uuid',
  closed_at: 'timestamptz',
} as const;
const CASEWORKER_COLUMNS = {
  caseworker_id: 'uuid',
  department_id: 'text',
  active: 'boolean',
  inactive_at: 'timestamptz',
  inactive_event_id: 'uuid',
} as const;
const MEMBER_COLUMNS = {
  family_id: 'uuid',
  person_id: 'uuid',
  role: 'text',
  added_at: 'timestamptz',
  added_event_id: 'uuid',
} as const;
const CONSENT_COLUMNS = {
  family_id: 'uuid',
  department_id: 'text',
  basis: 'text',
  given_at: 'timestamptz',
} as const;

/** The columns an update sets (with its key), without those no event changes. */
const without = <T extends Record<string, string>>(columns: T, ...fixed: (keyof T)[]): T =>
  Object.fromEntries(Object.entries(columns).filter(([c]) => !fixed.includes(c))) as T;

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key) ?? new Set<string>();
  set.add(value);
  index.set(key, set);
}

/** The rows the batch's events touch and the families whose flags they may change, in one query. */
export async function loadState(
  m: EntityManager,
  events: readonly CoordinationEvent[],
): Promise<CoordinationState> {
  const familyIds = new Set<string>();
  const caseIds = new Set<string>();
  const caseworkerIds = new Set<string>();
  const personIds = new Set<string>();
  const primaryContactIds = new Set<string>(); // the flags need to know whether they are active
  const joiningIds = new Set<string>(); // their open cases join their new families' flags
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    if (typeof data.familyId === 'string') familyIds.add(data.familyId);
    if (typeof data.caseId === 'string') caseIds.add(data.caseId);
    if (event.type === 'CaseOpened') personIds.add(event.data.personId);
    if (event.type === 'FamilyMemberAdded') joiningIds.add(event.data.personId);
    if (event.type === 'PrimaryContactAssigned') primaryContactIds.add(event.data.caseworkerId);
    if (event.type === 'PrimaryContactHandedOver') primaryContactIds.add(event.data.toCaseworkerId);
    if (
      event.type === 'CaseworkerRegistered' ||
      event.type === 'CaseworkerDeactivated' ||
      event.type === 'CaseworkerReactivated'
    ) {
      caseworkerIds.add(event.data.caseworkerId);
    }
  }
  // One round trip, the rows as JSON documents (timestamps as text, which the writes send back
  // as they are): the rows the events name, and for the flags every family they may touch
  // (named, holding a caseworker whose status changes, or with a member whose case changes)
  // with all its members (and those joining it), their open cases and its primary contact.
  // Lookups go by key through the indexes (OFFSET 0 keeps them so while a rebuild's shadow
  // tables have no statistics yet: planned as joins, they scanned whole tables every batch).
  const [loaded] = await m.query<
    {
      cases: CaseRow[];
      families: FamilyRow[];
      caseworkers: CaseworkerRow[];
      members: MemberRow[];
    }[]
  >(
    `WITH named_cases AS (
       SELECT * FROM coordination_cases WHERE case_id = ANY($1::uuid[])),
     persons AS (SELECT unnest($4::uuid[]) AS person_id UNION SELECT person_id FROM named_cases),
     touched AS (
       SELECT unnest($2::uuid[]) AS family_id
        UNION SELECT m.family_id FROM persons p
                CROSS JOIN LATERAL (SELECT family_id FROM coordination_members m
                                     WHERE m.person_id = p.person_id OFFSET 0) m
        UNION SELECT family_id FROM coordination_families WHERE primary_contact_id = ANY($3::uuid[])),
     families AS (
       SELECT f.* FROM touched t
        CROSS JOIN LATERAL (SELECT * FROM coordination_families f
                             WHERE f.family_id = t.family_id OFFSET 0) f),
     members AS (
       SELECT m.* FROM touched t
        CROSS JOIN LATERAL (SELECT * FROM coordination_members m
                             WHERE m.family_id = t.family_id OFFSET 0) m),
     cases AS (
       SELECT * FROM named_cases
        UNION SELECT c.* FROM (SELECT person_id FROM members UNION SELECT unnest($6::uuid[])) p
                CROSS JOIN LATERAL (SELECT * FROM coordination_cases c
                                     WHERE c.person_id = p.person_id AND c.status = 'open' OFFSET 0) c)
     SELECT (SELECT coalesce(json_agg(c), '[]') FROM (
               SELECT case_id, person_id, department_id, case_type, status, opened_at,
                      opened_event_id, caseworker_id, caseworker_at, caseworker_event_id,
                      untold_change_at, untold_change_event_id, closed_at FROM cases) c) AS cases,
            (SELECT coalesce(json_agg(f), '[]') FROM families f) AS families,
            (SELECT coalesce(json_agg(w), '[]') FROM coordination_caseworkers w
              WHERE w.caseworker_id = ANY($3::uuid[]) OR w.caseworker_id = ANY($5::uuid[])
                 OR w.caseworker_id IN (SELECT primary_contact_id FROM families)) AS caseworkers,
            (SELECT coalesce(json_agg(m), '[]') FROM members m) AS members`,
    [
      arrayLiteral([...caseIds]),
      arrayLiteral([...familyIds]),
      arrayLiteral([...caseworkerIds]),
      arrayLiteral([...personIds]),
      arrayLiteral([...primaryContactIds]),
      arrayLiteral([...joiningIds]),
    ],
  );
  const { cases = [], families = [], caseworkers = [], members = [] } = loaded ?? {};
  const state: CoordinationState = {
    families: new Map(families.map((row) => [row.family_id, row])),
    cases: new Map(cases.map((row) => [row.case_id, row])),
    caseworkers: new Map(caseworkers.map((row) => [row.caseworker_id, row])),
    familiesOfPerson: new Map(),
    familyMembers: new Map(families.map((row) => [row.family_id, new Map<string, MemberRow>()])),
    casesOfPerson: new Map(),
    familiesHeldBy: new Map(),
    changedFamilies: new Set(),
    changedCases: new Set(),
    changedCaseworkers: new Set(),
    newFamilies: new Set(),
    newCases: new Set(),
    newCaseworkers: new Set(),
    members: new Map(),
    consents: new Map(),
  };
  for (const row of members) {
    addTo(state.familiesOfPerson, row.person_id, row.family_id);
    membersOf(state, row.family_id).set(row.person_id, row);
  }
  for (const row of cases) addTo(state.casesOfPerson, row.person_id, row.case_id);
  for (const row of families) {
    if (row.primary_contact_id) addTo(state.familiesHeldBy, row.primary_contact_id, row.family_id);
  }
  return state;
}

function membersOf(state: CoordinationState, familyId: string): Map<string, MemberRow> {
  let members = state.familyMembers.get(familyId);
  if (!members) {
    members = new Map();
    state.familyMembers.set(familyId, members);
  }
  return members;
}

/** An insert that changes nothing when the row is there (a replayed opening event). */
function insertIfAbsent<Row>(
  rows: Map<string, Row>,
  changed: Set<string>,
  inserted: Set<string>,
  key: string,
  row: () => Row,
): void {
  if (rows.has(key)) return;
  rows.set(key, row());
  changed.add(key);
  inserted.add(key);
}

/** Applies one event to the state; returns the families whose flags it may change. */
export function foldEvent(
  state: CoordinationState,
  eventId: string,
  event: CoordinationEvent,
): string[] {
  const updateFamily = (familyId: string, change: Partial<FamilyRow>): string[] => {
    const row = state.families.get(familyId);
    if (row) {
      state.families.set(familyId, { ...row, ...change });
      state.changedFamilies.add(familyId);
    }
    return [familyId];
  };
  const updateCase = (caseId: string, change: Partial<CaseRow>): string[] => {
    const row = state.cases.get(caseId);
    if (!row) return [];
    state.cases.set(caseId, { ...row, ...change });
    state.changedCases.add(caseId);
    return [...(state.familiesOfPerson.get(row.person_id) ?? [])];
  };
  const updateCaseworker = (caseworkerId: string, change: Partial<CaseworkerRow>): string[] => {
    const row = state.caseworkers.get(caseworkerId);
    if (row) {
      state.caseworkers.set(caseworkerId, { ...row, ...change });
      state.changedCaseworkers.add(caseworkerId);
    }
    return [...(state.familiesHeldBy.get(caseworkerId) ?? [])];
  };
  const setPrimaryContact = (
    familyId: string,
    caseworkerId: string,
    at: string,
    untoldEventId: string | null,
  ): string[] => {
    if (state.families.has(familyId)) addTo(state.familiesHeldBy, caseworkerId, familyId);
    return updateFamily(familyId, {
      primary_contact_id: caseworkerId,
      primary_contact_at: at,
      primary_contact_event_id: eventId,
      untold_handover_at: untoldEventId ? at : null,
      untold_handover_event_id: untoldEventId,
      released_at: null,
      released_event_id: null,
    });
  };
  switch (event.type) {
    case 'FamilyRegistered':
      insertIfAbsent(
        state.families,
        state.changedFamilies,
        state.newFamilies,
        event.data.familyId,
        () => ({
          family_id: event.data.familyId,
          registered_at: event.data.registeredAt,
          primary_contact_id: null,
          primary_contact_at: null,
          primary_contact_event_id: null,
          untold_handover_at: null,
          untold_handover_event_id: null,
          released_at: null,
          released_event_id: null,
        }),
      );
      return [event.data.familyId];
    case 'FamilyMemberAdded': {
      const member: MemberRow = {
        family_id: event.data.familyId,
        person_id: event.data.personId,
        role: event.data.role,
        added_at: event.data.addedAt,
        added_event_id: eventId,
      };
      state.members.set(`${event.data.familyId}:${event.data.personId}`, member);
      membersOf(state, event.data.familyId).set(event.data.personId, member);
      addTo(state.familiesOfPerson, event.data.personId, event.data.familyId);
      return [event.data.familyId];
    }
    case 'FamilyMemberRemoved':
      state.members.set(`${event.data.familyId}:${event.data.personId}`, null);
      membersOf(state, event.data.familyId).delete(event.data.personId);
      return [event.data.familyId];
    case 'PrimaryContactAssigned':
      return setPrimaryContact(
        event.data.familyId,
        event.data.caseworkerId,
        event.data.assignedAt,
        null,
      );
    case 'PrimaryContactHandedOver':
      return setPrimaryContact(
        event.data.familyId,
        event.data.toCaseworkerId,
        event.data.handedOverAt,
        eventId,
      );
    case 'PrimaryContactReleased':
      return updateFamily(event.data.familyId, {
        primary_contact_id: null,
        primary_contact_at: null,
        primary_contact_event_id: null,
        untold_handover_at: null,
        untold_handover_event_id: null,
        released_at: event.data.releasedAt,
        released_event_id: eventId,
      });
    case 'FamilyToldOfPrimaryContact':
      return updateFamily(event.data.familyId, {
        untold_handover_at: null,
        untold_handover_event_id: null,
      });
    case 'FamilyConsentGiven':
      for (const departmentId of event.data.departmentIds) {
        state.consents.set(`${event.data.familyId}:${departmentId}`, {
          family_id: event.data.familyId,
          department_id: departmentId,
          basis: event.data.basis,
          given_at: event.data.givenAt,
        });
      }
      return []; // no flag depends on consent
    case 'FamilyConsentWithdrawn':
      for (const departmentId of event.data.departmentIds) {
        state.consents.set(`${event.data.familyId}:${departmentId}`, null);
      }
      return [];
    case 'CaseOpened':
      insertIfAbsent(state.cases, state.changedCases, state.newCases, event.data.caseId, () => ({
        case_id: event.data.caseId,
        person_id: event.data.personId,
        department_id: event.data.departmentId,
        case_type: event.data.caseType,
        status: 'open',
        opened_at: event.data.openedAt,
        opened_event_id: eventId,
        caseworker_id: null,
        caseworker_at: null,
        caseworker_event_id: null,
        untold_change_at: null,
        untold_change_event_id: null,
        closed_at: null,
      }));
      addTo(
        state.casesOfPerson,
        state.cases.get(event.data.caseId)?.person_id ?? '',
        event.data.caseId,
      );
      return updateCase(event.data.caseId, {});
    case 'CaseworkerAssigned':
      return updateCase(event.data.caseId, {
        caseworker_id: event.data.caseworkerId,
        caseworker_at: event.data.assignedAt,
        caseworker_event_id: eventId,
      });
    case 'CaseworkerChanged':
      return updateCase(event.data.caseId, {
        caseworker_id: event.data.toCaseworkerId,
        caseworker_at: event.data.changedAt,
        caseworker_event_id: eventId,
        untold_change_at: event.data.changedAt,
        untold_change_event_id: eventId,
      });
    case 'CitizenToldOfCaseworkerChange':
      return updateCase(event.data.caseId, {
        untold_change_at: null,
        untold_change_event_id: null,
      });
    case 'CaseClosed':
      return updateCase(event.data.caseId, { status: 'closed', closed_at: event.data.closedAt });
    case 'CaseworkerRegistered':
      insertIfAbsent(
        state.caseworkers,
        state.changedCaseworkers,
        state.newCaseworkers,
        event.data.caseworkerId,
        () => ({
          caseworker_id: event.data.caseworkerId,
          department_id: event.data.departmentId,
          active: true,
          inactive_at: null,
          inactive_event_id: null,
        }),
      );
      return [];
    case 'CaseworkerDeactivated':
      return updateCaseworker(event.data.caseworkerId, {
        active: false,
        inactive_at: event.data.deactivatedAt,
        inactive_event_id: eventId,
      });
    case 'CaseworkerReactivated':
      return updateCaseworker(event.data.caseworkerId, {
        active: true,
        inactive_at: null,
        inactive_event_id: null,
      });
  }
}

/**
 * The facts of `familyIds` (all loaded, see `loadState`) after the batch, from its state in
 * memory: the same rows `loadFamiliesFacts` would read once the batch is written.
 */
export function batchFacts(
  state: CoordinationState,
  familyIds: readonly string[],
): Map<string, FamilyFacts> {
  const families: FamilyFactsRow[] = [];
  const cases: CaseFactsRow[] = [];
  for (const familyId of familyIds) {
    const family = state.families.get(familyId);
    if (!family) continue;
    const contact = family.primary_contact_id
      ? state.caseworkers.get(family.primary_contact_id)
      : undefined;
    const inactive = contact && !contact.active ? contact : null;
    // Literals, not spreads: copying rows of many shapes field by field costs µs a row.
    families.push({
      family_id: family.family_id,
      primary_contact_id: family.primary_contact_id,
      primary_contact_at: family.primary_contact_at,
      primary_contact_event_id: family.primary_contact_event_id,
      untold_handover_at: family.untold_handover_at,
      untold_handover_event_id: family.untold_handover_event_id,
      released_at: family.released_at,
      released_event_id: family.released_event_id,
      inactive_at: inactive?.inactive_at ?? null,
      inactive_event_id: inactive?.inactive_event_id ?? null,
    });
    const open: CaseFactsRow[] = [];
    for (const member of state.familyMembers.get(familyId)?.values() ?? []) {
      for (const caseId of state.casesOfPerson.get(member.person_id) ?? []) {
        const row = state.cases.get(caseId);
        if (row?.status !== 'open' || row.person_id !== member.person_id) continue;
        open.push({
          family_id: familyId,
          case_id: row.case_id,
          person_id: row.person_id,
          department_id: row.department_id,
          case_type: row.case_type,
          opened_at: row.opened_at,
          opened_event_id: row.opened_event_id,
          added_at: member.added_at,
          added_event_id: member.added_event_id,
          caseworker_id: row.caseworker_id,
          caseworker_at: row.caseworker_at,
          caseworker_event_id: row.caseworker_event_id,
          untold_change_at: row.untold_change_at,
          untold_change_event_id: row.untold_change_event_id,
        });
      }
    }
    cases.push(
      ...open.sort((a, b) => (a.case_id < b.case_id ? -1 : a.case_id > b.case_id ? 1 : 0)),
    );
  }
  return factsFromRows(families, cases);
}

/** The changed rows, split into those the batch inserted and those it found and changed. */
function changedRows<Row>(
  rows: ReadonlyMap<string, Row>,
  changed: ReadonlySet<string>,
  inserted: ReadonlySet<string>,
): { inserted: Row[]; updated: Row[] } {
  const result = { inserted: [] as Row[], updated: [] as Row[] };
  for (const key of changed) {
    const row = rows.get(key);
    if (row) (inserted.has(key) ? result.inserted : result.updated).push(row);
  }
  return result;
}

function split<Row>(changes: Change<Row>): { kept: Row[]; deleted: string[] } {
  const kept: Row[] = [];
  const deleted: string[] = [];
  for (const [key, row] of changes) {
    if (row) kept.push(row);
    else deleted.push(key);
  }
  return { kept, deleted };
}

/**
 * What the batch changed, as writes from column arrays (to run as one statement): new rows as
 * plain inserts, found rows as updates of the columns events change (no insert tried first,
 * and the birth date looked up only for new cases); members and consents, whose keys the batch
 * does not all load, as upserts.
 */
export function stateWrites(state: CoordinationState): (ArrayWrite | null)[] {
  const families = changedRows(state.families, state.changedFamilies, state.newFamilies);
  const cases = changedRows(state.cases, state.changedCases, state.newCases);
  const caseworkers = changedRows(
    state.caseworkers,
    state.changedCaseworkers,
    state.newCaseworkers,
  );
  const members = split(state.members);
  const consents = split(state.consents);
  return [
    upsertArrays('coordination_families', FAMILY_COLUMNS, families.inserted, { key: [] }),
    updateArrays(
      'coordination_families',
      without(FAMILY_COLUMNS, 'registered_at'),
      families.updated,
      ['family_id'],
    ),
    upsertArrays('coordination_cases', CASE_COLUMNS, cases.inserted, {
      key: [],
      // The birth date is copied from the registry so the youth unit's lists can find the open
      // cases of an age group through one index (events carry no birth dates).
      computed: {
        birth_date: '(SELECT birth_date FROM persons p WHERE p.person_id = x.person_id)',
      },
    }),
    updateArrays(
      'coordination_cases',
      without(
        CASE_COLUMNS,
        'person_id',
        'department_id',
        'case_type',
        'opened_at',
        'opened_event_id',
      ),
      cases.updated,
      ['case_id'],
    ),
    upsertArrays('coordination_caseworkers', CASEWORKER_COLUMNS, caseworkers.inserted, { key: [] }),
    updateArrays(
      'coordination_caseworkers',
      without(CASEWORKER_COLUMNS, 'department_id'),
      caseworkers.updated,
      ['caseworker_id'],
    ),
    deleteArrays(
      'coordination_members',
      { family_id: 'uuid', person_id: 'uuid' },
      members.deleted.map((key) => {
        const [family_id, person_id] = key.split(':');
        return { family_id, person_id };
      }),
    ),
    upsertArrays('coordination_members', MEMBER_COLUMNS, members.kept, {
      key: ['family_id', 'person_id'],
      update: ['role', 'added_at', 'added_event_id'],
    }),
    deleteArrays(
      'coordination_consents',
      { family_id: 'uuid', department_id: 'text' },
      consents.deleted.map((key) => {
        const at = key.indexOf(':');
        return { family_id: key.slice(0, at), department_id: key.slice(at + 1) };
      }),
    ),
    upsertArrays('coordination_consents', CONSENT_COLUMNS, consents.kept, {
      key: ['family_id', 'department_id'],
      update: ['basis', 'given_at'],
    }),
  ];
}

import {
  CASE_EVENT_TYPES,
  CASEWORKER_EVENT_TYPES,
  coordinationFlags,
  FAMILY_EVENT_TYPES,
  isCoordinationEvent,
  type CoordinationRules,
  type WorkingDayDeadline,
} from '@tovholder/domain';
import type { ProjectionEvent } from '@tovholder/event-store';
import { applyEvents, arrayLiteral, type ArrayWrite, type Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { identifiedEvents } from '../shared/aggregate-stream';
import { batchFacts, foldEvent, loadState, stateWrites } from './family-coordination.fold';

export const FAMILY_COORDINATION_PROJECTOR = 'family-coordination';

/**
 * Families, their members' open cases, caseworkers and primary contacts, and the coordination
 * flags. Base tables follow the events; after each event the flags of every family it touches
 * are computed again by the domain's `coordinationFlags`, the same function the as-of history uses.
 * The rules are read when flags are computed: after changing them, rebuild this projection.
 */
export class FamilyCoordinationProjector implements Projector {
  readonly name = FAMILY_COORDINATION_PROJECTOR;
  readonly tables = [
    'coordination_flags',
    'coordination_families',
    'coordination_members',
    'coordination_cases',
    'coordination_caseworkers',
    'coordination_consents',
  ];
  readonly queryOnlyIndexes = [
    'coordination_flags_since',
    'coordination_flags_departments',
    'coordination_cases_person', // batches find open cases by coordination_cases_open_person
    'coordination_cases_caseworker',
    'coordination_cases_open_birth_date',
  ];

  constructor(
    private readonly rules: CoordinationRules,
    private readonly deadline: WorkingDayDeadline,
  ) {}

  handles(event: ProjectionEvent): boolean {
    return (
      FAMILY_EVENT_TYPES.has(event.type) ||
      CASE_EVENT_TYPES.has(event.type) ||
      CASEWORKER_EVENT_TYPES.has(event.type)
    );
  }

  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return applyEvents(this, [event], manager);
  }

  /**
   * Set-based: loads every row the batch may touch in one query, folds the events over them in
   * log order, computes the flags of every family an event touched from the state in memory,
   * and returns the writes of all of it (each table once, flags only where they changed), which
   * go in one statement.
   */
  async batchWrites(
    batch: readonly ProjectionEvent[],
    m: EntityManager,
  ): Promise<(ArrayWrite | null)[]> {
    const events = identifiedEvents(batch, isCoordinationEvent);
    const state = await loadState(m, events);
    const touched = new Set<string>();
    for (const event of events) {
      for (const familyId of foldEvent(state, event.id, event)) touched.add(familyId);
    }
    const familyIds = [...touched].sort();
    const facts = batchFacts(state, familyIds);
    const flags = new Map<string, FlagRow>();
    for (const familyId of familyIds) {
      const family = facts.get(familyId);
      if (!family) continue;
      for (const flag of coordinationFlags(family, this.rules, this.deadline)) {
        const key = `${familyId}:${flag.code}:${flag.subjectId}`;
        if (flags.has(key)) continue;
        flags.set(key, {
          family_id: familyId,
          code: flag.code,
          subject_id: flag.subjectId,
          since: flag.since,
          event_ids: arrayLiteral(flag.eventIds),
          department_ids: arrayLiteral(flag.departmentIds),
          details: JSON.stringify(flag.details),
        });
      }
    }
    return [...stateWrites(state), ...flagWrites(familyIds, [...flags.values()])];
  }
}

/** A flag row with its arrays and document as text, so that it goes in column arrays too. */
interface FlagRow {
  family_id: string;
  code: string;
  subject_id: string;
  since: string;
  event_ids: string;
  department_ids: string;
  details: string;
}

/**
 * The flags of `familyIds` set to `rows`: the others of those families deleted, new ones
 * inserted, and existing ones rewritten only if they changed (a family touched again and again
 * keeps its unchanged rows as they are).
 */
function flagWrites(familyIds: readonly string[], rows: readonly FlagRow[]): ArrayWrite[] {
  if (familyIds.length === 0) return [];
  const column = (name: keyof FlagRow) => arrayLiteral(rows.map((row) => row[name]));
  const changing = ['since', 'event_ids', 'department_ids', 'details'];
  const deleted: ArrayWrite = {
    sql: `DELETE FROM coordination_flags t USING unnest($1::uuid[]) AS x(family_id)
           WHERE t.family_id = x.family_id
             AND (t.family_id, t.code, t.subject_id) NOT IN
                 (SELECT * FROM unnest($2::uuid[], $3::text[], $4::uuid[]))`,
    parameters: [
      arrayLiteral(familyIds),
      column('family_id'),
      column('code'),
      column('subject_id'),
    ],
  };
  if (rows.length === 0) return [deleted];
  const written: ArrayWrite = {
    sql: `INSERT INTO coordination_flags (family_id, code, subject_id, ${changing.join(', ')})
          SELECT x.family_id, x.code, x.subject_id, x.since, x.event_ids::text[],
                 x.department_ids::text[], x.details::jsonb
            FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[],
                        $6::text[], $7::text[])
              AS x(family_id, code, subject_id, since, event_ids, department_ids, details)
          ON CONFLICT (family_id, code, subject_id) DO UPDATE
             SET ${changing.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
           WHERE (${changing.map((c) => `coordination_flags.${c}`).join(', ')})
                 IS DISTINCT FROM (${changing.map((c) => `EXCLUDED.${c}`).join(', ')})`,
    parameters: [
      column('family_id'),
      column('code'),
      column('subject_id'),
      column('since'),
      column('event_ids'),
      column('department_ids'),
      column('details'),
    ],
  };
  return [deleted, written];
}

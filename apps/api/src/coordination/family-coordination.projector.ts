import {
  CASE_EVENT_TYPES,
  CASEWORKER_EVENT_TYPES,
  coordinationFlags,
  FAMILY_EVENT_TYPES,
  isCoordinationEvent,
  type CoordinationRules,
  type WorkingDayDeadline,
} from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import { upsertRows, type Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { identifiedEvents } from '../shared/aggregate-stream';
import { batchFacts, foldEvent, loadState, writeState } from './family-coordination.fold';

export const FAMILY_COORDINATION_PROJECTOR = 'family-coordination';

const FLAG_COLUMNS = {
  family_id: 'uuid',
  code: 'text',
  subject_id: 'uuid',
  since: 'timestamptz',
  event_ids: 'text[]',
  department_ids: 'text[]',
  details: 'jsonb',
} as const;

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

  handles(event: RecordedEvent): boolean {
    return (
      FAMILY_EVENT_TYPES.has(event.type) ||
      CASE_EVENT_TYPES.has(event.type) ||
      CASEWORKER_EVENT_TYPES.has(event.type)
    );
  }

  apply(event: RecordedEvent, manager: EntityManager): Promise<void> {
    return this.applyBatch([event], manager);
  }

  /**
   * Set-based: loads the families, cases and caseworkers the batch touches (one query per
   * table), folds the events over them in log order, writes each table once, and recomputes the
   * flags of every family an event touched once, from facts loaded in bulk.
   */
  async applyBatch(batch: readonly RecordedEvent[], m: EntityManager): Promise<void> {
    const events = identifiedEvents(batch, isCoordinationEvent).map((event) => ({
      id: event.id,
      event,
    }));
    const state = await loadState(
      m,
      events.map((e) => e.event),
    );
    const touched = new Set<string>();
    for (const { id, event } of events) {
      for (const familyId of foldEvent(state, id, event)) touched.add(familyId);
    }
    const familyIds = [...touched].sort();
    await writeState(m, state, familyIds);
    const facts = batchFacts(state, familyIds);
    const rows = familyIds.flatMap((familyId) => {
      const family = facts.get(familyId);
      if (!family) return [];
      return coordinationFlags(family, this.rules, this.deadline).map((flag) => ({
        family_id: familyId,
        code: flag.code,
        subject_id: flag.subjectId,
        since: flag.since,
        event_ids: flag.eventIds,
        department_ids: flag.departmentIds,
        details: flag.details,
      }));
    });
    await upsertRows(m, 'coordination_flags', FLAG_COLUMNS, rows, {
      key: ['family_id', 'code', 'subject_id'],
    });
  }
}

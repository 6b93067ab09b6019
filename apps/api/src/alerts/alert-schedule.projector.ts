import {
  isCaseEvent,
  isCaseworkerEvent,
  isFamilyEvent,
  isTransitionEvent,
  TRANSITION_EVENT_TYPES,
} from '@tovholder/domain';
import type { ProjectionEvent } from '@tovholder/event-store';
import { applyEvents, arrayLiteral, type ArrayWrite, type Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { dutyOfEvent, type RecordEvent } from '../casework/duty-kinds';

export const ALERT_SCHEDULE_PROJECTOR = 'alert-schedule';

/** A young person's transition: its events are kept on the schedule like a duty record's. */
export const TRANSITION_SUBJECT = 'transition';
/** A family: judged from the coordination projection's flags, not from events kept here. */
export const FAMILY_SUBJECT = 'family';
/** Marks to be resolved to families (and transitions) once the coordination projection has them. */
export const CASE_MARK = 'coordination-case';
export const CASEWORKER_MARK = 'coordination-caseworker';

/** A transition's row, which keeps its events. */
function transitionRowOf(event: RecordEvent): { kind: string; recordId: string } | null {
  if (isTransitionEvent(event)) return { kind: TRANSITION_SUBJECT, recordId: event.data.personId };
  return null;
}

/**
 * The rows an event marks: its duty record (whose events the casework projection keeps), its
 * family, or its case or caseworker to be resolved.
 */
function marksOf(event: RecordEvent): { kind: string; recordId: string }[] {
  const duty = dutyOfEvent(event.type);
  if (duty) return [{ kind: duty.kind, recordId: duty.recordIdOf(event) }];
  if (isFamilyEvent(event)) return [{ kind: FAMILY_SUBJECT, recordId: event.data.familyId }];
  if (isCaseEvent(event)) return [{ kind: CASE_MARK, recordId: event.data.caseId }];
  if (isCaseworkerEvent(event)) {
    return [{ kind: CASEWORKER_MARK, recordId: event.data.caseworkerId }];
  }
  return [];
}

const keyOf = (row: { kind: string; recordId: string }) => `${row.kind}:${row.recordId}`;

/**
 * The alert schedule: which subjects an event changed since the alert run last judged them.
 * Transitions keep their events here, so the run judges exactly what changed from the events
 * alone. Duty and coordination events only mark: a duty record's events are the casework
 * projection's (`casework_records`), a family's flags the coordination projection's, and a mark
 * carries the event's commit position so the run waits for that projection to have it (keeping
 * the duty events here as well cost a rebuild more than the casework records themselves). The run itself sets the next moment time alone changes the flags
 * (`next_due_at`: it depends on the clock, so it is not the projection's to compute). A rebuild
 * marks every subject changed: the run judges them again and, the ids being deterministic,
 * raises nothing twice.
 */
export class AlertScheduleProjector implements Projector {
  readonly name = ALERT_SCHEDULE_PROJECTOR;
  readonly tables = ['alert_schedule'];
  // The alert run's: a rebuild marks every row changed, so these are built once, after it.
  readonly queryOnlyIndexes = [
    'alert_schedule_changed',
    'alert_schedule_due',
    'alert_schedule_failed',
  ];

  handles(event: ProjectionEvent): boolean {
    return TRANSITION_EVENT_TYPES.has(event.type) || marksOf(event).length > 0;
  }

  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return applyEvents(this, [event], manager);
  }

  /**
   * A write for the batch's events and one for its marks: never the same rows (a transition's
   * events mark nothing), so they go as one statement.
   */
  batchWrites(batch: readonly ProjectionEvent[]): Promise<(ArrayWrite | null)[]> {
    const eventRows = new Map<string, { kind: string; record_id: string; events: RecordEvent[] }>();
    const marks = new Map<string, { kind: string; record_id: string; commit: string }>();
    for (const recorded of batch) {
      const event: RecordEvent = { id: recorded.id, type: recorded.type, data: recorded.data };
      const row = transitionRowOf(event);
      if (row) {
        const entry = eventRows.get(keyOf(row)) ?? {
          kind: row.kind,
          record_id: row.recordId,
          events: [],
        };
        entry.events.push(event);
        eventRows.set(keyOf(row), entry);
      }
      for (const mark of marksOf(event)) {
        // In log order, so the last is the latest position.
        const commit = recorded.position.commit.toString();
        marks.set(keyOf(mark), { kind: mark.kind, record_id: mark.recordId, commit });
      }
    }
    const rows = [...eventRows.values()];
    const marked = [...marks.values()];
    return Promise.resolve([
      rows.length === 0
        ? null
        : {
            // Appends the events not there already (a replay after a crash keeps them once). The
            // keys go as arrays and the events as one array of each row's, paired by position:
            // PostgreSQL took a third longer to take the same rows apart as JSON objects.
            sql: `INSERT INTO alert_schedule AS s (kind, record_id, events, version, changed)
         SELECT r.kind, r.record_id, e.events, 1, true
           FROM unnest($1::text[], $2::uuid[]) WITH ORDINALITY AS r(kind, record_id, n)
           JOIN json_array_elements($3::json) WITH ORDINALITY AS e(events, n) USING (n)
         ON CONFLICT (kind, record_id) DO UPDATE
           SET events = (s.events::jsonb || coalesce((
                 SELECT jsonb_agg(e ORDER BY n) FROM jsonb_array_elements(EXCLUDED.events::jsonb)
                   WITH ORDINALITY AS x(e, n)
                  WHERE NOT s.events::jsonb @> jsonb_build_array(jsonb_build_object('id', e->'id'))
               ), '[]'::jsonb))::json,
               version = s.version + 1, changed = true`,
            parameters: [
              arrayLiteral(rows.map((row) => row.kind)),
              arrayLiteral(rows.map((row) => row.record_id)),
              JSON.stringify(rows.map((row) => row.events)),
            ],
          },
      marked.length === 0
        ? null
        : {
            sql: `INSERT INTO alert_schedule AS s (kind, record_id, events, version, changed, mark_commit)
         SELECT kind, record_id, '[]'::json, 1, true, commit
           FROM unnest($1::text[], $2::uuid[], $3::bigint[]) AS r(kind, record_id, commit)
         ON CONFLICT (kind, record_id) DO UPDATE
           SET version = s.version + 1, changed = true,
               mark_commit = greatest(s.mark_commit, EXCLUDED.mark_commit)`,
            parameters: [
              arrayLiteral(marked.map((mark) => mark.kind)),
              arrayLiteral(marked.map((mark) => mark.record_id)),
              arrayLiteral(marked.map((mark) => mark.commit)),
            ],
          },
    ]);
  }
}

import { CASE_EVENT_TYPES, type CaseEvent } from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import type { Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import type { CaseworkPolicy } from './casework.policy';
import { dutyOfEvent, END_OF_TIME, type DutyKind, type RecordEvent } from './duty-kinds';
import { applyMonthEndChange, MONTH_END_TABLES, monthOfChange } from './month-ends';
import {
  applyRecordAggregateChange,
  RECORD_AGGREGATE_KEYS,
  RECORD_AGGREGATES,
  type AggregateKeys,
} from './record-aggregates';

export const CASEWORK_PROJECTOR = 'casework';

/**
 * Keeps each duty record's events together with the columns the figures read, the cases and
 * caseworker assignments over time, and from them the open cases and caseloads at month ends.
 */
export class CaseworkProjector implements Projector {
  readonly name = CASEWORK_PROJECTOR;
  readonly tables = [
    'casework_records',
    'casework_cases',
    'casework_assignments',
    ...Object.values(MONTH_END_TABLES),
    ...Object.values(RECORD_AGGREGATES).map((a) => a.table),
  ];

  constructor(private readonly policy: CaseworkPolicy) {}

  handles(event: RecordedEvent): boolean {
    return CASE_EVENT_TYPES.has(event.type) || dutyOfEvent(event.type) !== null;
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const duty = dutyOfEvent(recorded.type);
    if (duty) return this.applyToRecord(duty, recorded, manager);
    return this.applyToCase(recorded as unknown as CaseEvent, manager);
  }

  private async applyToRecord(
    duty: DutyKind<never>,
    recorded: RecordedEvent,
    manager: EntityManager,
  ): Promise<void> {
    const event: RecordEvent = { id: recorded.id, type: recorded.type, data: recorded.data };
    const recordId = duty.recordIdOf(event);
    // The record's keys in the per-month counts, before and after: see record-aggregates.ts.
    const [row] = await manager.query<({ events: RecordEvent[] } & AggregateKeys)[]>(
      `SELECT events, ${RECORD_AGGREGATE_KEYS} FROM casework_records r
        WHERE kind = $1 AND record_id = $2 FOR UPDATE`,
      [duty.kind, recordId],
    );
    const past = row?.events ?? [];
    if (past.some((e) => e.id === event.id)) return; // replayed after a crash
    const events = [...past, event];
    const facts = duty.fold(recordId, events);
    if (facts === null) return; // no opening event: nothing to show (cannot happen in order)
    const c = duty.columns(facts, this.policy);
    const outstanding = duty.flags(facts, END_OF_TIME, this.policy).length > 0;
    const [after] = await manager.query<AggregateKeys[]>(
      `INSERT INTO casework_records AS r (kind, record_id, events, outstanding, department_id, case_id,
         person_id, case_type, received_at, responded_at, done_at, application_date, due_on,
         outcome, appealed_at, board_outcome, board_ruled_at)
       VALUES ($1, $2, $3::jsonb, $4,
         coalesce($5, (SELECT department_id FROM casework_cases WHERE case_id = $6)),
         $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (kind, record_id) DO UPDATE SET
         events = EXCLUDED.events, outstanding = EXCLUDED.outstanding,
         department_id = EXCLUDED.department_id, case_id = EXCLUDED.case_id,
         person_id = EXCLUDED.person_id, case_type = EXCLUDED.case_type,
         received_at = EXCLUDED.received_at, responded_at = EXCLUDED.responded_at,
         done_at = EXCLUDED.done_at, application_date = EXCLUDED.application_date,
         due_on = EXCLUDED.due_on, outcome = EXCLUDED.outcome,
         appealed_at = EXCLUDED.appealed_at, board_outcome = EXCLUDED.board_outcome,
         board_ruled_at = EXCLUDED.board_ruled_at
       RETURNING ${RECORD_AGGREGATE_KEYS}`,
      [
        duty.kind,
        recordId,
        JSON.stringify(events),
        outstanding,
        c.departmentId,
        c.caseId,
        c.personId,
        c.caseType,
        c.receivedAt,
        c.respondedAt,
        c.doneAt,
        c.applicationDate,
        c.dueOn,
        c.outcome,
        c.appealedAt,
        c.boardOutcome,
        c.boardRuledAt,
      ],
    );
    if (after) await applyRecordAggregateChange(manager, row, after);
  }

  private async applyToCase(event: CaseEvent, manager: EntityManager): Promise<void> {
    // Each statement returns what it changed (nothing if the row was there already or the case
    // is unknown) with the month from whose end that counts, for the month-end counts. UPDATEs
    // are wrapped in a SELECT: TypeORM returns an UPDATE's rows together with its row count.
    const closeAssignment = async (caseId: string, at: string) => {
      const ended = await manager.query<
        { department_id: string; caseworker_id: string; month: string }[]
      >(
        `WITH ended AS (
           UPDATE casework_assignments SET to_at = $2 WHERE case_id = $1 AND to_at IS NULL
           RETURNING department_id, caseworker_id, ${monthOfChange('to_at')}::text AS month
         ) SELECT * FROM ended`,
        [caseId, at],
      );
      for (const row of ended) await this.changeCaseload(manager, row, -1);
    };
    const assign = async (caseId: string, caseworkerId: string, at: string) => {
      const started = await manager.query<
        { department_id: string; caseworker_id: string; month: string }[]
      >(
        `INSERT INTO casework_assignments (case_id, caseworker_id, department_id, from_at)
         SELECT $1, $2, department_id, $3 FROM casework_cases WHERE case_id = $1
         ON CONFLICT DO NOTHING
         RETURNING department_id, caseworker_id, ${monthOfChange('from_at')}::text AS month`,
        [caseId, caseworkerId, at],
      );
      for (const row of started) await this.changeCaseload(manager, row, 1);
    };
    switch (event.type) {
      case 'CaseOpened': {
        const opened = await manager.query<{ department_id: string; month: string }[]>(
          `INSERT INTO casework_cases (case_id, department_id, case_type, opened_at)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
           RETURNING department_id, ${monthOfChange('opened_at')}::text AS month`,
          [event.data.caseId, event.data.departmentId, event.data.caseType, event.data.openedAt],
        );
        for (const row of opened) {
          await applyMonthEndChange(manager, {
            of: 'open',
            departmentId: row.department_id,
            month: row.month,
            by: 1,
          });
        }
        return;
      }
      case 'CaseworkerAssigned':
        await assign(event.data.caseId, event.data.caseworkerId, event.data.assignedAt);
        return;
      case 'CaseworkerChanged':
        await closeAssignment(event.data.caseId, event.data.changedAt);
        await assign(event.data.caseId, event.data.toCaseworkerId, event.data.changedAt);
        return;
      case 'CaseClosed': {
        await closeAssignment(event.data.caseId, event.data.closedAt);
        // Only an open case closes (the decider's rule): a replayed close changes nothing.
        const closed = await manager.query<{ department_id: string; month: string }[]>(
          `WITH closed AS (
             UPDATE casework_cases SET closed_at = $2 WHERE case_id = $1 AND closed_at IS NULL
             RETURNING department_id, ${monthOfChange('closed_at')}::text AS month
           ) SELECT * FROM closed`,
          [event.data.caseId, event.data.closedAt],
        );
        for (const row of closed) {
          await applyMonthEndChange(manager, {
            of: 'open',
            departmentId: row.department_id,
            month: row.month,
            by: -1,
          });
        }
        return;
      }
      case 'CitizenToldOfCaseworkerChange':
        return;
    }
  }

  private changeCaseload(
    manager: EntityManager,
    row: { department_id: string; caseworker_id: string; month: string },
    by: 1 | -1,
  ): Promise<void> {
    return applyMonthEndChange(manager, {
      of: 'caseload',
      departmentId: row.department_id,
      caseworkerId: row.caseworker_id,
      month: row.month,
      by,
    });
  }
}

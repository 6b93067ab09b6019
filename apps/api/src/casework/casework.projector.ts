import { CASE_EVENT_TYPES, caseStream, type CaseEvent, isCaseEvent } from '@tovholder/domain';
import type { ProjectionEvent } from '@tovholder/event-store';
import {
  arrayLiteral,
  sliceBy,
  upsertArrays,
  WithQueries,
  type ArrayWrite,
  type PreparedBatch,
  type Projector,
} from '@tovholder/read-models';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EntityManager } from 'typeorm';
import { identifiedEvent } from '../shared/aggregate-stream';
import type { CaseworkPolicy } from './casework.policy';
import {
  DUTIES,
  dutyOfEvent,
  isOutstanding,
  type DutyKind,
  type DutyKindName,
  type RecordEvent,
} from './duty-kinds';
import {
  addMonthEndChanges,
  CARRY_RULE,
  carryIfDue,
  carryPendingChanges,
  MONTH_END_TABLES,
  PENDING_MONTH_END_TABLES,
  type CarryRule,
  type MonthEndChange,
  type PendingChanges,
} from './month-ends';
import {
  COUNTED_KINDS,
  dropZeroCounts,
  moveRecordCounts,
  RECORD_AGGREGATE_REFILL_SQL,
  RECORD_AGGREGATE_KEYS,
  RECORD_AGGREGATES,
} from './record-aggregates';

export const CASEWORK_PROJECTOR = 'casework';

/** Asked of every event a rebuild reads: one lookup. */
const HANDLED_TYPES: ReadonlySet<string> = new Set([
  ...CASE_EVENT_TYPES,
  ...Object.values(DUTIES).flatMap((duty) => [...duty.eventTypes]),
]);

interface CaseRow {
  case_id: string;
  department_id: string;
  case_type: string;
  opened_at: string | Date;
  closed_at: string | Date | null;
}

interface AssignmentRow {
  case_id: string;
  caseworker_id: string;
  department_id: string;
  from_at: string | Date;
  to_at: string | Date | null;
}

/** An assignment's columns beside its case's, as the batch's load reads them (null: none). */
interface StoredAssignment {
  caseworker_id: string | null;
  assignment_department_id: string | null;
  from_at: string | Date | null;
  to_at: string | Date | null;
}

/** A case as a batch folds it: its row, its assignments, and what changed. */
interface CaseState {
  row: CaseRow | null;
  /** Index in the batch of the event that opened it; -1 when it was stored before the batch. */
  openedAt: number;
  rowChanged: boolean;
  assignments: { row: AssignmentRow; changed: boolean }[];
}

const CASE_COLUMNS = {
  case_id: 'uuid',
  department_id: 'text',
  case_type: 'text',
  opened_at: 'timestamptz',
  closed_at: 'timestamptz',
} as const;

const ASSIGNMENT_COLUMNS = {
  case_id: 'uuid',
  caseworker_id: 'uuid',
  department_id: 'text',
  from_at: 'timestamptz',
  to_at: 'timestamptz',
} as const;

/** A record's columns other than its facts and kept events, as PostgreSQL types. */
const RECORD_COLUMNS = {
  kind: 'text',
  record_id: 'uuid',
  outstanding: 'boolean',
  department_id: 'text',
  case_id: 'uuid',
  person_id: 'uuid',
  case_type: 'text',
  received_at: 'timestamptz',
  responded_at: 'timestamptz',
  done_at: 'timestamptz',
  application_date: 'date',
  due_on: 'date',
  outcome: 'text',
  appealed_at: 'timestamptz',
  board_outcome: 'text',
  board_ruled_at: 'timestamptz',
  last_revision: 'integer',
} as const;
const RECORD_COLUMN_NAMES = Object.keys(RECORD_COLUMNS) as (keyof typeof RECORD_COLUMNS)[];

type RecordRow = { [column in keyof typeof RECORD_COLUMNS]: string | boolean | number | null } & {
  kind: DutyKindName;
  department_id: string | null;
  case_id: string | null;
  facts: unknown;
  /** The events the batch adds, for a kind that keeps them (`DutyKind.keepsEvents`); else none. */
  events: RecordEvent[];
  /** Whether it was stored before the batch (loaded, or written by the batch before). */
  stored: boolean;
};

/**
 * A record as the projection keeps it: the facts its events fold into, and the revision in its
 * stream of the last event folded in (an event at or before it is a replay and changes nothing).
 */
interface RecordState {
  /** Of whichever kind the record is (see DUTIES): read back as the kind's fold wrote it. */
  readonly facts: never;
  readonly lastRevision: number;
}

/*
 * The batch's records: the columns as one array each (unnest), the facts as one JSON array and
 * the kept events as another (each record's new ones), paired by position. A record keeps its
 * facts, not its events: a stored record is folded on from them, so a batch that meets it again
 * (a case's journal, met year after year in a log of live use) neither reads nor writes its
 * history again. Kept events (meetings) are appended to the stored ones as text. Sent as JSON
 * objects (json_to_recordset) the same rows took PostgreSQL about three times as long: it took
 * every object apart, where json_array_elements only finds where each element begins and ends.
 *
 * As WITH queries of the batch's statement: `records_before` holds the keys in the per-month
 * counts of the records stored before it (the statement sees the rows as they stood), and
 * `records_after` those of every record it writes (see record-aggregates.ts).
 */
const RECORDS_INPUT = `SELECT ${RECORD_COLUMN_NAMES.map((n) => `x.${n}`).join(', ')}, f.facts, e.events
    FROM unnest(${RECORD_COLUMN_NAMES.map((n, i) => `$${i + 1}::${RECORD_COLUMNS[n]}[]`).join(', ')})
         WITH ORDINALITY AS x(${RECORD_COLUMN_NAMES.join(', ')}, n)
    JOIN json_array_elements($${RECORD_COLUMN_NAMES.length + 1}::json) WITH ORDINALITY AS f(facts, n)
      USING (n)
    JOIN json_array_elements($${RECORD_COLUMN_NAMES.length + 2}::json) WITH ORDINALITY AS e(events, n)
      USING (n)`;

const RECORDS_BEFORE = `SELECT r.kind, r.record_id, ${RECORD_AGGREGATE_KEYS}
    FROM casework_records r JOIN unnest($1::text[], $2::uuid[]) AS x(kind, record_id)
      ON r.kind = x.kind AND r.record_id = x.record_id`;

const RECORDS_UPSERT = `INSERT INTO casework_records AS r (${RECORD_COLUMN_NAMES.join(', ')}, facts, events)
  SELECT * FROM records_input
  ON CONFLICT (kind, record_id) DO UPDATE SET
    ${RECORD_COLUMN_NAMES.filter((n) => n !== 'kind' && n !== 'record_id')
      .map((n) => `${n} = EXCLUDED.${n}`)
      .join(', ')},
    facts = EXCLUDED.facts,
    events = CASE WHEN EXCLUDED.events::text = '[]' THEN r.events
      WHEN r.events::text = '[]' THEN EXCLUDED.events
      ELSE (left(rtrim(r.events::text), -1) || ',' || substr(EXCLUDED.events::text, 2))::json END
    -- A record taken as new without asking (see foldRecords) that is stored after all holds these
    -- events already: it stays as it is, and out of RETURNING, so its counts do not move.
    WHERE r.last_revision < EXCLUDED.last_revision`;

const RECORDS_AFTER = `${RECORDS_UPSERT}
  RETURNING r.kind, r.record_id, ${RECORD_AGGREGATE_KEYS}`;

/**
 * Keeps each duty record's facts together with the columns the figures read, the cases and
 * caseworker assignments over time, and from them the open cases and caseloads at month ends.
 * Set-based: a batch loads the cases and records it touches (one query per table), folds them in
 * memory in log order, and writes each table once, with the month-end and per-month counts
 * changed by the batch's sums.
 */
export class CaseworkProjector implements Projector {
  readonly name = CASEWORK_PROJECTOR;
  readonly tables = [
    'casework_records',
    'casework_cases',
    'casework_assignments',
    ...Object.values(MONTH_END_TABLES),
    ...Object.values(PENDING_MONTH_END_TABLES),
    ...Object.values(RECORD_AGGREGATES).map((a) => a.table),
  ];
  /**
   * A rebuild folds each record's stream at once (a journal's events spread over the years of a
   * log), after the cases: a record without a department of its own takes its case's.
   */
  readonly streamOrder = [[caseStream('')], Object.values(DUTIES).map((duty) => duty.stream(''))];
  readonly queryOnlyIndexes = [
    'casework_records_outstanding',
    'casework_records_case',
    'casework_records_received',
    'casework_records_done',
    'casework_records_ruled',
    'casework_cases_department',
    'casework_assignments_department',
  ];

  constructor(
    private readonly policy: CaseworkPolicy,
    /** When the month-end changes are carried in (tests carry rarely, to read them pending). */
    private readonly carryRule: CarryRule = CARRY_RULE,
  ) {}

  /**
   * After a rebuild's first catch-up, whose batches count nothing: the per-month counts anew,
   * at once from the records, as the migration's backfill computes them (a batch applied the
   * careful way counted). Per batch they were a fifth of casework's rebuild of an
   * import-shaped million events (4 s of 20).
   */
  async completeBulk(manager: EntityManager): Promise<void> {
    for (const statement of RECORD_AGGREGATE_REFILL_SQL) await manager.query(statement);
  }

  /** Caught up: the month-end changes still pending are carried in (see month-ends.ts). */
  settle(manager: EntityManager): Promise<void> {
    return carryPendingChanges(manager);
  }

  handles(event: ProjectionEvent): boolean {
    return HANDLED_TYPES.has(event.type);
  }

  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return this.applyBatch([event], manager);
  }

  async applyBatch(batch: readonly ProjectionEvent[], manager: EntityManager): Promise<void> {
    const prepared = await this.prepareBatch(batch, manager, null);
    await prepared.write(manager);
  }

  /**
   * Loads and folds the batch. The rows `previous` touched are taken from it, not loaded: its
   * write may not have committed yet, and the rest it did not change.
   */
  async prepareBatch(
    batch: readonly ProjectionEvent[],
    manager: EntityManager,
    previous: PreparedBatch | null,
    bulk = false,
  ): Promise<CaseworkBatch> {
    const before = previous instanceof CaseworkBatch ? previous : null;
    const recordEvents: RecordEventInBatch[] = [];
    const caseEvents: { index: number; event: CaseEvent }[] = [];
    batch.forEach((recorded, index) => {
      const duty = dutyOfEvent(recorded.type);
      if (duty) {
        recordEvents.push({
          index,
          duty,
          event: { id: recorded.id, type: recorded.type, data: recorded.data },
          revision: recorded.revision,
        });
      } else {
        caseEvents.push({ index, event: identifiedEvent(recorded, isCaseEvent) });
      }
    });
    // A turn of the event loop between the fold's stretches: the batch before's write gets its
    // answers (statement, commit) then, not only once the whole fold is done, when waiting for
    // them was most of a rebuild's critical path.
    await nextTurn();
    const cases = await this.foldCases(caseEvents, manager, before);
    await nextTurn();
    const records = await this.foldRecords(recordEvents, cases.states, manager, before);
    await nextTurn();
    return new CaseworkBatch(cases, records, this.carryRule, !bulk);
  }

  /** Cases, assignments and month ends, folded; the cases also give the records' departments. */
  private async foldCases(
    caseEvents: readonly { index: number; event: CaseEvent }[],
    manager: EntityManager,
    previous: CaseworkBatch | null,
  ): Promise<FoldedCases> {
    const caseIds = new Set(caseEvents.map(({ event }) => event.data.caseId));
    const states = new Map<string, CaseState>();
    const monthEnds: MonthEndChange[] = [];
    if (caseIds.size === 0) return { states, changedCases: [], changedAssignments: [], monthEnds };
    const toLoad: string[] = [];
    for (const caseId of caseIds) {
      const known = previous?.cases.states.get(caseId);
      if (known) states.set(caseId, storedState(known));
      else toLoad.push(caseId);
    }
    // One query for both tables: an assignment is only ever written for a stored case, so the
    // assignments are those of the cases found (by index, however few or many the rows).
    const stored =
      toLoad.length === 0
        ? []
        : await manager.query<(CaseRow & StoredAssignment)[]>(
            `SELECT c.case_id, c.department_id, c.case_type, c.opened_at, c.closed_at, a.caseworker_id, a.department_id AS assignment_department_id, a.from_at, a.to_at
         FROM casework_cases c LEFT JOIN casework_assignments a ON a.case_id = c.case_id
        WHERE c.case_id = ANY($1::uuid[])`,
            [arrayLiteral(toLoad)],
          );
    for (const row of stored) {
      let state = states.get(row.case_id);
      if (!state) {
        const { case_id, department_id, case_type, opened_at, closed_at } = row;
        state = {
          row: { case_id, department_id, case_type, opened_at, closed_at },
          openedAt: -1,
          rowChanged: false,
          assignments: [],
        };
        states.set(row.case_id, state);
      }
      const { caseworker_id, assignment_department_id, from_at } = row;
      if (caseworker_id === null || assignment_department_id === null || from_at === null) continue;
      state.assignments.push({
        row: {
          case_id: row.case_id,
          caseworker_id,
          department_id: assignment_department_id,
          from_at,
          to_at: row.to_at,
        },
        changed: false,
      });
    }
    const stateOf = (caseId: string): CaseState => {
      let state = states.get(caseId);
      if (!state) {
        state = { row: null, openedAt: -1, rowChanged: false, assignments: [] };
        states.set(caseId, state);
      }
      return state;
    };

    const closeAssignment = (state: CaseState, at: string): void => {
      for (const assignment of state.assignments) {
        if (assignment.row.to_at !== null) continue;
        assignment.row = { ...assignment.row, to_at: at };
        assignment.changed = true;
        monthEnds.push({
          of: 'caseload',
          departmentId: assignment.row.department_id,
          caseworkerId: assignment.row.caseworker_id,
          at,
          by: -1,
        });
      }
    };
    const assign = (state: CaseState, caseId: string, caseworkerId: string, at: string): void => {
      if (!state.row) return; // an unknown case has no department to count under
      const from = new Date(at).getTime();
      const known = state.assignments.some(
        (a) => a.row.caseworker_id === caseworkerId && new Date(a.row.from_at).getTime() === from,
      );
      if (known) return; // replayed after a crash
      const departmentId = state.row.department_id;
      state.assignments.push({
        row: {
          case_id: caseId,
          caseworker_id: caseworkerId,
          department_id: departmentId,
          from_at: at,
          to_at: null,
        },
        changed: true,
      });
      monthEnds.push({ of: 'caseload', departmentId, caseworkerId, at, by: 1 });
    };
    for (const { index, event } of caseEvents) {
      const state = stateOf(event.data.caseId);
      switch (event.type) {
        case 'CaseOpened':
          if (state.row) break; // opened already: a replay changes nothing
          state.row = {
            case_id: event.data.caseId,
            department_id: event.data.departmentId,
            case_type: event.data.caseType,
            opened_at: event.data.openedAt,
            closed_at: null,
          };
          state.openedAt = index;
          state.rowChanged = true;
          monthEnds.push({
            of: 'open',
            departmentId: event.data.departmentId,
            at: event.data.openedAt,
            by: 1,
          });
          break;
        case 'CaseworkerAssigned':
          assign(state, event.data.caseId, event.data.caseworkerId, event.data.assignedAt);
          break;
        case 'CaseworkerChanged':
          closeAssignment(state, event.data.changedAt);
          assign(state, event.data.caseId, event.data.toCaseworkerId, event.data.changedAt);
          break;
        case 'CaseClosed':
          closeAssignment(state, event.data.closedAt);
          // Only an open case closes (the decider's rule): a replayed close changes nothing.
          if (state.row && state.row.closed_at === null) {
            state.row = { ...state.row, closed_at: event.data.closedAt };
            state.rowChanged = true;
            monthEnds.push({
              of: 'open',
              departmentId: state.row.department_id,
              at: event.data.closedAt,
              by: -1,
            });
          }
          break;
        case 'CitizenToldOfCaseworkerChange':
          break;
      }
    }
    const changedCases = [...states.values()].flatMap((s) =>
      s.rowChanged && s.row ? [s.row] : [],
    );
    const changedAssignments = [...states.values()].flatMap((s) =>
      s.assignments.filter((a) => a.changed).map((a) => a.row),
    );
    return { states, changedCases, changedAssignments, monthEnds };
  }

  private async foldRecords(
    recordEvents: readonly RecordEventInBatch[],
    cases: ReadonlyMap<string, CaseState>,
    manager: EntityManager,
    previous: CaseworkBatch | null,
  ): Promise<FoldedRecords> {
    const folded: FoldedRecords = { rows: [], states: new Map() };
    if (recordEvents.length === 0) return folded;
    const slices = sliceBy(
      recordEvents,
      ({ duty, event }) => `${duty.kind}:${duty.recordIdOf(event)}`,
    );
    const keys = [...slices].flatMap(([key, slice]) => {
      const first = slice[0];
      if (!first) throw new Error('empty slice');
      if (previous?.records.states.has(key)) return [];
      // Its stream's first event: a batch holds only events past the checkpoint, which moves with
      // the rows, so nothing of the record is stored (a rebuild's records are nearly all so).
      if (first.revision === 0) return [];
      return [{ kind: first.duty.kind, record_id: first.duty.recordIdOf(first.event) }];
    });
    const stored =
      keys.length === 0
        ? []
        : await manager.query<
            { kind: string; record_id: string; facts: never; last_revision: number }[]
          >(
            `SELECT r.kind, r.record_id, r.facts, r.last_revision
         FROM casework_records r JOIN unnest($1::text[], $2::uuid[]) AS x(kind, record_id)
           ON r.kind = x.kind AND r.record_id = x.record_id`,
            [arrayLiteral(keys.map((k) => k.kind)), arrayLiteral(keys.map((k) => k.record_id))],
          );
    const loaded = new Map(
      stored.map((row): [string, RecordState] => [
        `${row.kind}:${row.record_id}`,
        { facts: row.facts, lastRevision: row.last_revision },
      ]),
    );
    const { rows, states } = folded;
    const otherCases = new Set<string>(); // cases the batch did not touch
    for (const [key, slice] of slices) {
      const first = slice[0];
      if (!first) continue;
      const { duty } = first;
      const recordId = duty.recordIdOf(first.event);
      const before = previous?.records.states.get(key) ?? loaded.get(key);
      // Replayed after a crash: at or before the stored record's last revision.
      const fresh = before ? slice.filter((e) => e.revision > before.lastRevision) : slice;
      // A record not stored yet opens with its first event that gives facts; any before it
      // gives none and is not folded in (it cannot happen in order). A stored record is opened.
      const opening = before
        ? 0
        : fresh.findIndex(({ event }) => duty.fold(recordId, [event]) !== null);
      const folded = opening < 0 ? [] : fresh.slice(opening);
      const last = folded.at(-1);
      if (!last) continue;
      // One fold for all of them: a journal's facts are taken apart once, not per event.
      const facts = duty.fold(
        recordId,
        folded.map(({ event }) => event),
        before?.facts ?? null,
      );
      if (facts === null) continue;
      const { index: lastIndex, revision: lastRevision } = last;
      const c = duty.columns(facts, this.policy);
      const caseState = c.caseId ? cases.get(c.caseId) : undefined;
      if (!c.departmentId && c.caseId && !caseState) otherCases.add(c.caseId);
      states.set(key, { facts, lastRevision });
      // Without a department of its own, the record takes its case's as it stood at its last event.
      const caseDepartment =
        caseState?.row && caseState.openedAt < lastIndex ? caseState.row.department_id : null;
      rows.push({
        kind: duty.kind,
        record_id: recordId,
        facts,
        events: duty.keepsEvents ? folded.map(({ event }) => event) : [],
        stored: before !== undefined,
        last_revision: lastRevision,
        outstanding: isOutstanding(duty, facts, this.policy),
        department_id: c.departmentId ?? caseDepartment,
        case_id: c.caseId,
        person_id: c.personId,
        case_type: c.caseType,
        received_at: c.receivedAt,
        responded_at: c.respondedAt,
        done_at: c.doneAt,
        application_date: c.applicationDate,
        due_on: c.dueOn,
        outcome: c.outcome,
        appealed_at: c.appealedAt,
        board_outcome: c.boardOutcome,
        board_ruled_at: c.boardRuledAt,
      });
    }
    if (rows.length === 0) return folded;
    const byCase = new Map<string, string>();
    for (const caseId of otherCases) {
      const department = previous?.cases.states.get(caseId)?.row?.department_id;
      if (department === undefined) continue;
      byCase.set(caseId, department);
      otherCases.delete(caseId);
    }
    if (otherCases.size > 0) {
      const departments = await manager.query<{ case_id: string; department_id: string }[]>(
        'SELECT case_id, department_id FROM casework_cases WHERE case_id = ANY($1::uuid[])',
        [[...otherCases]],
      );
      for (const d of departments) byCase.set(d.case_id, d.department_id);
    }
    if (byCase.size > 0) {
      for (const row of rows) {
        if (row.department_id === null && row.case_id !== null) {
          row.department_id = byCase.get(row.case_id) ?? null;
        }
      }
    }
    return folded;
  }
}

/** A case the batch before left, as this batch starts from it (its changes already counted). */
function storedState(state: CaseState): CaseState {
  return {
    row: state.row,
    openedAt: -1,
    rowChanged: false,
    assignments: state.assignments.map(({ row }) => ({ row, changed: false })),
  };
}

interface FoldedCases {
  /** Every case the batch touched, as it leaves it. */
  readonly states: ReadonlyMap<string, CaseState>;
  readonly changedCases: readonly CaseRow[];
  readonly changedAssignments: readonly AssignmentRow[];
  readonly monthEnds: readonly MonthEndChange[];
}

interface FoldedRecords {
  readonly rows: RecordRow[];
  /** Every record the batch writes, as it leaves it. */
  readonly states: Map<string, RecordState>;
}

/** A duty record's event in a batch: where in the batch, and where in the record's stream. */
interface RecordEventInBatch {
  readonly index: number;
  readonly duty: DutyKind<never>;
  readonly event: RecordEvent;
  readonly revision: number;
}

/**
 * A casework batch loaded and folded. The next batch takes the cases and records it touched
 * from here (see `Projector.prepareBatch`).
 */
class CaseworkBatch implements PreparedBatch {
  /** Built as the batch is prepared, while the batch before is written: not on the write's path. */
  private readonly statement: ArrayWrite | null;

  constructor(
    readonly cases: FoldedCases,
    readonly records: FoldedRecords,
    private readonly carryRule: CarryRule,
    /** Whether it moves the per-month counts (not when bulk: `completeBulk`). */
    counts: boolean,
  ) {
    this.statement = writeStatement(cases, records.rows, counts);
  }

  /**
   * One statement for every table, so the batch's transaction makes as few round trips as it
   * can: each one waits its turn in the event loop behind the next batch's fold. Then, only when
   * they are due, the counts that came to 0 are deleted and the pending month-end changes carried
   * in: both need the statement's rows.
   */
  async write(manager: EntityManager): Promise<void> {
    if (!this.statement) return;
    const [written] = await manager.query<
      { pending: PendingChanges | null; zeros: ({ k: unknown[] }[] | null)[] | null }[]
    >(this.statement.sql, [...this.statement.parameters]);
    if (written?.zeros) await dropZeroCounts(manager, written.zeros);
    await carryIfDue(manager, written?.pending ?? null, this.carryRule);
  }
}

/**
 * The batch's writes as one statement, selecting the pending month-end changes as they then
 * stand and the counts that came to 0; null when it writes nothing.
 */
function writeStatement(
  cases: FoldedCases,
  rows: readonly RecordRow[],
  counts: boolean,
): ArrayWrite | null {
  const { changedCases, changedAssignments, monthEnds } = cases;
  const statement = new WithQueries();
  const caseRows = upsertArrays('casework_cases', CASE_COLUMNS, changedCases, {
    key: ['case_id'],
    update: ['closed_at'],
  });
  if (caseRows) statement.add('cases', caseRows);
  const assignments = upsertArrays('casework_assignments', ASSIGNMENT_COLUMNS, changedAssignments, {
    key: ['case_id', 'from_at', 'caseworker_id'],
    update: ['to_at'],
  });
  if (assignments) statement.add('assignments', assignments);
  const pending = addMonthEndChanges(statement, monthEnds);
  let zeros: string | null = null;
  if (rows.length > 0) {
    statement.add('records_input', {
      sql: RECORDS_INPUT,
      parameters: [
        ...RECORD_COLUMN_NAMES.map((name) => arrayLiteral(rows.map((row) => row[name]))),
        JSON.stringify(rows.map((row) => row.facts)),
        JSON.stringify(rows.map((row) => row.events)),
      ],
    });
    if (counts) {
      // Only stored records of a counted kind had keys before: a rebuild's are nearly all new,
      // and a journal met again counts nowhere.
      const stored = rows.filter((row) => row.stored && COUNTED_KINDS.has(row.kind));
      statement.add('records_before', {
        sql: RECORDS_BEFORE,
        parameters: [
          arrayLiteral(stored.map((row) => row.kind)),
          arrayLiteral(stored.map((row) => row.record_id)),
        ],
      });
      statement.add('records_after', { sql: RECORDS_AFTER, parameters: [] });
      zeros = moveRecordCounts(statement, 'records_before', 'records_after');
    } else {
      statement.add('records_written', { sql: RECORDS_UPSERT, parameters: [] });
    }
  }
  if (statement.empty) return null;
  return statement.statement(
    `SELECT ${pending ?? 'NULL::json'} AS pending, ${zeros ?? 'NULL::json'} AS zeros`,
  );
}

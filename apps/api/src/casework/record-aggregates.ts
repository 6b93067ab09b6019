import type { EntityManager } from 'typeorm';
import { runArrayWrites, type WithQueries } from '@tovholder/read-models';
import type { DutyKindName } from './duty-kinds';

/*
 * Counts of duty records per department and Danish month, kept as the records change so the
 * management figures read a few rows per department and month instead of every record a year
 * holds (national size: ~20 times the records, about as many aggregate rows).
 *
 * A record counts in at most one row of each table: its key, computed in SQL from the record's
 * row by the same expressions for the projector (the row before and after an event) and for the
 * backfill (all rows at once). A count of 0 has no row. Keys are exact values, not ranges, so
 * every figure comes out as the plain count over the records gave it:
 * - inquiries by the whole hours to the first response, rounded up (null: none yet): `response
 *   <= received + N hours` is `hours <= N` for a whole N, whatever INQUIRY_ACK_HOURS is;
 * - first decisions by their days from the application date (integers), so percentiles come
 *   from the counts exactly as percentile_cont over the records gave them;
 * - board rulings by whether they changed the decision or sent it back.
 */

const MONTH = (column: string) =>
  `date_trunc('month', r.${column} AT TIME ZONE 'Europe/Copenhagen')::date`;
const DANISH_DATE = (column: string) => `(r.${column} AT TIME ZONE 'Europe/Copenhagen')::date`;

interface KeyColumn {
  readonly column: string;
  readonly type: 'date' | 'text' | 'int' | 'boolean';
  /** Over a `casework_records` row aliased `r`. */
  readonly value: string;
}

export interface RecordAggregate {
  readonly table: string;
  /** The kind of record it counts. */
  readonly kind: DutyKindName;
  /** Which records of that kind count (over `r`). */
  readonly counts: string;
  readonly keys: readonly KeyColumn[];
  /** The column holding the count. */
  readonly count: string;
}

export const RECORD_AGGREGATES = {
  inquiries: {
    table: 'casework_inquiries_by_response_hours',
    kind: 'inquiry',
    counts: `r.received_at IS NOT NULL AND r.department_id IS NOT NULL`,
    keys: [
      { column: 'month', type: 'date', value: MONTH('received_at') },
      { column: 'department_id', type: 'text', value: 'r.department_id' },
      {
        column: 'response_hours',
        type: 'int',
        value: `ceil(extract(epoch FROM r.responded_at - r.received_at) / 3600)::int`,
      },
    ],
    count: 'inquiries',
  },
  decisions: {
    table: 'casework_decisions_by_days',
    kind: 'application',
    counts: `r.done_at IS NOT NULL AND r.department_id IS NOT NULL`,
    keys: [
      { column: 'month', type: 'date', value: MONTH('done_at') },
      { column: 'department_id', type: 'text', value: 'r.department_id' },
      { column: 'case_type', type: 'text', value: 'r.case_type' },
      { column: 'days', type: 'int', value: `${DANISH_DATE('done_at')} - r.application_date` },
      { column: 'published_days', type: 'int', value: 'r.due_on - r.application_date' },
      {
        column: 'within',
        type: 'boolean',
        value: `coalesce(${DANISH_DATE('done_at')} <= r.due_on, false)`,
      },
    ],
    count: 'decisions',
  },
  appeals: {
    table: 'casework_board_rulings_by_outcome',
    kind: 'application',
    counts: `r.board_ruled_at IS NOT NULL AND r.department_id IS NOT NULL`,
    keys: [
      { column: 'month', type: 'date', value: MONTH('board_ruled_at') },
      { column: 'department_id', type: 'text', value: 'r.department_id' },
      {
        column: 'changed',
        type: 'boolean',
        value: `coalesce(r.board_outcome IN ('changed', 'sent-back'), false)`,
      },
    ],
    count: 'rulings',
  },
} as const satisfies Record<string, RecordAggregate>;

const AGGREGATES: readonly RecordAggregate[] = Object.values(RECORD_AGGREGATES);

/** The kinds of record some table counts: only their keys can move. */
export const COUNTED_KINDS: ReadonlySet<DutyKindName> = new Set(AGGREGATES.map((a) => a.kind));

/** The key (a JSON array) a record counts under in each table, or null: a select list over `r`. */
export const RECORD_AGGREGATE_KEYS = AGGREGATES.map(
  (a, i) =>
    `CASE WHEN r.kind = '${a.kind}' AND ${a.counts} THEN jsonb_build_array(${a.keys.map((k) => k.value).join(', ')}) END AS aggregate_${i}`,
).join(',\n  ');

/**
 * Moves the counts of the records a statement writes from the keys they had (the WITH query
 * `before`, with a row only for records stored before it) to those they have now (`after`),
 * summed per key first: a WITH query per table, of the same statement. Nothing changes for most
 * events (an inquiry answered, a notice sent): their record keeps its keys. Returns an
 * expression for the statement's select list: the keys whose count came to 0, per table (JSON),
 * for `dropZeroCounts`.
 */
export function moveRecordCounts(statement: WithQueries, before: string, after: string): string {
  const zeros = AGGREGATES.map((a, i) => {
    const columns = a.keys.map((k) => k.column).join(', ');
    const key = `aggregate_${i}`;
    statement.add(`counted_${i}`, {
      sql: `INSERT INTO ${a.table} AS t (${columns}, ${a.count})
       SELECT ${keyValues(a, 's.k')}, s.by FROM (
         SELECT k, sum(by)::int AS by FROM (
           SELECT ${key} AS k, 1 AS by FROM ${after} WHERE ${key} IS NOT NULL
           UNION ALL
           SELECT ${key}, -1 FROM ${before} WHERE ${key} IS NOT NULL
         ) c GROUP BY k HAVING sum(by) <> 0
       ) s
       ON CONFLICT (${columns}) DO UPDATE SET ${a.count} = t.${a.count} + EXCLUDED.${a.count}
       RETURNING ${a.keys.map((k) => `t.${k.column}`).join(', ')}, t.${a.count}`,
      parameters: [],
    });
    return `(SELECT json_agg(json_build_object('k', json_build_array(${columns}))) FROM counted_${i} WHERE ${a.count} = 0)`;
  });
  return `json_build_array(${zeros.join(', ')})`;
}

/** Deletes the counts that came to 0 (as `moveRecordCounts` gave them): a count of 0 has no row. */
export async function dropZeroCounts(
  manager: EntityManager,
  zeros: readonly (readonly { k: unknown[] }[] | null)[],
): Promise<void> {
  await runArrayWrites(
    manager,
    AGGREGATES.map((aggregate, i) => {
      const keys = zeros[i];
      return keys ? { sql: dropZeros(aggregate), parameters: [JSON.stringify(keys)] } : null;
    }),
  );
}

/** A key's columns from the JSON array `key`. */
const keyValues = (a: RecordAggregate, key: string) =>
  a.keys.map((k, i) => `(${key}->>${i})::${k.type} AS ${k.column}`).join(', ');

function dropZeros(a: RecordAggregate): string {
  const same = a.keys.map((k) => `t.${k.column} IS NOT DISTINCT FROM c.${k.column}`).join(' AND ');
  return `DELETE FROM ${a.table} t
      USING (SELECT ${keyValues(a, "e->'k'")} FROM jsonb_array_elements($1::jsonb) e) c
      WHERE t.${a.count} = 0 AND ${same}`;
}

/** The tables, keyed nulls included (a record may lack a case type or a response). */
export const RECORD_AGGREGATE_TABLES_SQL: readonly string[] = AGGREGATES.map((a) => {
  const columns = a.keys.map((k) => k.column).join(', ');
  // The figures read a range of months: the month leads the key and the count is in the
  // index, so they read the index alone.
  return `CREATE TABLE ${a.table} (
    ${a.keys
      .map(
        (k) =>
          `${k.column} ${k.type}${['month', 'department_id'].includes(k.column) ? ' NOT NULL' : ''}`,
      )
      .join(',\n    ')},
    ${a.count} int NOT NULL,
    CONSTRAINT ${a.table}_key UNIQUE NULLS NOT DISTINCT (${columns}) INCLUDE (${a.count})
  )`;
});

/**
 * The tables computed in one go from the records (what the projector builds event by event):
 * for the migration that adds them to a running installation, and for the bench, which fills
 * the read model with SQL. A month's rows are written together.
 */
export const RECORD_AGGREGATE_BACKFILL_SQL: readonly string[] = AGGREGATES.map(backfill);

/** The tables emptied and computed anew from the records: a rebuild's bulk catch-up (`completeBulk`). */
export const RECORD_AGGREGATE_REFILL_SQL: readonly string[] = AGGREGATES.flatMap((a) => [
  `DELETE FROM ${a.table}`,
  backfill(a),
]);

function backfill(a: RecordAggregate): string {
  const columns = a.keys.map((k) => k.column).join(', ');
  return `INSERT INTO ${a.table} (${columns}, ${a.count})
    SELECT ${a.keys.map((k) => `${k.value} AS ${k.column}`).join(', ')}, count(*)::int
      FROM casework_records r
     WHERE r.kind = '${a.kind}' AND ${a.counts}
     GROUP BY ${a.keys.map((_, i) => i + 1).join(', ')}
     ORDER BY ${a.keys.map((_, i) => i + 1).join(', ')}`;
}

import type { EntityManager } from 'typeorm';
import { runArrayWrites } from '@tovholder/read-models';

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
  /** Which records count (over `r`). */
  readonly counts: string;
  readonly keys: readonly KeyColumn[];
  /** The column holding the count. */
  readonly count: string;
}

export const RECORD_AGGREGATES = {
  inquiries: {
    table: 'casework_inquiries_by_response_hours',
    counts: `r.kind = 'inquiry' AND r.received_at IS NOT NULL AND r.department_id IS NOT NULL`,
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
    counts: `r.kind = 'application' AND r.done_at IS NOT NULL AND r.department_id IS NOT NULL`,
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
    counts: `r.kind = 'application' AND r.board_ruled_at IS NOT NULL AND r.department_id IS NOT NULL`,
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

/** The key (a JSON array) a record counts under in each table, or null: a select list over `r`. */
export const RECORD_AGGREGATE_KEYS = AGGREGATES.map(
  (a, i) =>
    `CASE WHEN ${a.counts} THEN jsonb_build_array(${a.keys.map((k) => k.value).join(', ')}) END AS aggregate_${i}`,
).join(',\n  ');

export type AggregateKeys = Record<`aggregate_${number}`, unknown[] | null>;

/**
 * Moves each changed record's counts from the keys it had (`before`, none for a new record) to
 * those it has now, summed over the batch first: one statement for all tables that changed, and
 * one more to delete the counts that came to 0 when any went down (a rebuild only adds). Nothing
 * to do for most events (an inquiry answered, a notice sent).
 */
export async function applyRecordAggregateChanges(
  manager: EntityManager,
  changes: readonly { readonly before: AggregateKeys | undefined; readonly after: AggregateKeys }[],
): Promise<void> {
  const changed: { aggregate: RecordAggregate; rows: string; fell: boolean }[] = [];
  for (const [i, aggregate] of AGGREGATES.entries()) {
    const sums = new Map<string, number>();
    const add = (key: unknown[] | null, by: number): void => {
      if (!key) return;
      const text = JSON.stringify(key);
      sums.set(text, (sums.get(text) ?? 0) + by);
    };
    for (const { before, after } of changes) {
      const old = before?.[`aggregate_${i}`] ?? null;
      const now = after[`aggregate_${i}`] ?? null;
      if (JSON.stringify(old) === JSON.stringify(now)) continue;
      add(old, -1);
      add(now, 1);
    }
    const rows = [...sums]
      .filter(([, by]) => by !== 0)
      .map(([key, by]) => ({ k: JSON.parse(key) as unknown, by }));
    if (rows.length === 0) continue;
    changed.push({ aggregate, rows: JSON.stringify(rows), fell: rows.some(({ by }) => by < 0) });
  }
  await runArrayWrites(
    manager,
    changed.map(({ aggregate, rows }) => ({ sql: addCounts(aggregate), parameters: [rows] })),
  );
  await runArrayWrites(
    manager,
    changed
      .filter(({ fell }) => fell)
      .map(({ aggregate, rows }) => ({ sql: dropZeros(aggregate), parameters: [rows] })),
  );
}

const keyValues = (a: RecordAggregate) =>
  a.keys.map((k, i) => `(e->'k'->>${i})::${k.type} AS ${k.column}`).join(', ');

function addCounts(a: RecordAggregate): string {
  const columns = a.keys.map((k) => k.column).join(', ');
  return `INSERT INTO ${a.table} AS t (${columns}, ${a.count})
     SELECT ${keyValues(a)}, (e->>'by')::int FROM jsonb_array_elements($1::jsonb) e
     ON CONFLICT (${columns}) DO UPDATE SET ${a.count} = t.${a.count} + EXCLUDED.${a.count}`;
}

function dropZeros(a: RecordAggregate): string {
  const same = a.keys.map((k) => `t.${k.column} IS NOT DISTINCT FROM c.${k.column}`).join(' AND ');
  return `DELETE FROM ${a.table} t
      USING (SELECT ${keyValues(a)} FROM jsonb_array_elements($1::jsonb) e) c
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
export const RECORD_AGGREGATE_BACKFILL_SQL: readonly string[] = AGGREGATES.map((a) => {
  const columns = a.keys.map((k) => k.column).join(', ');
  return `INSERT INTO ${a.table} (${columns}, ${a.count})
    SELECT ${a.keys.map((k) => `${k.value} AS ${k.column}`).join(', ')}, count(*)::int
      FROM casework_records r
     WHERE ${a.counts}
     GROUP BY ${a.keys.map((_, i) => i + 1).join(', ')}
     ORDER BY ${a.keys.map((_, i) => i + 1).join(', ')}`;
});

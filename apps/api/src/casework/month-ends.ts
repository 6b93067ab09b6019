import type { EntityManager } from 'typeorm';

/*
 * What stands at the end of each Danish month (open cases per department, cases held per
 * caseworker), kept as the events arrive so the management figures read one row per department,
 * month and caseworker instead of every case and assignment a year touched.
 *
 * A month is stored as its first day. A row holds the count at that month's end; a count of 0
 * has no row. Rows are written up to the horizon, the latest month any change counts from; a
 * later month stands as the horizon does (nothing has changed since). A change at an instant
 * counts from the end of the month it falls in; an instant exactly on a month's end (the next
 * month's first instant) counts from that end, hence the microsecond (timestamptz's resolution)
 * back.
 */
export const MONTH_END_TABLES = {
  open: 'casework_open_at_month_end',
  caseload: 'casework_caseload_at_month_end',
  horizon: 'casework_month_end_horizon',
} as const;

/** The month from whose end a change at the instant in `column` counts, as a date. */
export const monthOfChange = (column: string) =>
  `date_trunc('month', (${column} - interval '1 microsecond') AT TIME ZONE 'Europe/Copenhagen')::date`;

/** A change of one count by an event at instant `at`, from the end of the month it counts from. */
export type MonthEndChange =
  | { readonly of: 'open'; readonly departmentId: string; readonly at: string; readonly by: 1 | -1 }
  | {
      readonly of: 'caseload';
      readonly departmentId: string;
      readonly caseworkerId: string;
      readonly at: string;
      readonly by: 1 | -1;
    };

/**
 * Applies a batch's changes to every month end from each change's month to the horizon (moved
 * on first to the latest month a change counts from): one statement per table, whatever the
 * number of changes. An event logged months after its instant touches a row per month since.
 */
export async function applyMonthEndChanges(
  manager: EntityManager,
  changes: readonly MonthEndChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const [latest] = await manager.query<{ month: string }[]>(
    `SELECT max(${monthOfChange('x.at')})::text AS month
       FROM jsonb_to_recordset($1::jsonb) AS x(at timestamptz)`,
    [JSON.stringify(changes.map((c) => ({ at: c.at })))],
  );
  if (!latest?.month) return;
  const horizon = await advanceHorizon(manager, latest.month);
  for (const [of, table, count, keys] of [
    ['open', MONTH_END_TABLES.open, 'open', ['department_id']],
    ['caseload', MONTH_END_TABLES.caseload, 'cases', ['department_id', 'caseworker_id']],
  ] as const) {
    const rows = changes
      .filter((c) => c.of === of)
      .map((c) => ({
        at: c.at,
        department_id: c.departmentId,
        caseworker_id: c.of === 'caseload' ? c.caseworkerId : null,
        by: c.by,
      }));
    if (rows.length === 0) continue;
    const k = keys.join(', ');
    const on = (a: string, b: string) =>
      keys.map((column) => `${a}.${column} = ${b}.${column}`).join(' AND ');
    // The summed changes per month end first; then what became 0 is deleted and the rest
    // written (different rows, so one statement can do both).
    await manager.query(
      `WITH changes AS (
         SELECT ${monthOfChange('x.at')} AS month, ${keys.map((c) => `x.${c}`).join(', ')}, sum(x.by)::int AS by
           FROM jsonb_to_recordset($1::jsonb) AS x(at timestamptz, department_id text, caseworker_id uuid, by int)
          GROUP BY 1, ${keys.map((_, i) => i + 2).join(', ')} HAVING sum(x.by) <> 0
       ),
       sums AS (
         SELECT later::date AS month, ${keys.map((c) => `c.${c}`).join(', ')}, sum(c.by)::int AS by
           FROM changes c CROSS JOIN LATERAL generate_series(c.month, $2::date, interval '1 month') later
          GROUP BY 1, ${keys.map((_, i) => i + 2).join(', ')} HAVING sum(c.by) <> 0
       ),
       counts AS (
         SELECT s.month, ${keys.map((c) => `s.${c}`).join(', ')}, coalesce(t.${count}, 0) + s.by AS n
           FROM sums s LEFT JOIN ${table} t ON t.month = s.month AND ${on('t', 's')}
       ),
       zero AS (
         DELETE FROM ${table} t USING counts c WHERE c.n = 0 AND t.month = c.month AND ${on('t', 'c')}
       )
       INSERT INTO ${table} (month, ${k}, ${count})
       SELECT month, ${k}, n FROM counts WHERE n <> 0 ORDER BY month, ${k}
       ON CONFLICT (month, ${k}) DO UPDATE SET ${count} = EXCLUDED.${count}`,
      [JSON.stringify(rows), horizon],
    );
  }
}

/**
 * Moves the horizon on to `month` if it is later, carrying the counts at the old horizon to every
 * month end up to the new one; returns the horizon.
 */
async function advanceHorizon(manager: EntityManager, month: string): Promise<string> {
  const [row] = await manager.query<{ month: string }[]>(
    `SELECT month::text AS month FROM ${MONTH_END_TABLES.horizon}`,
  );
  const old = row?.month;
  if (old !== undefined && old >= month) return old;
  if (old !== undefined) {
    for (const [table, columns] of [
      [MONTH_END_TABLES.open, 'department_id, open'],
      [MONTH_END_TABLES.caseload, 'department_id, caseworker_id, cases'],
    ] as const) {
      await manager.query(
        `INSERT INTO ${table} (month, ${columns})
         SELECT later::date, ${columns} FROM ${table}
          CROSS JOIN generate_series($1::date + interval '1 month', $2::date, interval '1 month') later
          WHERE month = $1`,
        [old, month],
      );
    }
  }
  await manager.query(
    `INSERT INTO ${MONTH_END_TABLES.horizon} (only_row, month) VALUES (true, $1)
     ON CONFLICT (only_row) DO UPDATE SET month = EXCLUDED.month`,
    [month],
  );
  return month;
}

/**
 * The month-end tables computed in one go from the cases and assignments (what the projector
 * builds event by event): for the migration that adds them to a running installation, and for
 * the bench, which fills the read model with SQL.
 */
export const MONTH_END_BACKFILL_SQL: readonly string[] = [
  `INSERT INTO ${MONTH_END_TABLES.horizon} (only_row, month)
   SELECT true, ${monthOfChange('latest')}
     FROM (SELECT greatest((SELECT max(opened_at) FROM casework_cases),
                           (SELECT max(closed_at) FROM casework_cases),
                           (SELECT max(from_at) FROM casework_assignments),
                           (SELECT max(to_at) FROM casework_assignments)) AS latest) x
    WHERE latest IS NOT NULL`,
  backfill(
    MONTH_END_TABLES.open,
    'open',
    ['department_id'],
    `SELECT department_id, ${monthOfChange('opened_at')} AS month, 1 AS change FROM casework_cases
     UNION ALL
     SELECT department_id, ${monthOfChange('closed_at')}, -1 FROM casework_cases
      WHERE closed_at IS NOT NULL`,
  ),
  backfill(
    MONTH_END_TABLES.caseload,
    'cases',
    ['department_id', 'caseworker_id'],
    `SELECT department_id, caseworker_id, ${monthOfChange('from_at')} AS month, 1 AS change
       FROM casework_assignments
     UNION ALL
     SELECT department_id, caseworker_id, ${monthOfChange('to_at')}, -1
       FROM casework_assignments WHERE to_at IS NOT NULL`,
  ),
];

/**
 * A running sum of the changes per key over every month from its first change to the horizon;
 * written month by month, as the projector writes them, so a month's rows lie together.
 */
function backfill(table: string, count: string, keys: readonly string[], changes: string): string {
  const k = keys.join(', ');
  const on = keys.map((column) => `p.${column} = s.${column}`).join(' AND ');
  return `INSERT INTO ${table} (month, ${k}, ${count})
    WITH changes AS (${changes}),
    per_month AS (SELECT ${k}, month, sum(change) AS change FROM changes GROUP BY ${k}, month),
    spans AS (SELECT ${k}, min(month) AS first FROM per_month GROUP BY ${k}),
    running AS (
      SELECT later::date AS month, ${keys.map((column) => `s.${column}`).join(', ')},
             sum(coalesce(p.change, 0)) OVER (PARTITION BY ${keys.map((column) => `s.${column}`).join(', ')} ORDER BY later) AS n
        FROM spans s
       CROSS JOIN ${MONTH_END_TABLES.horizon} h
       CROSS JOIN LATERAL generate_series(s.first, h.month, interval '1 month') later
        LEFT JOIN per_month p ON ${on} AND p.month = later::date
    )
    SELECT month, ${k}, n FROM running WHERE n <> 0
     ORDER BY month, ${k}`;
}

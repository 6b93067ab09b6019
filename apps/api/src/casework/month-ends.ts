import { addCalendarMonths, isoDate } from '@tovholder/domain/shared/calendar-dates';
import { startOfCopenhagenDay } from '@tovholder/domain/shared/copenhagen-time';
import { arrayLiteral, deleteRows, type WithQueries } from '@tovholder/read-models';
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
 *
 * Carrying a change into every month end from its month to the horizon costs a row per month
 * and key: little live (events come about in time order, so the months are the last few), but
 * a rebuild or an import meets changes years back in every batch, and would rewrite nearly every
 * row each time. So a batch adds its changes, summed per month and key, to the pending changes,
 * and carries them into the month ends (and empties them) only once they are many against that
 * cost: the rewrite is then paid once for many batches. The count at a month's end is the row
 * standing then plus the pending changes up to that month (`countsAtMonthEndSql`).
 */
export const MONTH_END_TABLES = {
  open: 'casework_open_at_month_end',
  caseload: 'casework_caseload_at_month_end',
  horizon: 'casework_month_end_horizon',
} as const;

const KEY_TYPES: Readonly<Record<string, string>> = {
  month: 'date',
  department_id: 'text',
  caseworker_id: 'uuid',
};

/** Changes not yet carried into the month ends, summed per month and key. */
export const PENDING_MONTH_END_TABLES = {
  open: 'casework_open_changes',
  caseload: 'casework_caseload_changes',
} as const;

/** When the pending changes are carried into the month ends. */
export interface CarryRule {
  /** Once the rewrite costs at most this many rows per pending change… */
  readonly rowsPerPendingChange: number;
  /** …or once there are this many, whatever the cost: the figures read them all. */
  readonly mostPending: number;
}

export const CARRY_RULE: CarryRule = { rowsPerPendingChange: 2, mostPending: 50_000 };

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

interface Counted {
  readonly of: MonthEndChange['of'];
  readonly table: string;
  readonly pending: string;
  readonly count: string;
  readonly keys: readonly string[];
}

const COUNTED: readonly Counted[] = [
  {
    of: 'open',
    table: MONTH_END_TABLES.open,
    pending: PENDING_MONTH_END_TABLES.open,
    count: 'open',
    keys: ['department_id'],
  },
  {
    of: 'caseload',
    table: MONTH_END_TABLES.caseload,
    pending: PENDING_MONTH_END_TABLES.caseload,
    count: 'cases',
    keys: ['department_id', 'caseworker_id'],
  },
];

/**
 * The first day of the Danish month from whose end a change at the instant `at` counts: that of
 * the instant a microsecond before (`monthOfChange` in SQL), computed here so a batch sends its
 * changes summed per month. Month starts fall on whole milliseconds, so a microsecond back from
 * a whole millisecond is a millisecond back, and from an instant with a fraction of a
 * millisecond is the same millisecond. Exact as PostgreSQL reads the text: fractions rounded to
 * microseconds.
 */
export function monthOfChangeAt(at: string): string {
  // As the domain writes them (toISOString): a whole millisecond, read without a regex.
  if (at.length === 24 && at.endsWith('Z') && at[19] === '.') {
    const ms = Date.parse(at);
    if (!Number.isNaN(ms)) return danishMonthOf(ms - 1);
  }
  const instant = /^(.*\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$/.exec(at);
  if (!instant) throw new RangeError('not an instant');
  const [, whole = '', fraction = '', zone = ''] = instant;
  // Without a zone PostgreSQL and JS would each read it in their own: the domain writes none such.
  if (!/^(Z|[+-]\d{2}(:?\d{2})?)$/i.test(zone)) throw new RangeError('an instant without a zone');
  const micros = fraction === '' ? 0 : Math.round(Number(`0.${fraction}`) * 1e6);
  const ms = Date.parse(`${whole}${zone}`) + Math.floor(micros / 1000);
  if (Number.isNaN(ms)) throw new RangeError('not an instant');
  return danishMonthOf(micros % 1000 === 0 ? ms - 1 : ms);
}

const MS_PER_HOUR = 3_600_000;
/** The first instant of each Danish month asked for, by its first day. */
const monthStarts = new Map<string, number>();
/** The Danish month of each UTC hour asked for (months start on whole hours). */
const hourMonths = new Map<number, string>();
const MOST_HOURS_KEPT = 500_000; // ~57 years

/** The first day of the Danish month of an instant (in ms). */
function danishMonthOf(ms: number): string {
  const hour = Math.floor(ms / MS_PER_HOUR);
  let month = hourMonths.get(hour);
  if (month === undefined) {
    // Danish time has always been 0 to 2 hours ahead of UTC: the month two hours on in UTC is
    // the Danish month, or the one after it.
    const start = hour * MS_PER_HOUR;
    const ahead = new Date(start + 2 * MS_PER_HOUR);
    month = isoDate(ahead.getUTCFullYear(), ahead.getUTCMonth() + 1, 1);
    if (start < startOfMonth(month)) month = addCalendarMonths(month, -1);
    if (hourMonths.size >= MOST_HOURS_KEPT) hourMonths.clear();
    hourMonths.set(hour, month);
  }
  return month;
}

function startOfMonth(firstDay: string): number {
  let start = monthStarts.get(firstDay);
  if (start === undefined) {
    start = startOfCopenhagenDay(firstDay).getTime();
    monthStarts.set(firstDay, start);
  }
  return start;
}

interface Sum {
  readonly key: readonly string[];
  by: number;
}

/** A batch's changes summed per table, month and key (key columns, then the sum), in key order. */
function sumChanges(changes: readonly MonthEndChange[]): Map<MonthEndChange['of'], string[][]> {
  // Nested by key column (the month, the department, the caseworker): no key text to build.
  const open = new Map<string, Map<string, Sum>>();
  const caseload = new Map<string, Map<string, Map<string, Sum>>>();
  const below = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      value = make();
      map.set(key, value);
    }
    return value;
  };
  for (const change of changes) {
    const month = monthOfChangeAt(change.at);
    const { departmentId } = change;
    if (change.of === 'open') {
      const sum = below(
        below(open, month, () => new Map<string, Sum>()),
        departmentId,
        () => ({
          key: [month, departmentId],
          by: 0,
        }),
      );
      sum.by += change.by;
    } else {
      const { caseworkerId } = change;
      const sum = below(
        below(
          below(caseload, month, () => new Map<string, Map<string, Sum>>()),
          departmentId,
          () => new Map<string, Sum>(),
        ),
        caseworkerId,
        () => ({ key: [month, departmentId, caseworkerId], by: 0 }),
      );
      sum.by += change.by;
    }
  }
  const byTable = new Map<MonthEndChange['of'], string[][]>();
  for (const [of, sums] of [
    ['open', [...open.values()].flatMap((d) => [...d.values()])],
    [
      'caseload',
      [...caseload.values()].flatMap((d) => [...d.values()].flatMap((c) => [...c.values()])),
    ],
  ] as const) {
    // In key order, as the rows' locks are always taken; a sum of 0 changes nothing.
    const rows = sums
      .filter(({ by }) => by !== 0)
      .map(({ key, by }) => [...key, String(by)])
      .sort(byKey);
    if (rows.length > 0) byTable.set(of, rows);
  }
  return byTable;
}

/** Rows of key columns and a sum, by their key columns in turn. */
function byKey(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length - 1; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** How many changes are pending once the batch's are added, and what carrying them would cost. */
export interface PendingChanges {
  /** Rows of pending changes. */
  readonly pending: number;
  /** Month-end rows the carry would write. */
  readonly cost: number;
}

/**
 * Adds a batch's changes, summed per month and key, to the pending changes: WITH queries of the
 * batch's statement (the columns as arrays). Returns an expression for its select list that
 * gives the pending changes as they stand after it (`PendingChanges` as JSON), or null when the
 * batch changes no count.
 */
export function addMonthEndChanges(
  statement: WithQueries,
  changes: readonly MonthEndChange[],
): string | null {
  if (changes.length === 0) return null;
  // A pending change that comes back to 0 keeps its row until carried in: it counts nothing.
  const sums = sumChanges(changes);
  if (sums.size === 0) return null;
  const spans: string[] = [];
  for (const { of, pending, keys } of COUNTED) {
    const rows = sums.get(of);
    const k = keys.join(', ');
    const span = (rowsOf: string) =>
      `SELECT min(month) AS first, max(month) AS last, count(*) AS n FROM (${rowsOf}) p GROUP BY ${k}`;
    if (!rows) {
      spans.push(span(`SELECT month, ${k} FROM ${pending}`));
      continue;
    }
    const columns = ['month', ...keys];
    const arrays = [...columns, 'change'].map(
      (column, i) => `$${i + 1}::${column === 'change' ? 'int' : KEY_TYPES[column]}[]`,
    );
    const added = `added_${of}`;
    statement.add(added, {
      sql: `INSERT INTO ${pending} AS p (${columns.join(', ')}, change)
       SELECT * FROM unnest(${arrays.join(', ')})
       ON CONFLICT (${columns.join(', ')}) DO UPDATE SET change = p.change + EXCLUDED.change
       RETURNING month, ${k}, p.xmax = 0 AS inserted`,
      parameters: [...columns, 'change'].map((_, i) => arrayLiteral(rows.map((row) => row[i]))),
    });
    // The statement sees the rows as they stood before it, so the rows it inserted are taken
    // from it: UNION ALL, as deduplicating the whole table each batch took a quarter of the
    // statement's time in a rebuild (the table grows until carried). An inserted row is one
    // without a locker (xmax 0; an updated one was locked by the upsert): finding them by looking
    // for each in the table was a hash of the whole table each batch, a sixth of the statement.
    spans.push(
      span(
        `SELECT month, ${k} FROM ${pending} UNION ALL SELECT month, ${k} FROM ${added} WHERE inserted`,
      ),
    );
  }
  return `(SELECT json_build_object(
       'pending', coalesce(sum(n), 0)::int,
       'cost', coalesce(sum(${monthsFrom('first', `greatest(last, (SELECT month FROM ${MONTH_END_TABLES.horizon}))`)} + 1), 0)::float8)
     FROM (${spans.join(' UNION ALL ')}) spans)`;
}

/** Carries the pending changes in if that is cheap enough against their number (see above). */
export async function carryIfDue(
  manager: EntityManager,
  due: PendingChanges | null,
  rule: CarryRule = CARRY_RULE,
): Promise<void> {
  if (!due || due.pending === 0) return;
  if (due.pending >= rule.mostPending || due.pending * rule.rowsPerPendingChange >= due.cost) {
    await carryPendingChanges(manager);
  }
}

/** Whole months from the month (a first day) in `from` to the one in `to`. */
const monthsFrom = (from: string, to: string) =>
  `((extract(year FROM ${to}) - extract(year FROM ${from})) * 12 + extract(month FROM ${to}) - extract(month FROM ${from}))`;

/**
 * Carries every pending change into the month ends from its month to the horizon (moved on first
 * to the latest month a change counts from) and empties the pending changes: one statement per
 * table, whatever their number.
 */
export async function carryPendingChanges(manager: EntityManager): Promise<void> {
  const [latest] = await manager.query<{ month: string | null }[]>(
    `SELECT greatest(${COUNTED.map(({ pending }) => `(SELECT max(month) FROM ${pending})`).join(', ')})::text AS month`,
  );
  if (!latest?.month) return;
  const horizon = await advanceHorizon(manager, latest.month);
  for (const { table, pending, count, keys } of COUNTED) {
    const k = keys.join(', ');
    const r = keys.map((c) => `r.${c}`).join(', ');
    const same = ['month', ...keys].map((c) => `t.${c} = s.${c}`).join(' AND ');
    // Each key's changes summed up to each month it changed in, standing until the next (a
    // running sum: a row per key and month from its first change to the horizon), added to the
    // month ends; those that came to 0 are deleted after. The rows standing are updated and the
    // others inserted plainly: a rebuild's carry inserts tens of thousands at once, which an
    // upsert (ON CONFLICT) writes at two thirds of the speed.
    const zeros = await manager.query<Record<string, string>[]>(
      `WITH changes AS (DELETE FROM ${pending} RETURNING month, ${k}, change),
       running AS (
         SELECT month, ${k}, sum(change) OVER w AS delta, lead(month) OVER w AS next
           FROM changes WINDOW w AS (PARTITION BY ${k} ORDER BY month)
       ),
       sums AS MATERIALIZED (
         SELECT later::date AS month, ${r}, r.delta::int AS delta
           FROM running r
          CROSS JOIN LATERAL generate_series(r.month, coalesce(r.next - interval '1 month', $1::date), interval '1 month') later
          WHERE r.delta <> 0
       ),
       updated AS (
         UPDATE ${table} t SET ${count} = t.${count} + s.delta FROM sums s WHERE ${same}
         RETURNING t.month, ${keys.map((c) => `t.${c}`).join(', ')}, t.${count}
       ),
       inserted AS (
         INSERT INTO ${table} (month, ${k}, ${count})
         SELECT month, ${k}, delta FROM sums s
          WHERE NOT EXISTS (SELECT FROM ${table} t WHERE ${same})
          ORDER BY month, ${k}
       )
       SELECT month::text AS month, ${k} FROM updated WHERE ${count} = 0`,
      [horizon],
    );
    await deleteRows(
      manager,
      table,
      Object.fromEntries(['month', ...keys].map((c) => [c, KEY_TYPES[c] ?? 'text'])),
      zeros,
    );
  }
}

/**
 * The counts at the end of the month whose first day is $1, per key (the key columns and `open`
 * or `cases`): the row standing then plus the pending changes up to that month.
 */
export function countsAtMonthEndSql(of: MonthEndChange['of']): string {
  const counted = COUNTED.find((c) => c.of === of);
  if (!counted) throw new Error(`no month-end count of ${of}`);
  const { table, pending, count, keys } = counted;
  const k = keys.join(', ');
  return `SELECT ${k}, sum(n)::int AS ${count} FROM (
      SELECT ${k}, ${count} AS n FROM ${table}
       WHERE month = least($1::date, (SELECT month FROM ${MONTH_END_TABLES.horizon}))
      UNION ALL
      SELECT ${k}, change FROM ${pending} WHERE month <= $1::date
    ) x GROUP BY ${k} HAVING sum(n) <> 0`;
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

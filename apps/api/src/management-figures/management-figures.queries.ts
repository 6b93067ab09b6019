import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  SUPERVISION_ANSWERS,
  type SupervisionAnswer,
  type SupervisionQuestionKey,
} from '@tovholder/domain';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { CASEWORK_PROJECTOR } from '../casework/casework.projector';
import { MONTH_END_TABLES, PENDING_MONTH_END_TABLES } from '../casework/month-ends';
import { RECORD_AGGREGATES } from '../casework/record-aggregates';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { waitForPosition } from '../projections/read-after-write';
import { CLOCK, type Clock } from '../shared/clock';
import { SUPERVISION_PROJECTOR } from '../supervision/supervision.projector';
import {
  emptySupervision,
  monthsBetween,
  oneDecimal,
  per100,
  percentOf,
  type ManagementFigures,
  type MonthFigures,
} from './management-figures';

/*
 * Months are Danish calendar months: a month runs from its first instant in Copenhagen to the
 * first instant of the next, which is also "the month's end" for the figures that count what
 * stands at a moment (open cases, caseloads). $1 and $2 are the first days (YYYY-MM-01) of the
 * first and last month asked for, $3 one department or null for all.
 */
const ZONE = `'Europe/Copenhagen'`;
const WINDOW_START = `($1::timestamp AT TIME ZONE ${ZONE})`;
/** The end of the last month. */
const WINDOW_END = `(($2::timestamp + interval '1 month') AT TIME ZONE ${ZONE})`;
/**
 * The months asked for (by their first day) and the month whose month-end counts stand at each
 * one's end: the casework projector writes them up to its horizon (the latest month anything
 * changed in), and nothing has changed since. The rows to read are a range of months, by index.
 * To them come the changes the projector has not yet carried into them (casework/month-ends.ts):
 * none, mostly; after a rebuild or an import, a bounded number.
 */
const MONTH_ENDS = `month_ends AS MATERIALIZED (
    SELECT m::date AS month, least(m::date, h.month) AS standing
      FROM generate_series($1::date, $2::date, interval '1 month') m
      LEFT JOIN ${MONTH_END_TABLES.horizon} h ON true
  )`;
const STANDING_RANGE = (column: string) =>
  `${column} BETWEEN (SELECT min(standing) FROM month_ends) AND (SELECT max(standing) FROM month_ends)`;
/**
 * The pending changes up to each month asked for, per month and key (`keys`): those before the
 * first month summed once, so a change is joined to at most the months asked for.
 */
const PENDING_UP_TO_EACH_MONTH = (
  table: string,
  keys: string,
) => `SELECT e.month, ${keys}, sum(p.change)::int AS change
    FROM (SELECT greatest(c.month, $1::date) AS month, ${keys}, sum(c.change) AS change
            FROM ${table} c WHERE c.month <= $2::date AND ${DEPARTMENT('c')}
           GROUP BY 1, ${keys}) p
    JOIN month_ends e ON e.month >= p.month
   GROUP BY e.month, ${keys}`;
/** A department's caseloads at a month's end, over a relation with `cases` per caseworker. */
const CASELOAD_FIGURES = (cases: string) => `count(*)::int AS caseworkers,
             min(${cases})::int AS min, max(${cases})::int AS max,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ${cases}) AS median,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY ${cases}) AS p90`;
const DEPARTMENT = (alias: string) => `($3::text IS NULL OR ${alias}.department_id = $3)`;

/**
 * The Danish month an instant falls in: grouped by `monthKey` (the expression the extended
 * statistics of the figures migration describe, so the planner knows there are few months and
 * hashes instead of sorting every row), shown as YYYY-MM by `monthOf`.
 */
const monthKey = (column: string) => `date_trunc('month', ${column} AT TIME ZONE ${ZONE})`;
const monthOf = (column: string) => `to_char(${monthKey(column)}, 'YYYY-MM')`;
/** An instant within the months asked for: an index range on the column. */
const inWindow = (column: string) => `${column} >= ${WINDOW_START} AND ${column} < ${WINDOW_END}`;
/** A month kept by the casework projector (its first day) within the months asked for. */
const MONTH_RANGE = (column: string) => `${column} BETWEEN $1::date AND $2::date`;
/** One department's month and case type in two of the decisions' tables. */
const SAME_GROUP = (a: string, b: string) =>
  `${a}.department_id = ${b}.department_id AND ${a}.month = ${b}.month
   AND ${a}.case_type IS NOT DISTINCT FROM ${b}.case_type`;
/**
 * percentile_cont(p) over the decisions' whole-day `column` (nulls left out), per department,
 * month and case type, from their counts: the values at ranks floor and ceil of p·(n − 1)
 * (0-based), interpolated in float8 as PostgreSQL's percentile_cont does, so it is the same
 * number.
 */
function percentiles(name: string, column: string, wanted: [string, number][]): string {
  const group = 'department_id, month, case_type';
  return `${name}_counts AS (
      SELECT ${group}, ${column} AS v, sum(decisions) AS n FROM decisions
       WHERE ${column} IS NOT NULL GROUP BY ${group}, ${column}
    ),
    ${name}_ranks AS (
      SELECT ${group}, v, sum(n) OVER (PARTITION BY ${group} ORDER BY v) AS upto,
             (sum(n) OVER (PARTITION BY ${group}) - 1)::float8 AS last
        FROM ${name}_counts
    ),
    ${name} AS (
      SELECT ${group}, ${wanted
        .map(([as, p]) => {
          const at = `${p}::float8 * last`;
          const lo = `min(v) FILTER (WHERE upto > floor(${at}))::float8`;
          const hi = `min(v) FILTER (WHERE upto > ceil(${at}))::float8`;
          return `${lo} + (max(${at} - floor(${at})) * (${hi} - ${lo})) AS ${as}`;
        })
        .join(', ')}
        FROM ${name}_ranks GROUP BY ${group}
    )`;
}
/**
 * One query per figure. Inquiries, decisions and board rulings the casework projector counts
 * per department and month (casework/record-aggregates.ts), split as finely as the figure
 * needs to come out exact; complaints and reviews (few) read the window by index and group by
 * the Danish month. What stands at a month's end (open cases, caseloads) the projector keeps
 * per month (casework/month-ends.ts): one row per department, month and caseworker, however
 * many cases and assignments lie behind it.
 */
export const MANAGEMENT_FIGURES_SQL = {
  // Inquiries by the Danish month they came in; in time: answered within $4 hours (a whole
  // number, so "within" is the whole hours rounded up, as the projector keeps them).
  inquiries: `
    SELECT i.department_id, to_char(i.month, 'YYYY-MM') AS month, sum(i.inquiries)::int AS received,
           coalesce(sum(i.inquiries) FILTER (WHERE i.response_hours <= $4::int), 0)::int AS in_time
      FROM ${RECORD_AGGREGATES.inquiries.table} i
     WHERE ${MONTH_RANGE('i.month')} AND ${DEPARTMENT('i')}
     GROUP BY i.department_id, i.month`,

  // Applications by the month of their FIRST decision (done_at), counted per whole days taken
  // and published (both from the application date): the medians and 90th percentiles are
  // percentile_cont's over the decisions, from the counts.
  decisions: `WITH decisions AS MATERIALIZED (
      SELECT d.* FROM ${RECORD_AGGREGATES.decisions.table} d
       WHERE ${MONTH_RANGE('d.month')} AND ${DEPARTMENT('d')}
    ),
    totals AS (
      SELECT department_id, month, case_type, sum(decisions)::int AS decided,
             coalesce(sum(decisions) FILTER (WHERE within), 0)::int AS within
        FROM decisions GROUP BY department_id, month, case_type
    ),
    ${percentiles('published', 'published_days', [['published_days', 0.5]])},
    ${percentiles('taken', 'days', [
      ['median_days', 0.5],
      ['p90_days', 0.9],
    ])}
    SELECT t.department_id, to_char(t.month, 'YYYY-MM') AS month, t.case_type, t.decided, t.within,
           p.published_days, k.median_days, k.p90_days
      FROM totals t
      LEFT JOIN published p ON ${SAME_GROUP('p', 't')}
      LEFT JOIN taken k ON ${SAME_GROUP('k', 't')}`,

  complaints: `
    SELECT r.department_id, ${monthOf('r.received_at')} AS month, count(*)::int AS received
      FROM casework_records r
     WHERE r.kind = 'complaint' AND ${inWindow('r.received_at')} AND ${DEPARTMENT('r')}
     GROUP BY r.department_id, ${monthKey('r.received_at')}`,

  // Open at a month's end E: opened_at <= E and not closed_at <= E (kept by the projector).
  openCases: `WITH ${MONTH_ENDS}
    SELECT x.department_id, to_char(x.month, 'YYYY-MM') AS month, sum(x.open)::int AS open
      FROM (
        SELECT e.month, o.department_id, o.open
          FROM ${MONTH_END_TABLES.open} o
          JOIN month_ends e ON e.standing = o.month
         WHERE ${STANDING_RANGE('o.month')} AND ${DEPARTMENT('o')}
        UNION ALL
        ${PENDING_UP_TO_EACH_MONTH(PENDING_MONTH_END_TABLES.open, 'department_id')}
      ) x
     GROUP BY x.department_id, x.month HAVING sum(x.open) > 0`,

  // The first board ruling of an application (casework_records keeps the first).
  appeals: `
    SELECT a.department_id, to_char(a.month, 'YYYY-MM') AS month, sum(a.rulings)::int AS ruled,
           coalesce(sum(a.rulings) FILTER (WHERE a.changed), 0)::int AS changed
      FROM ${RECORD_AGGREGATES.appeals.table} a
     WHERE ${MONTH_RANGE('a.month')} AND ${DEPARTMENT('a')}
     GROUP BY a.department_id, a.month`,

  // Open cases held per caseworker at a month's end E: from_at <= E and not to_at <= E (an
  // assignment ends when the case closes or changes hands; kept by the projector). Caseworkers
  // holding none are not counted: the assignments do not know them.
  // Without pending changes (mostly): grouped in the index's order (no sort), then shown at
  // every month end they stand at. With them (a gate evaluated once picks the branch): each
  // caseworker's count at each month asked for, plus the changes, then grouped.
  caseload: `WITH ${MONTH_ENDS},
    pending AS MATERIALIZED (
      ${PENDING_UP_TO_EACH_MONTH(PENDING_MONTH_END_TABLES.caseload, 'department_id, caseworker_id')}
    ),
    standing AS (
      SELECT c.month, c.department_id, ${CASELOAD_FIGURES('c.cases')}
        FROM ${MONTH_END_TABLES.caseload} c
       WHERE ${STANDING_RANGE('c.month')} AND c.cases > 0 AND ${DEPARTMENT('c')}
         AND NOT EXISTS (SELECT FROM pending)
       GROUP BY c.month, c.department_id
    ),
    held AS (
      SELECT x.month, x.department_id, x.caseworker_id, sum(x.cases)::int AS cases
        FROM (
          SELECT e.month, c.department_id, c.caseworker_id, c.cases
            FROM ${MONTH_END_TABLES.caseload} c
            JOIN month_ends e ON e.standing = c.month
           WHERE ${STANDING_RANGE('c.month')} AND ${DEPARTMENT('c')}
             AND EXISTS (SELECT FROM pending)
          UNION ALL
          SELECT month, department_id, caseworker_id, change FROM pending
        ) x
       GROUP BY x.month, x.department_id, x.caseworker_id HAVING sum(x.cases) > 0
    )
    SELECT s.department_id, to_char(e.month, 'YYYY-MM') AS month, s.caseworkers, s.min, s.max,
           s.median, s.p90
      FROM standing s
      JOIN month_ends e ON e.standing = s.month
    UNION ALL
    SELECT h.department_id, to_char(h.month, 'YYYY-MM') AS month, ${CASELOAD_FIGURES('h.cases')}
      FROM held h
     GROUP BY h.department_id, h.month`,

  // The current review of each sampled case, in the month it was given; every review answers
  // every question.
  supervision: `
    SELECT s.department_id, ${monthOf('s.reviewed_at')} AS month,
           answer.key AS question, answer.value AS answer, count(*)::int AS n
      FROM supervision_reviews s
     CROSS JOIN LATERAL jsonb_each_text(s.answers) AS answer
     WHERE ${inWindow('s.reviewed_at')} AND ${DEPARTMENT('s')}
     GROUP BY s.department_id, ${monthKey('s.reviewed_at')}, answer.key, answer.value`,
} as const;

interface Keyed {
  department_id: string;
  month: string;
}

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

/** The figures management asks for, per department and Danish month, from the read models. */
@Injectable()
export class ManagementFiguresQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(
      this.watcher,
      [CASEWORK_PROJECTOR, SUPERVISION_PROJECTOR],
      position,
      this.config.readWaitMaxMs,
    );
  }

  async figures(
    fromMonth: string,
    toMonth: string,
    departmentId: string | undefined,
  ): Promise<ManagementFigures> {
    const departments = await this.departments(departmentId);
    const months = monthsBetween(fromMonth, toMonth);
    const byKey = new Map<string, Mutable<MonthFigures>>();
    for (const department of departments) {
      for (const month of months) byKey.set(`${department}|${month}`, emptyMonth(month));
    }
    const at = (row: Keyed) => byKey.get(`${row.department_id}|${row.month}`);

    const params = [`${fromMonth}-01`, `${toMonth}-01`, departmentId ?? null];
    const query = <T>(sql: string, extra: unknown[] = []) =>
      this.dataSource.query<(T & Keyed)[]>(sql, [...params, ...extra]);
    // Independent queries: run side by side on the pool.
    const [inquiries, decisions, complaints, openCases, appeals, caseload, supervision] =
      await Promise.all([
        query<{ received: number; in_time: number }>(MANAGEMENT_FIGURES_SQL.inquiries, [
          this.config.casework.acknowledgeWithinHours,
        ]),
        query<{
          case_type: string;
          decided: number;
          within: number;
          published_days: number;
          median_days: number;
          p90_days: number;
        }>(MANAGEMENT_FIGURES_SQL.decisions),
        query<{ received: number }>(MANAGEMENT_FIGURES_SQL.complaints),
        query<{ open: number }>(MANAGEMENT_FIGURES_SQL.openCases),
        query<{ ruled: number; changed: number }>(MANAGEMENT_FIGURES_SQL.appeals),
        query<{
          caseworkers: number;
          min: number;
          max: number;
          median: number;
          p90: number;
        }>(MANAGEMENT_FIGURES_SQL.caseload),
        query<{ question: string; answer: string; n: number }>(MANAGEMENT_FIGURES_SQL.supervision),
      ]);

    for (const row of inquiries) {
      const month = at(row);
      if (!month) continue;
      month.inquiries.received = row.received;
      month.inquiries.acknowledgedInTime = row.in_time;
    }
    for (const row of decisions) {
      const month = at(row);
      if (!month) continue;
      month.decisions.decided += row.decided;
      month.decisions.withinDeadline += row.within;
      month.processingTimes.push({
        caseType: row.case_type,
        decisions: row.decided,
        publishedDays: oneDecimal(row.published_days),
        medianDays: oneDecimal(row.median_days),
        p90Days: oneDecimal(row.p90_days),
      });
    }
    for (const row of complaints) {
      const month = at(row);
      if (month) month.complaints.received = row.received;
    }
    for (const row of openCases) {
      const month = at(row);
      if (month) month.complaints.openCasesAtMonthEnd = row.open;
    }
    for (const row of appeals) {
      const month = at(row);
      if (!month) continue;
      month.appeals.ruled = row.ruled;
      month.appeals.changedOrSentBack = row.changed;
    }
    for (const row of caseload) {
      const month = at(row);
      if (!month) continue;
      month.caseload = {
        caseworkers: row.caseworkers,
        min: row.min,
        median: oneDecimal(row.median),
        p90: oneDecimal(row.p90),
        max: row.max,
      };
    }
    for (const row of supervision) {
      const counts = at(row)?.supervision.questions[row.question as SupervisionQuestionKey];
      if (counts && (SUPERVISION_ANSWERS as readonly string[]).includes(row.answer)) {
        counts[row.answer as SupervisionAnswer] = row.n;
      }
    }

    for (const month of byKey.values()) {
      const { inquiries: i, decisions: d, complaints: c, appeals: a, supervision: s } = month;
      i.percent = percentOf(i.acknowledgedInTime, i.received);
      d.percent = percentOf(d.withinDeadline, d.decided);
      c.per100OpenCases = per100(c.received, c.openCasesAtMonthEnd);
      a.percent = percentOf(a.changedOrSentBack, a.ruled);
      // Every review answers every question: the count of one question's answers.
      const first = s.questions.decisionCorrect;
      s.reviews = first.yes + first.no + first['not-relevant'];
      month.processingTimes.sort((x, y) => (x.caseType < y.caseType ? -1 : 1));
    }

    return {
      fromMonth,
      toMonth,
      generatedAt: this.clock.now().toISOString(),
      departments: departments.map((departmentId) => ({
        departmentId,
        months: months.map((month) => byKey.get(`${departmentId}|${month}`) as MonthFigures),
      })),
    };
  }

  /** Every department in the registry (retired ones too: their past counts), or the one asked. */
  private async departments(departmentId: string | undefined): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM departments WHERE ($1::text IS NULL OR id = $1) ORDER BY id',
      [departmentId ?? null],
    );
    if (departmentId !== undefined && rows.length === 0) {
      throw new NotFoundException({
        code: 'DEPARTMENT.NOT_FOUND',
        message: 'No department with this id',
      });
    }
    return rows.map((row) => row.id);
  }
}

function emptyMonth(month: string): Mutable<MonthFigures> {
  return {
    month,
    inquiries: { received: 0, acknowledgedInTime: 0, percent: null },
    decisions: { decided: 0, withinDeadline: 0, percent: null },
    processingTimes: [],
    complaints: { received: 0, openCasesAtMonthEnd: 0, per100OpenCases: null },
    appeals: { ruled: 0, changedOrSentBack: 0, percent: null },
    caseload: { caseworkers: 0, min: null, median: null, p90: null, max: null },
    supervision: emptySupervision(),
  };
}

// Management figures (issue 5): all departments, 12 months, over HTTP, on a municipal-size read
// model and on a larger one, in the same run: the latency at each size and how it grows
// against the growth in events.
//
// The read models are filled with SQL, not by replaying events (as in the transitions section):
// what is measured is the figures' queries over the tables an installation of that size would
// have, and replaying ~1M (municipal) or ~20M (national) events would take most of the bench.
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { MONTH_END_BACKFILL_SQL } from '../apps/api/src/casework/month-ends';
import {
  RECORD_AGGREGATE_BACKFILL_SQL,
  RECORD_AGGREGATES,
} from '../apps/api/src/casework/record-aggregates';
import { createApp } from '../apps/api/src/create-app';
import { HttpClients, type HttpStep } from './http-clients';
import {
  benchAppConfig,
  createDatabase,
  dropDatabase,
  formatNumber,
  formatTable,
  percentile,
  scaled,
  writeJsonResult,
  type BenchContext,
} from './support';

const DEPARTMENTS = ['CBU', 'CHP', 'CSAE', 'JOBCENTER', 'UNGEENHEDEN', 'UU', 'FAMILIE'];
const CASE_TYPES = ['child-support', 'disability-support', 'placement-out-of-home'];

/** Per municipal unit (domain.md: 40,000 cases, 600 caseworkers, ten years, ~1M events). */
const PER_UNIT = {
  cases: 40_000,
  caseworkers: 600,
  inquiries: 200_000,
  applications: 60_000,
  complaints: 4_000,
  fileAccess: 10_000,
  reviews: 2_000,
};

/** The events these rows stand for: what each record's stream would hold on average. */
function eventsRepresented(unit: number): number {
  const per = PER_UNIT;
  return Math.round(
    unit *
      (per.cases * 3.3 + // opened, assigned, sometimes changed, mostly closed
        per.inquiries * 3 + // received, acknowledged, answered
        per.applications * 2.6 + // received, decided, sometimes notices and appeals
        per.complaints * 2 +
        per.fileAccess * 2.2 +
        per.reviews),
  );
}

/**
 * Ten years of a municipality's casework, `unit` times over, ending today. random() after a
 * fixed setseed: the same data every run. Random draws are made once per row in a subquery
 * (volatile functions keep it from being flattened), so a row's draws agree with each other.
 */
export async function fillCaseworkReadModel(
  url: string,
  unit: number,
  today: string,
): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  const n = (count: number) => Math.round(count * unit);
  const cases = n(PER_UNIT.cases);
  const caseworkers = n(PER_UNIT.caseworkers);
  try {
    // Bulk load without the secondary indexes, then build them once (far faster than keeping
    // them up to date row by row); the definitions are the migrations', read back from the catalog.
    const indexes = await db.query<{ name: string; definition: string }>(
      `SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
        WHERE i.schemaname = 'public'
          AND i.tablename IN ('casework_records', 'casework_cases', 'casework_assignments', 'supervision_reviews')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const index of indexes.rows) await db.query(`DROP INDEX ${index.name}`);
    await db.query('SELECT setseed(0.42)');
    await db.query(
      `CREATE FUNCTION pg_temp.case_uuid(g int) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
         SELECT (substr(md5('c' || g), 1, 12) || '4' || substr(md5('c' || g), 14, 3) || '8' || substr(md5('c' || g), 18, 15))::uuid $$`,
    );
    const tenYearsAgo = `$2::timestamptz - interval '10 years'`;
    // Cases: opened over ten years; two in three closed after 1 month to 4 years.
    await db.query(
      `INSERT INTO casework_cases (case_id, department_id, case_type, opened_at, closed_at)
       SELECT pg_temp.case_uuid(g), ($3::text[])[1 + g % 7], ($4::text[])[1 + g % 3], o,
              CASE WHEN closes < 0.67 AND o + lasts < $2::timestamptz THEN o + lasts END
         FROM (SELECT g, ${tenYearsAgo} + random() * interval '10 years' AS o,
                      interval '30 days' + random() * interval '1430 days' AS lasts, random() AS closes
                 FROM generate_series(1, $1::int) g) x`,
      [cases, today, DEPARTMENTS, CASE_TYPES],
    );
    // Records pick their case by number.
    await db.query(
      `CREATE TEMP TABLE bench_cases AS
       SELECT row_number() OVER (ORDER BY opened_at)::int AS case_no, case_id, department_id, case_type, opened_at
         FROM casework_cases`,
    );
    await db.query('CREATE UNIQUE INDEX ON bench_cases (case_no)');
    await db.query('ANALYZE bench_cases');
    // Caseworker k works in department k % 7; a case goes to one of its department's. A third of
    // the cases change caseworker halfway.
    await db.query(
      `CREATE TEMP TABLE bench_first AS
       SELECT c.case_id, c.department_id, c.opened_at, c.closed_at,
              ((array_position($2::text[], c.department_id) - 1) + 7 * floor(random() * ($1::int / 7)))::int AS first_worker,
              ((array_position($2::text[], c.department_id) - 1) + 7 * floor(random() * ($1::int / 7)))::int AS second_worker,
              random() < 0.33 AS changes
         FROM casework_cases c`,
      [caseworkers, DEPARTMENTS],
    );
    const worker = (column: string) =>
      `(lpad(to_hex(${column}), 8, '0') || '-0000-4000-8000-000000000000')::uuid`;
    await db.query(
      `INSERT INTO casework_assignments (case_id, caseworker_id, department_id, from_at, to_at)
       SELECT case_id, ${worker('first_worker')}, department_id, opened_at,
              CASE WHEN changes THEN opened_at + (coalesce(closed_at, $1::timestamptz) - opened_at) / 2 ELSE closed_at END
         FROM bench_first
       UNION ALL
       SELECT case_id, ${worker('second_worker')}, department_id,
              opened_at + (coalesce(closed_at, $1::timestamptz) - opened_at) / 2, closed_at
         FROM bench_first WHERE changes`,
      [today],
    );
    // Inquiries on random cases: nine in ten acknowledged within 1–120 hours (most within 48).
    await db.query(
      `INSERT INTO casework_records (kind, record_id, facts, last_revision, outstanding, department_id, case_id,
         person_id, received_at, responded_at, done_at, due_on)
       SELECT 'inquiry', gen_random_uuid(), 'null', 0, false, c.department_id, c.case_id, gen_random_uuid(), t.at,
              CASE WHEN x.responds < 0.9 THEN t.at + (1 + x.hours * 119) * interval '1 hour' END,
              CASE WHEN x.responds < 0.85 THEN t.at + (1 + x.days * 20) * interval '1 day' END,
              (t.at + interval '14 days')::date
         FROM (SELECT g, 1 + floor(random() * $3::int)::int AS case_no, random() AS at_u,
                      random() AS responds, random() AS hours, random() AS days
                 FROM generate_series(1, $1::int) g) x
         JOIN bench_cases c ON c.case_no = x.case_no
        CROSS JOIN LATERAL (SELECT greatest(c.opened_at, ${tenYearsAgo} + x.at_u * interval '10 years') AS at) t
        WHERE t.at < $2::timestamptz`,
      [n(PER_UNIT.inquiries), today, cases],
    );
    // Applications: decided after 10–150 days against a deadline of 8 or 12 weeks; one in ten
    // appealed, half of those ruled on by the board, 37.5 % of rulings changed (domain.md).
    await db.query(
      `INSERT INTO casework_records (kind, record_id, facts, last_revision, outstanding, department_id, case_id,
         person_id, case_type, received_at, done_at, application_date, due_on, outcome,
         appealed_at, board_outcome, board_ruled_at)
       SELECT 'application', gen_random_uuid(), 'null', 0, false, c.department_id, c.case_id,
              gen_random_uuid(), c.case_type, t.at, d.decided, t.at::date,
              t.at::date + CASE c.case_type WHEN 'disability-support' THEN 84 ELSE 56 END,
              CASE WHEN d.decided IS NOT NULL THEN 'granted' END,
              CASE WHEN x.u < 0.1 AND d.decided + interval '20 days' < $2::timestamptz THEN d.decided + interval '20 days' END,
              CASE WHEN x.u < 0.05 AND d.decided + interval '200 days' < $2::timestamptz
                   THEN CASE WHEN x.u < 0.01875 THEN 'changed' ELSE 'upheld' END END,
              CASE WHEN x.u < 0.05 AND d.decided + interval '200 days' < $2::timestamptz THEN d.decided + interval '200 days' END
         FROM (SELECT g, 1 + floor(random() * $3::int)::int AS case_no, random() AS at_u,
                      (10 + random() * 140) * interval '1 day' AS took, random() AS u
                 FROM generate_series(1, $1::int) g) x
         JOIN bench_cases c ON c.case_no = x.case_no
        CROSS JOIN LATERAL (SELECT greatest(c.opened_at, ${tenYearsAgo} + x.at_u * interval '10 years') AS at) t
        CROSS JOIN LATERAL (SELECT CASE WHEN t.at + x.took < $2::timestamptz THEN t.at + x.took END AS decided) d
        WHERE t.at < $2::timestamptz`,
      [n(PER_UNIT.applications), today, cases],
    );
    for (const [kind, count] of [
      ['complaint', PER_UNIT.complaints],
      ['file-access', PER_UNIT.fileAccess],
    ] as const) {
      await db.query(
        `INSERT INTO casework_records (kind, record_id, facts, last_revision, outstanding, department_id, case_id,
           person_id, case_type, received_at, done_at, due_on, outcome)
         SELECT $4::text, gen_random_uuid(), 'null', 0, false, c.department_id, c.case_id, gen_random_uuid(),
                CASE WHEN $4::text = 'complaint' THEN 'casework' END, t.at,
                t.at + (2 + x.took * 30) * interval '1 day', (t.at + interval '9 days')::date, 'granted'
           FROM (SELECT g, 1 + floor(random() * $3::int)::int AS case_no, random() AS at_u, random() AS took
                   FROM generate_series(1, $1::int) g) x
           JOIN bench_cases c ON c.case_no = x.case_no
          CROSS JOIN LATERAL (SELECT greatest(c.opened_at, ${tenYearsAgo} + x.at_u * interval '10 years') AS at) t
          WHERE t.at < $2::timestamptz`,
        [n(count), today, cases, kind],
      );
    }
    const hasReviews = await db.query<{ exists: boolean }>(
      "SELECT to_regclass('supervision_reviews') IS NOT NULL AS exists",
    );
    if (hasReviews.rows[0]?.exists) {
      await db.query(
        `INSERT INTO supervision_reviews (sample_id, case_id, department_id, reviewer_id, answers, reviewed_at)
         SELECT gen_random_uuid(), c.case_id, c.department_id, gen_random_uuid(),
                jsonb_build_object('decisionCorrect', 'yes', 'reasonsAdequate', CASE WHEN x.u < 0.25 THEN 'no' ELSE 'yes' END,
                  'hearingDone', 'yes', 'consentObtained', 'not-relevant', 'appealGuidanceGiven', 'yes', 'notesAdequate', 'no'),
                ${tenYearsAgo} + x.at_u * interval '10 years'
           FROM (SELECT g, 1 + floor(random() * $3::int)::int AS case_no, random() AS at_u, random() AS u
                   FROM generate_series(1, $1::int) g) x
           JOIN bench_cases c ON c.case_no = x.case_no`,
        [n(PER_UNIT.reviews), today, cases],
      );
    }
    for (const index of indexes.rows) await db.query(index.definition);
    // What the casework projector keeps at month ends, from the cases and assignments above.
    for (const sql of MONTH_END_BACKFILL_SQL) await db.query(sql);
    // And the per-month counts of the records, by their migration's backfill too.
    for (const sql of RECORD_AGGREGATE_BACKFILL_SQL) await db.query(sql);
    await db.query('VACUUM ANALYZE');
  } finally {
    await db.end();
  }
}

interface SizeResult {
  readonly name: string;
  readonly units: number;
  readonly rows: number;
  readonly events: number;
  readonly fillSeconds: number;
  readonly figures: { p50: number; p99: number };
  readonly baseline: { p50: number; p99: number };
}

async function measureSize(
  context: BenchContext,
  name: string,
  units: number,
): Promise<SizeResult> {
  const url = await createDatabase(context.connectionString, `bench_figures_${name}`);
  const { config, token } = await benchAppConfig(url);
  const app = await createApp({ config, logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const today = copenhagenDateOf(new Date());
    const filling = performance.now();
    await fillCaseworkReadModel(url, units, today);
    const fillSeconds = (performance.now() - filling) / 1000;
    const db = new Client({ connectionString: url });
    await db.connect();
    const counted = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM casework_records) + (SELECT count(*) FROM casework_cases)
            + (SELECT count(*) FROM casework_assignments)
            + (SELECT count(*) FROM casework_open_at_month_end)
            + (SELECT count(*) FROM casework_caseload_at_month_end)
            + ${Object.values(RECORD_AGGREGATES)
              .map((a) => `(SELECT count(*) FROM ${a.table})`)
              .join(' + ')} AS n`,
    );
    await db.end();
    const rows = Number(counted.rows[0]?.n ?? 0);
    context.log(
      `${name}: ${formatNumber(rows)} rows (~${formatNumber(eventsRepresented(units))} events) filled in ${fillSeconds.toFixed(1)} s`,
    );

    const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
    const clients = await HttpClients.start(`http://127.0.0.1:${port}`, 1, token);
    try {
      const [year, month] = today.split('-').map(Number) as [number, number];
      const from = new Date(Date.UTC(year, month - 12, 1)).toISOString().slice(0, 7);
      const figures: HttpStep = {
        method: 'GET',
        path: `/management-figures?fromMonth=${from}&toMonth=${today.slice(0, 7)}`,
        expectStatus: 200,
      };
      const baseline: HttpStep = {
        method: 'GET',
        path: '/processing-deadlines',
        expectStatus: 200,
      };
      const count = scaled(30, context.scale, 3);
      const run = async (step: HttpStep) => {
        const result = await clients.run({ clients: [Array.from({ length: count }, () => step)] });
        const failures = Object.keys(result.failures);
        if (failures.length > 0) throw new Error(`${step.path}: ${failures.join(', ')}`);
        return { p50: percentile(result.latenciesMs, 50), p99: percentile(result.latenciesMs, 99) };
      };
      await run(figures); // warm-up: plans, caches
      let best = {
        figures: { p50: Infinity, p99: Infinity },
        baseline: { p50: Infinity, p99: Infinity },
      };
      for (let round = 0; round < context.rounds; round++) {
        const measured = { figures: await run(figures), baseline: await run(baseline) };
        // The round with the lower p99 of the figures: noise only adds.
        if (measured.figures.p99 < best.figures.p99) best = measured;
      }
      return { name, units, rows, events: eventsRepresented(units), fillSeconds, ...best };
    } finally {
      await clients.close();
    }
  } finally {
    await app.close();
    await dropDatabase(context.connectionString, `bench_figures_${name}`); // frees the server for later sections
  }
}

export async function runCaseworkBench(context: BenchContext): Promise<unknown> {
  const nationalUnits = Number(process.env.BENCH_FIGURES_NATIONAL_UNITS ?? 20);
  const municipal = await measureSize(context, 'municipal', 1);
  const national = await measureSize(context, 'national', nationalUnits);
  console.log('\n== Casework: management figures, all departments, 12 months, over HTTP ==');
  console.log(
    formatTable(
      ['dataset', 'rows', '~events', 'figures p50 ms', 'figures p99 ms', 'trivial GET p99 ms'],
      [municipal, national].map((size) => [
        size.name,
        formatNumber(size.rows),
        formatNumber(size.events),
        size.figures.p50.toFixed(1),
        size.figures.p99.toFixed(1),
        size.baseline.p99.toFixed(1),
      ]),
    ),
  );
  const eventGrowth = national.events / municipal.events;
  const timeGrowth = national.figures.p50 / municipal.figures.p50;
  console.log(
    formatTable(
      ['ratio', 'value', 'target', 'verdict'],
      [
        [
          'municipal figures p99 (ms)',
          municipal.figures.p99.toFixed(1),
          '< 200',
          municipal.figures.p99 < 200 ? 'target met' : 'below target',
        ],
        [
          'growth: national/municipal p50 vs events',
          `${timeGrowth.toFixed(2)} vs ${eventGrowth.toFixed(1)}`,
          '<= events growth',
          timeGrowth <= eventGrowth ? 'target met (no worse than linear)' : 'worse than linear',
        ],
        [
          'municipal figures p99 / trivial GET p99',
          (municipal.figures.p99 / municipal.baseline.p99).toFixed(1),
          '-',
          '-',
        ],
      ],
    ),
  );
  const output = { municipal, national, eventGrowth, timeGrowth };
  await writeJsonResult('casework', output);
  return output;
}

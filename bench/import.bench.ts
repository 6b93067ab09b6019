// Import benchmark: a municipal import file (bench/generate-import-file.ts, BENCH_IMPORT_FAMILIES
// families, default 10,000: ~40,000 cases, 600 caseworkers, ten years) through the real import
// (validation, deciders, the person registry's encryption, appendMany), beside the same event
// rows written raw into a same-shaped table by batched INSERT (100 rows per commit) and by COPY,
// in the same run. The import runs alone, as the raw baselines do; every projector starts at its
// end, and the section reports how long they take until all have caught up (the time until the
// read models hold the municipality).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { comparePositions, PostgresEventStore } from '@tovholder/event-store';
import { eventsTableSql } from '@tovholder/event-store/postgres/schema';
import { ProjectionRunner } from '@tovholder/read-models';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { loadConfig } from '../apps/api/src/config/app-config';
import { fileLines } from '../apps/api/src/imports/import-file';
import { MunicipalityImport } from '../apps/api/src/imports/municipality-import';
import { masterKeyFrom } from '../apps/api/src/persons/person-crypto';
import { PersonRegistry } from '../apps/api/src/persons/person-registry';
import { createProjectors, readModelDataSourceOptions } from '../apps/api/src/read-models';
import { writeImportFile } from './generate-import-file';
import {
  createDatabase,
  dropDatabase,
  formatNumber,
  formatTable,
  numberFromEnv,
  type BenchContext,
} from './support';

const DATABASE = 'bench_import';
const RAW_SCHEMA = 'bench_import_raw';
const INSERT_BATCH = 100;
const COLUMNS = 'stream_id, revision, event_id, type, data, metadata';

interface EventRow {
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export interface ImportBenchResult {
  readonly families: number;
  readonly lines: number;
  readonly events: number;
  readonly importSeconds: number;
  readonly importEventsPerSecond: number;
  readonly insertEventsPerSecond: number;
  readonly copyEventsPerSecond: number;
  readonly ratioToInsert: number;
  readonly ratioToCopy: number;
  readonly projectionsCaughtUpSecondsAfterImport: number;
  readonly secondRunWritten: number;
  /** Rows the import wrote beside the events (source keys, persons, their keys, names). */
  readonly otherRows: number;
  /** The machine's 1-minute load average when the import started (other work shares it). */
  readonly loadAverageAtStart: number;
}

export async function runImportBench(context: BenchContext): Promise<ImportBenchResult> {
  const families = Math.round(numberFromEnv('BENCH_IMPORT_FAMILIES', 10_000) * context.scale);
  const folder = await mkdtemp(join(tmpdir(), 'tovholder-bench-import-'));
  const file = join(folder, 'municipality.ndjson');
  const url = await createDatabase(context.connectionString, DATABASE);
  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await new DataSource(readModelDataSourceOptions(url)).initialize();
  const runners = createProjectors(loadConfig({})).map(
    (projector) => new ProjectionRunner(dataSource, store, projector),
  );
  try {
    const counts = await writeImportFile(file, { families });
    context.log(
      `import: file with ${counts.lines} lines (${counts.cases} cases, ${counts.persons} persons)`,
    );

    const registry = new PersonRegistry(dataSource, masterKeyFrom(randomBytes(32)));
    const loadAverageAtStart = loadavg()[0] ?? 0;
    const started = performance.now();
    const report = await new MunicipalityImport(store, dataSource, registry).run(fileLines(file));
    const importSeconds = (performance.now() - started) / 1000;
    if (report.problems.length > 0) throw new Error(`the import refused ${report.refused} records`);
    const head = await store.headPosition();
    const caughtUpStart = performance.now();
    for (const runner of runners) runner.start();
    while (runners.some((runner) => comparePositions(runner.position, head) < 0)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const caughtUp = (performance.now() - caughtUpStart) / 1000;
    await Promise.all(runners.map((runner) => runner.stop()));
    context.log(`import: ${report.events} events in ${importSeconds.toFixed(1)} s`);

    const again = await new MunicipalityImport(store, dataSource, registry).run(fileLines(file));
    const [other] = await dataSource.query<{ n: string }[]>(
      `SELECT (SELECT count(*) FROM source_keys) + (SELECT count(*) FROM persons)
            + (SELECT count(*) FROM person_keys) + (SELECT count(*) FROM caseworker_names) AS n`,
    );

    const rows = await dataSource.query<EventRow[]>(
      `SELECT ${COLUMNS.replace('data, metadata', 'data::text AS data, metadata::text AS metadata')}
         FROM event_store.events ORDER BY transaction_id, position`,
    );
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${RAW_SCHEMA} CASCADE; CREATE SCHEMA ${RAW_SCHEMA};
        ${eventsTableSql(RAW_SCHEMA)}`);
      const insertSeconds = await timed(() => insertBatched(client, rows));
      await client.query(`TRUNCATE ${RAW_SCHEMA}.events`);
      const copySeconds = await timed(() => copyAll(client, rows));
      const result: ImportBenchResult = {
        families,
        lines: report.lines,
        events: report.events,
        importSeconds,
        importEventsPerSecond: report.events / importSeconds,
        insertEventsPerSecond: rows.length / insertSeconds,
        copyEventsPerSecond: rows.length / copySeconds,
        ratioToInsert: report.events / importSeconds / (rows.length / insertSeconds),
        ratioToCopy: report.events / importSeconds / (rows.length / copySeconds),
        projectionsCaughtUpSecondsAfterImport: caughtUp,
        secondRunWritten: again.written,
        otherRows: Number(other?.n ?? 0),
        loadAverageAtStart,
      };
      print(result);
      return result;
    } finally {
      await client.end();
    }
  } finally {
    await Promise.all(runners.map((runner) => runner.stop().catch(() => undefined)));
    await store.close();
    await dataSource.destroy();
    await dropDatabase(context.connectionString, DATABASE);
    await rm(folder, { recursive: true, force: true });
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** The baseline: the same rows, 100 to a multi-row INSERT, each its own commit. */
async function insertBatched(client: Client, rows: readonly EventRow[]): Promise<void> {
  for (let from = 0; from < rows.length; from += INSERT_BATCH) {
    const batch = rows.slice(from, from + INSERT_BATCH);
    await client.query(
      `INSERT INTO ${RAW_SCHEMA}.events (${COLUMNS})
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])`,
      [
        batch.map((row) => row.stream_id),
        batch.map((row) => row.revision),
        batch.map((row) => row.event_id),
        batch.map((row) => row.type),
        batch.map((row) => row.data),
        batch.map((row) => row.metadata),
      ],
    );
  }
}

/** The stretch baseline: every row in one COPY (CSV). */
async function copyAll(client: Client, rows: readonly EventRow[]): Promise<void> {
  const csv = (value: string): string => `"${value.replaceAll('"', '""')}"`;
  function* lines(): Generator<string> {
    for (const row of rows) {
      yield `${csv(row.stream_id)},${row.revision},${row.event_id},${csv(row.type)},${csv(row.data)},${csv(row.metadata)}\n`;
    }
  }
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`COPY ${RAW_SCHEMA}.events (${COLUMNS}) FROM STDIN WITH (FORMAT csv)`)),
  );
}

function print(result: ImportBenchResult): void {
  console.log('');
  console.log(
    `== Import: ${formatNumber(result.families)} families, ${formatNumber(result.lines)} lines, ${formatNumber(result.events)} events ==`,
  );
  console.log(
    formatTable(
      ['what', 'events/s', 'ratio of import'],
      [
        [
          'import (validation, deciders, person registry, appendMany)',
          formatNumber(result.importEventsPerSecond),
          '1.00',
        ],
        [
          `raw batched INSERT (${INSERT_BATCH} rows per commit), same rows`,
          formatNumber(result.insertEventsPerSecond),
          `${result.ratioToInsert.toFixed(2)}× (target ≥ 0.8)`,
        ],
        [
          'raw COPY, same rows',
          formatNumber(result.copyEventsPerSecond),
          `${result.ratioToCopy.toFixed(2)}× (stretch ≥ 0.5)`,
        ],
      ],
    ),
  );
  console.log(
    `besides its events the import wrote ${formatNumber(result.otherRows)} other rows (source keys, persons, their keys, caseworker names); the baselines write the event rows only, and the ratios are of events`,
  );
  console.log(`load average when the import started: ${result.loadAverageAtStart.toFixed(1)}`);
  console.log(
    `import took ${result.importSeconds.toFixed(1)} s; every projection, started at its end, caught up ${result.projectionsCaughtUpSecondsAfterImport.toFixed(1)} s after it; the same file again wrote ${result.secondRunWritten} events`,
  );
}

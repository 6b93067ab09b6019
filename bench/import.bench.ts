// Import benchmark: a municipal import file (bench/generate-import-file.ts, BENCH_IMPORT_FAMILIES
// families, default 10,000: ~40,000 cases, 600 caseworkers, ten years) through the real import
// (validation, deciders, the person registry's encryption, appendMany), beside the same event rows
// written raw into a same-shaped table by batched INSERT (100 rows per commit) and by COPY. The
// three are measured in rounds (BENCH_IMPORT_ROUNDS, default BENCH_ROUNDS but at least 3),
// interleaved and in turned order (import, INSERT, COPY; then COPY, INSERT, import; ...), so load
// from other work on the machine falls on all three alike; every round's figures are printed and
// the medians compared. Each import runs in a fresh database and a fresh Node process of its own,
// as `npm run import` does (cold JIT, the schema compiled on first use; the process start and
// module loading, its person-sealing thread's too, are not timed), while the baselines run in the
// bench's process with the rows already in memory. After the rounds every projector starts at the
// last import's end, and the section reports how long they take until all have caught up (the time
// until the read models hold the municipality), then imports the same file again.
// BENCH_CPU_PROF_DIR=<dir> writes each import process's V8 CPU profile there.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
import { MunicipalityImport, type ImportReport } from '../apps/api/src/imports/municipality-import';
import { masterKeyFrom } from '../apps/api/src/persons/person-crypto';
import { PersonRegistry } from '../apps/api/src/persons/person-registry';
import { createProjectors, readModelDataSourceOptions } from '../apps/api/src/read-models';
import { writeImportFile } from './generate-import-file';
import {
  cpuSecondsSoFar,
  cpuSince,
  createDatabase,
  dropDatabase,
  formatNumber,
  formatTable,
  median,
  numberFromEnv,
  type BenchContext,
  type CpuSeconds,
} from './support';

const DATABASE = 'bench_import';
const RAW_DATABASE = 'bench_import_raw';
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

type Contender = 'import' | 'INSERT' | 'COPY';

/** The import's time and the three rates, and how the import's compares with the baselines'. */
interface ImportFigures {
  readonly importSeconds: number;
  readonly importEventsPerSecond: number;
  readonly insertEventsPerSecond: number;
  readonly copyEventsPerSecond: number;
  readonly ratioToInsert: number;
  readonly ratioToCopy: number;
}

/** One round's figures, each measured right after the others. */
export interface ImportBenchRound extends ImportFigures {
  readonly round: number;
  readonly order: readonly Contender[];
  /** The machine's 1-minute load average when the round started (other work shares it). */
  readonly loadAverageAtStart: number;
  /** CPU seconds each used: its Node process, and the PostgreSQL cluster's processes. */
  readonly cpu: Record<Contender, CpuSeconds>;
  /** Of the import's Node CPU seconds, its main thread's (the rest: sealing thread, collector). */
  readonly importMainThread: number;
}

/** The figures are the rounds' medians, and the ratios those of the medians. */
export interface ImportBenchResult extends ImportFigures {
  readonly families: number;
  readonly lines: number;
  readonly events: number;
  readonly rounds: readonly ImportBenchRound[];
  readonly projectionsCaughtUpSecondsAfterImport: number;
  readonly secondRunWritten: number;
  /** Rows the import wrote beside the events (source keys, persons, their keys, names). */
  readonly otherRows: number;
  /** The load average when the first round started. */
  readonly loadAverageAtStart: number;
}

/** What the bench tells an import process, and what it answers. */
interface ImportJob {
  readonly url: string;
  readonly file: string;
  /** The person registry's master key (hex): the parent's second run finds the same persons. */
  readonly masterKey: string;
}
type ImportAnswer =
  | {
      readonly kind: 'done';
      readonly seconds: number;
      readonly cpu: CpuSeconds;
      /** CPU seconds of the import process's main thread (NaN where /proc cannot tell). */
      readonly mainThread: number;
      readonly report: ImportReport;
    }
  | { readonly kind: 'failed'; readonly message: string };

export async function runImportBench(context: BenchContext): Promise<ImportBenchResult> {
  const families = Math.round(numberFromEnv('BENCH_IMPORT_FAMILIES', 10_000) * context.scale);
  const roundCount = Math.max(
    1,
    Math.round(numberFromEnv('BENCH_IMPORT_ROUNDS', Math.max(3, context.rounds))),
  );
  const folder = await mkdtemp(join(tmpdir(), 'tovholder-bench-import-'));
  const file = join(folder, 'municipality.ndjson');
  const masterKey = randomBytes(32);
  const raw = new Client({
    connectionString: await createDatabase(context.connectionString, RAW_DATABASE),
  });
  // A connection the server ends (it stopped) fails the next query rather than the process.
  raw.on('error', (error) =>
    context.log(`import: the baselines' connection ended: ${error.message}`),
  );
  await raw.connect();
  try {
    await raw.query(`CREATE SCHEMA ${RAW_SCHEMA}; ${eventsTableSql(RAW_SCHEMA)}`);
    const counts = await writeImportFile(file, { families });
    context.log(
      `import: file with ${counts.lines} lines (${counts.cases} cases, ${counts.persons} persons), ${roundCount} rounds`,
    );

    let url = '';
    let report: ImportReport | null = null;
    let rows: readonly EventRow[] = [];
    const rounds: ImportBenchRound[] = [];
    for (let round = 1; round <= roundCount; round++) {
      // Turned every other round; the first starts with the import, whose rows the others write.
      const order: Contender[] =
        round % 2 === 1 ? ['import', 'INSERT', 'COPY'] : ['COPY', 'INSERT', 'import'];
      const loadAverageAtStart = loadavg()[0] ?? 0;
      const seconds = { import: 0, INSERT: 0, COPY: 0 };
      let importMainThread = Number.NaN;
      const cpu: Record<Contender, CpuSeconds> = {
        import: { node: 0, postgres: 0 },
        INSERT: { node: 0, postgres: 0 },
        COPY: { node: 0, postgres: 0 },
      };
      for (const contender of order) {
        if (contender === 'import') {
          url = await createDatabase(context.connectionString, DATABASE);
          const imported = await importInOwnProcess({
            url,
            file,
            masterKey: masterKey.toString('hex'),
          });
          if (imported.report.problems.length > 0) {
            throw new Error(`the import refused ${imported.report.refused} records`);
          }
          report = imported.report;
          seconds.import = imported.seconds;
          cpu.import = imported.cpu;
          importMainThread = imported.mainThread;
          if (rows.length === 0) rows = await storedRows(url);
          if (imported.report.events !== rows.length) {
            throw new Error(
              `round ${round} imported ${imported.report.events} events, not ${rows.length}`,
            );
          }
        } else {
          await raw.query(`TRUNCATE ${RAW_SCHEMA}.events`);
          const cpuBefore = cpuSecondsSoFar(process.pid);
          seconds[contender] = await timed(() =>
            contender === 'INSERT' ? insertBatched(raw, rows) : copyAll(raw, rows),
          );
          cpu[contender] = cpuSince(cpuBefore, process.pid);
        }
      }
      const importEventsPerSecond = rows.length / seconds.import;
      const figures: ImportBenchRound = {
        round,
        order,
        importSeconds: seconds.import,
        importEventsPerSecond,
        insertEventsPerSecond: rows.length / seconds.INSERT,
        copyEventsPerSecond: rows.length / seconds.COPY,
        ratioToInsert: seconds.INSERT / seconds.import,
        ratioToCopy: seconds.COPY / seconds.import,
        loadAverageAtStart,
        cpu,
        importMainThread,
      };
      rounds.push(figures);
      context.log(
        `import: round ${round} (${order.join(', ')}): import ${formatNumber(importEventsPerSecond)} events/s, ${figures.ratioToInsert.toFixed(2)}× INSERT, ${figures.ratioToCopy.toFixed(2)}× COPY`,
      );
    }
    if (!report) throw new Error('no import round ran');
    const after = await afterTheLastImport(url, file, masterKey);
    const medianOf = (pick: (round: ImportBenchRound) => number) => median(rounds.map(pick));
    const importEventsPerSecond = medianOf((round) => round.importEventsPerSecond);
    const insertEventsPerSecond = medianOf((round) => round.insertEventsPerSecond);
    const copyEventsPerSecond = medianOf((round) => round.copyEventsPerSecond);
    const result: ImportBenchResult = {
      families,
      lines: report.lines,
      events: report.events,
      rounds,
      importSeconds: medianOf((round) => round.importSeconds),
      importEventsPerSecond,
      insertEventsPerSecond,
      copyEventsPerSecond,
      ratioToInsert: importEventsPerSecond / insertEventsPerSecond,
      ratioToCopy: importEventsPerSecond / copyEventsPerSecond,
      ...after,
      loadAverageAtStart: rounds[0]?.loadAverageAtStart ?? 0,
    };
    print(result);
    return result;
  } finally {
    await raw.end();
    await dropDatabase(context.connectionString, DATABASE);
    await dropDatabase(context.connectionString, RAW_DATABASE);
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * On the last round's database: every projector started at the import's end until all have
 * caught up, then the same file imported again (it writes nothing), and the rows the import
 * wrote beside its events.
 */
async function afterTheLastImport(
  url: string,
  file: string,
  masterKey: Buffer,
): Promise<
  Pick<
    ImportBenchResult,
    'projectionsCaughtUpSecondsAfterImport' | 'secondRunWritten' | 'otherRows'
  >
> {
  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await new DataSource(readModelDataSourceOptions(url)).initialize();
  const runners = createProjectors(loadConfig({})).map(
    (projector) => new ProjectionRunner(dataSource, store, projector),
  );
  try {
    const head = await store.headPosition();
    const caughtUpStart = performance.now();
    for (const runner of runners) runner.start();
    while (runners.some((runner) => comparePositions(runner.position, head) < 0)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const caughtUp = (performance.now() - caughtUpStart) / 1000;
    await Promise.all(runners.map((runner) => runner.stop()));
    const registry = new PersonRegistry(dataSource, masterKeyFrom(masterKey));
    const again = await new MunicipalityImport(store, dataSource, registry).run(fileLines(file));
    const [other] = await dataSource.query<{ n: string }[]>(
      `SELECT (SELECT count(*) FROM source_keys) + (SELECT count(*) FROM persons)
            + (SELECT count(*) FROM person_keys) + (SELECT count(*) FROM caseworker_names) AS n`,
    );
    return {
      projectionsCaughtUpSecondsAfterImport: caughtUp,
      secondRunWritten: again.written,
      otherRows: Number(other?.n ?? 0),
    };
  } finally {
    await Promise.all(runners.map((runner) => runner.stop().catch(() => undefined)));
    await store.close();
    await dataSource.destroy();
  }
}

/** The import's event rows in the log's order: what the baselines write. */
async function storedRows(url: string): Promise<EventRow[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<EventRow>(
      `SELECT ${COLUMNS.replace('data, metadata', 'data::text AS data, metadata::text AS metadata')}
         FROM event_store.events ORDER BY transaction_id, position`,
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

/**
 * The import in a Node process of its own (this process's -r @swc-node/register), as
 * `npm run import` runs it: the stores are opened and the modules loaded before the clock starts.
 */
async function importInOwnProcess(
  job: ImportJob,
): Promise<{ seconds: number; cpu: CpuSeconds; mainThread: number; report: ImportReport }> {
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const child = fork(__filename, [IMPORT_CHILD], {
    execArgv: [
      ...process.execArgv,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  try {
    const answer = await new Promise<ImportAnswer>((resolve, reject) => {
      child.once('message', (message: ImportAnswer) => resolve(message));
      child.once('exit', (code) => reject(new Error(`the import process exited (${code})`)));
      child.send(job);
    });
    if (answer.kind === 'failed') throw new Error(`the import process failed: ${answer.message}`);
    return answer;
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    }
  }
}

const IMPORT_CHILD = '--import-child';

/** The import process: one job, timed from the first line read to the report. */
async function importChild(job: ImportJob): Promise<ImportAnswer> {
  const store = await PostgresEventStore.open({ connectionString: job.url });
  const dataSource = await new DataSource(readModelDataSourceOptions(job.url)).initialize();
  try {
    const registry = new PersonRegistry(
      dataSource,
      masterKeyFrom(Buffer.from(job.masterKey, 'hex')),
    );
    // The registry's sealing thread loads its modules as this process has (not timed either).
    await registry.startSealing();
    const cpuBefore = cpuSecondsSoFar(process.ppid);
    const mainThreadBefore = mainThreadCpuSeconds();
    const started = performance.now();
    const report = await new MunicipalityImport(store, dataSource, registry).run(
      fileLines(job.file),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      kind: 'done',
      seconds,
      cpu: cpuSince(cpuBefore, process.ppid),
      mainThread: mainThreadCpuSeconds() - mainThreadBefore,
      report,
    };
  } finally {
    await store.close();
    await dataSource.destroy();
  }
}

/** CPU seconds of this process's main thread (its task id is the process id); NaN off Linux. */
function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
  } catch {
    return Number.NaN;
  }
}

if (require.main === module && process.argv[2] === IMPORT_CHILD) {
  process.once('message', (job: ImportJob) => {
    importChild(job).then(
      (answer) => process.send?.(answer),
      (error: unknown) =>
        process.send?.({
          kind: 'failed',
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  });
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
  const ratio = (value: number) => `${value.toFixed(2)}×`;
  console.log('');
  console.log(
    `== Import: ${formatNumber(result.families)} families, ${formatNumber(result.lines)} lines, ${formatNumber(result.events)} events, ${result.rounds.length} rounds ==`,
  );
  console.log(
    formatTable(
      [
        'round',
        'order',
        'load',
        'import events/s',
        `INSERT (${INSERT_BATCH}/commit)`,
        'COPY',
        'import / INSERT',
        'import / COPY',
      ],
      result.rounds.map((round) => [
        String(round.round),
        round.order.join(', '),
        round.loadAverageAtStart.toFixed(1),
        formatNumber(round.importEventsPerSecond),
        formatNumber(round.insertEventsPerSecond),
        formatNumber(round.copyEventsPerSecond),
        ratio(round.ratioToInsert),
        ratio(round.ratioToCopy),
      ]),
    ),
  );
  const spread = (pick: (round: ImportBenchRound) => number) => {
    const values = result.rounds.map(pick);
    return `${ratio(Math.min(...values))} to ${ratio(Math.max(...values))}`;
  };
  console.log('');
  console.log(
    formatTable(
      ['median of the rounds', 'events/s', 'ratio of import', 'rounds'],
      [
        [
          'import (own process: validation, deciders, person registry, appendMany)',
          formatNumber(result.importEventsPerSecond),
          '1.00',
          '',
        ],
        [
          `raw batched INSERT (${INSERT_BATCH} rows per commit), same rows`,
          formatNumber(result.insertEventsPerSecond),
          `${ratio(result.ratioToInsert)} (target ≥ 0.8)`,
          spread((round) => round.ratioToInsert),
        ],
        [
          'raw COPY, same rows',
          formatNumber(result.copyEventsPerSecond),
          `${ratio(result.ratioToCopy)} (stretch ≥ 0.5)`,
          spread((round) => round.ratioToCopy),
        ],
      ],
    ),
  );
  const cpuOf = (contender: Contender) => {
    const node = median(result.rounds.map((round) => round.cpu[contender].node));
    const postgres = median(result.rounds.map((round) => round.cpu[contender].postgres));
    return [contender, node.toFixed(1), postgres.toFixed(1), (node + postgres).toFixed(1)];
  };
  console.log('');
  console.log(
    formatTable(
      ['CPU seconds a run (median)', 'Node', 'PostgreSQL', 'together'],
      (['import', 'INSERT', 'COPY'] as const).map(cpuOf),
    ),
  );
  console.log(
    `of the import's Node CPU, its main thread's: ${median(result.rounds.map((round) => round.importMainThread)).toFixed(1)} s (median; the rest is the person-sealing thread and V8's helpers, mostly the collector)`,
  );
  console.log(
    `besides its events the import wrote ${formatNumber(result.otherRows)} other rows (source keys, persons, their keys, caseworker names); the baselines write the event rows only, and the ratios are of events. Each import ran in a fresh database and Node process (not timed: the process start, loading the modules, its person-sealing thread's too, opening the stores); the baselines ran in the bench's process with the rows in memory`,
  );
  console.log(
    `median import ${result.importSeconds.toFixed(1)} s; after the last one every projection, started at its end, caught up in ${result.projectionsCaughtUpSecondsAfterImport.toFixed(1)} s; the same file again wrote ${result.secondRunWritten} events`,
  );
}

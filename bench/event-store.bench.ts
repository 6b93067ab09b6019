// Event store benchmark: our PostgreSQL append and readAll against raw PostgreSQL on a table of
// the same shape, and against Emmett's PostgreSQL event store, in one database and one run.
import { randomUUID } from 'node:crypto';
import {
  getPostgreSQLEventStore,
  type PostgresEventStore as EmmettEventStore,
} from '@event-driven-io/emmett-postgresql';
import {
  PostgresEventStore,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type Position,
} from '@tovholder/event-store';
import { eventsTableSql } from '@tovholder/event-store/postgres/schema';
import { Pool, types as pgTypes, type CustomTypesConfig } from 'pg';
import {
  combineRuns,
  formatNumber,
  formatTable,
  median,
  percentile,
  runWriters,
  scaled,
  timeItems,
  type BenchContext,
  type ThroughputRun,
} from './support';

// Operation counts at BENCH_SCALE=1, sized for roughly 3–6 s per figure on a 2-core machine.
const SIZES = {
  /** Appends by the single writer. */
  oneWriterOps: 4_000,
  /** Appends by all 16 writers together (a multiple of 16 x SLICES). */
  manyWriterOps: 9_600,
  /** Events the log must hold before the read figures (the brief asks for at least 50,000). */
  readLogEvents: 60_000,
  /** Whole-log passes per read figure. */
  readPasses: 6,
} as const;
const MANY_WRITERS = 16;
const POOL_SIZE = 20; // PostgresEventStore's default pool size; the peers get the same
const PAGE_SIZE = 500;
const FILL_BATCH = 100; // events per append when filling the log for the read figures
const WARMUP_OPS_PER_WRITER = 5; // untimed, on the same streams, right before each measurement
const SLICES = 4; // each measurement is taken in this many slices, in turns with its peers

const RAW_SCHEMA = 'bench_raw';

/** event_store.events from libs/event-store/src/postgres/schema.ts, minus its triggers and functions. */
const RAW_SCHEMA_SQL = /* sql */ `
DROP SCHEMA IF EXISTS ${RAW_SCHEMA} CASCADE;
CREATE SCHEMA ${RAW_SCHEMA};
${eventsTableSql(RAW_SCHEMA)}
`;

const RAW_INSERT_SQL = `INSERT INTO ${RAW_SCHEMA}.events (stream_id, revision, event_id, type, data, metadata)
  VALUES ($1, $2, $3, $4, $5, $6)`;

const READ_COLUMNS =
  'transaction_id, position, stream_id, revision, event_id, type, data, metadata, recorded_at';

const RAW_PAGE_SQL = `SELECT ${READ_COLUMNS} FROM ${RAW_SCHEMA}.events
  WHERE position > $1 ORDER BY position LIMIT $2`;

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

let eventCounter = 0;

/** A realistic event: ~300 bytes of JSON data, small metadata, a fresh id. */
function sampleEvent(): NewEvent {
  eventCounter += 1;
  return {
    id: randomUUID(),
    type: 'CoordinationFlagRaised',
    data: {
      caseId: randomUUID(),
      familyId: randomUUID(),
      flag: 'school-absence',
      department: 'children-and-families',
      raisedBy: 'caseworker:4821',
      severity: 'high',
      dueOn: '2025-03-14',
      note: 'Repeated school absence; coordinate with the health visitor first.',
      sequence: eventCounter,
    },
    metadata: { actor: 'caseworker:4821', correlationId: randomUUID(), causationId: randomUUID() },
  };
}

function requireItem<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item at index ${index}`);
  return item;
}

// ---------------------------------------------------------------------------------------------
// Contenders
// ---------------------------------------------------------------------------------------------

type ContenderKey = 'raw' | 'ours' | 'emmett';
type AppendOperation = (writer: number) => Promise<unknown>;

interface WriteContender {
  readonly key: ContenderKey;
  readonly label: string;
  /** Fresh streams, one per writer, and the operation that appends the next event to one. */
  streams(writers: number, tag: string): AppendOperation;
}

function oursContender(store: PostgresEventStore): WriteContender {
  return {
    key: 'ours',
    label: 'append (ours)',
    streams(writers, tag) {
      const streams: { id: string; expected: ExpectedRevision }[] = Array.from(
        { length: writers },
        (_, writer) => ({
          id: `bench-ours-${tag}-w${writer}-${randomUUID()}`,
          expected: 'no_stream',
        }),
      );
      return async (writer) => {
        const stream = requireItem(streams, writer);
        // The command-handler pattern: the exact revision the decision was made on.
        const result = await store.append(stream.id, [sampleEvent()], stream.expected);
        stream.expected = result.nextRevision;
      };
    },
  };
}

function rawContender(pool: Pool): WriteContender {
  return {
    key: 'raw',
    label: 'raw INSERT',
    streams(writers, tag) {
      const streams = Array.from({ length: writers }, (_, writer) => ({
        id: `bench-raw-${tag}-w${writer}-${randomUUID()}`,
        revision: 0,
      }));
      return async (writer) => {
        const stream = requireItem(streams, writer);
        const event = sampleEvent();
        await pool.query(RAW_INSERT_SQL, [
          stream.id,
          stream.revision,
          event.id,
          event.type,
          event.data,
          event.metadata ?? {},
        ]);
        stream.revision += 1;
      };
    },
  };
}

type EmmettExpected = bigint | 'STREAM_DOES_NOT_EXIST';

function emmettContender(store: EmmettEventStore): WriteContender {
  return {
    key: 'emmett',
    label: 'Emmett append',
    streams(writers, tag) {
      const streams: { id: string; expected: EmmettExpected }[] = Array.from(
        { length: writers },
        (_, writer) => ({
          id: `bench-emmett-${tag}-w${writer}-${randomUUID()}`,
          expected: 'STREAM_DOES_NOT_EXIST',
        }),
      );
      return async (writer) => {
        const stream = requireItem(streams, writer);
        const event = sampleEvent();
        const result = await store.appendToStream(
          stream.id,
          [{ type: event.type, data: event.data, metadata: event.metadata ?? {} }],
          { expectedStreamVersion: stream.expected },
        );
        stream.expected = result.nextExpectedStreamVersion;
      };
    },
  };
}

/**
 * Emmett's driver (dumbo) sets process-wide `pg` type parsers on creation (int8 -> BigInt, jsonb
 * through a reviving JSON.parse). Left in place they would slow our store and the raw figures
 * too, which in production run without Emmett. So Emmett gets its parsers on its own pool only.
 */
function createEmmettStore(connectionString: string): { store: EmmettEventStore; pool: Pool } {
  const oids = [20, 114, 3802] as const; // int8, json, jsonb
  const before = new Map(oids.map((oid) => [oid, pgTypes.getTypeParser(oid, 'text')]));
  type Parser = (value: string) => unknown;
  const emmettParsers = new Map<number, Parser>();
  const getTypeParser = (oid: number, format?: 'text' | 'binary'): Parser => {
    const fallback: Parser = pgTypes.getTypeParser(oid, format);
    return emmettParsers.get(oid) ?? fallback;
  };
  const types: CustomTypesConfig = {
    getTypeParser: getTypeParser as CustomTypesConfig['getTypeParser'],
  };
  // Same pool size as ours and raw (Emmett's own default pool would have pg's 10).
  const pool = new Pool({
    connectionString,
    max: POOL_SIZE,
    types,
    application_name: 'bench-emmett',
  });
  pool.on('error', () => undefined);
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  for (const oid of oids) {
    const parser = before.get(oid);
    const installed = pgTypes.getTypeParser(oid, 'text');
    if (installed !== parser) emmettParsers.set(oid, installed);
    if (parser) pgTypes.setTypeParser(oid, 'text', parser);
  }
  return { store, pool };
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

export interface FigureResult {
  readonly key: string;
  readonly figure: string;
  readonly writers: number | null;
  /** Operations (appends, or events read) per round. */
  readonly ops: number;
  /** Medians over the rounds. */
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly roundsOpsPerSecond: readonly number[];
}

export interface RatioResult {
  readonly ratio: string;
  readonly value: number;
  readonly target: number | null;
  readonly verdict: string;
}

export interface EventStoreBenchResult {
  readonly sizes: {
    readonly oneWriterOps: number;
    readonly manyWriterOps: number;
    readonly logEvents: number;
    readonly readPasses: number;
    readonly pageSize: number;
  };
  readonly figures: readonly FigureResult[];
  readonly ratios: readonly RatioResult[];
  readonly seconds: number;
}

function writeFigure(
  key: string,
  figure: string,
  writers: number,
  runs: readonly ThroughputRun[],
): FigureResult {
  return {
    key,
    figure,
    writers,
    ops: runs[0]?.ops ?? 0,
    seconds: median(runs.map((run) => run.seconds)),
    opsPerSecond: median(runs.map((run) => run.opsPerSecond)),
    p50Ms: median(runs.map((run) => percentile(run.latenciesMs, 50))),
    p99Ms: median(runs.map((run) => percentile(run.latenciesMs, 99))),
    roundsOpsPerSecond: runs.map((run) => run.opsPerSecond),
  };
}

function readFigure(
  key: string,
  figure: string,
  runs: readonly { items: number; seconds: number }[],
): FigureResult {
  const rates = runs.map((run) => run.items / run.seconds);
  return {
    key,
    figure,
    writers: null,
    ops: runs[0]?.items ?? 0,
    seconds: median(runs.map((run) => run.seconds)),
    opsPerSecond: median(rates),
    p50Ms: null,
    p99Ms: null,
    roundsOpsPerSecond: rates,
  };
}

// ---------------------------------------------------------------------------------------------
// The benchmark
// ---------------------------------------------------------------------------------------------

export async function runEventStoreBench(context: BenchContext): Promise<EventStoreBenchResult> {
  const started = performance.now();
  const { connectionString, log } = context;
  const sizes = {
    oneWriterOps: scaled(SIZES.oneWriterOps, context.scale, SLICES),
    manyWriterOps: scaled(SIZES.manyWriterOps, context.scale, MANY_WRITERS * SLICES),
    logEvents: scaled(SIZES.readLogEvents, context.scale, FILL_BATCH),
    readPasses: SIZES.readPasses,
    pageSize: PAGE_SIZE,
  };

  const ours = await PostgresEventStore.open({ connectionString, poolSize: POOL_SIZE });
  const raw = new Pool({ connectionString, max: POOL_SIZE, application_name: 'bench-raw' });
  raw.on('error', () => undefined);
  const emmett = createEmmettStore(connectionString);
  try {
    await raw.query(RAW_SCHEMA_SQL);
    const contenders = [rawContender(raw), oursContender(ours), emmettContender(emmett.store)];

    // Warm-up: Emmett creates its schema on the first append; every pool opens its connections
    // and every statement path gets exercised once before anything is timed.
    log('warming up');
    for (const contender of contenders) {
      await runWriters(1, 20, contender.streams(1, 'warmup-1'));
      await runWriters(MANY_WRITERS, 10, contender.streams(MANY_WRITERS, 'warmup-16'));
    }

    // Write figures: the trio of one writer count is measured together, each contender's
    // share cut into slices taken in turns (order rotated every round), so drift in fsync
    // latency, autovacuum or page cache hits all three alike.
    const writeRuns = new Map<string, ThroughputRun[]>();
    const groups = [
      { writers: 1, opsPerWriter: sizes.oneWriterOps },
      { writers: MANY_WRITERS, opsPerWriter: sizes.manyWriterOps / MANY_WRITERS },
    ];
    for (let round = 0; round < context.rounds; round += 1) {
      for (const group of groups) {
        const turns = contenders.map((_, turn) => {
          const contender = requireItem(contenders, (turn + round) % contenders.length);
          const append = contender.streams(group.writers, `r${round}-${group.writers}`);
          return { contender, append, slices: [] as ThroughputRun[] };
        });
        for (const turn of turns)
          await runWriters(group.writers, WARMUP_OPS_PER_WRITER, turn.append);
        for (let slice = 0; slice < SLICES; slice += 1) {
          for (const turn of turns) {
            turn.slices.push(
              await runWriters(group.writers, group.opsPerWriter / SLICES, turn.append),
            );
          }
        }
        for (const { contender, slices } of turns) {
          const run = combineRuns(slices);
          const key = `${contender.key}-${group.writers}`;
          writeRuns.set(key, [...(writeRuns.get(key) ?? []), run]);
          log(
            `round ${round + 1}: ${contender.label}, ${group.writers} writer(s): ` +
              `${formatNumber(run.opsPerSecond)} ops/s in ${run.seconds.toFixed(2)} s`,
          );
        }
      }
    }

    // Read figures: both tables hold the same number of events, copied from the same payloads;
    // whole-log passes alternate between the two.
    const logEvents = await fillForReads(ours, raw, sizes.logEvents, log);
    type ReadRun = { items: number; seconds: number };
    const readers = {
      ours: () => readWholeLogOurs(ours),
      raw: () => readWholeLogRaw(raw),
    };
    const readRuns: Record<keyof typeof readers, ReadRun[]> = { ours: [], raw: [] };
    await readers.ours(); // warm caches and plans, untimed
    await readers.raw();
    for (let round = 0; round < context.rounds; round += 1) {
      const totals: Record<keyof typeof readers, ReadRun> = {
        ours: { items: 0, seconds: 0 },
        raw: { items: 0, seconds: 0 },
      };
      for (let pass = 0; pass < sizes.readPasses; pass += 1) {
        const order =
          (pass + round) % 2 === 0 ? (['raw', 'ours'] as const) : (['ours', 'raw'] as const);
        for (const who of order) {
          const run = await timeItems(readers[who]);
          totals[who].items += run.items;
          totals[who].seconds += run.seconds;
        }
      }
      for (const who of ['raw', 'ours'] as const) {
        const run = totals[who];
        readRuns[who].push(run);
        log(
          `round ${round + 1}: ${who === 'ours' ? 'readAll (ours)' : 'raw paged SELECT'}: ` +
            `${formatNumber(run.items / run.seconds)} events/s in ${run.seconds.toFixed(2)} s`,
        );
      }
    }

    const figures: FigureResult[] = [];
    for (const writers of [1, MANY_WRITERS]) {
      for (const contender of contenders) {
        const key = `${contender.key}-${writers}`;
        figures.push(writeFigure(key, contender.label, writers, writeRuns.get(key) ?? []));
      }
    }
    figures.push(readFigure('raw-read', 'raw paged SELECT', readRuns.raw));
    figures.push(readFigure('ours-read', 'readAll (ours)', readRuns.ours));

    const rate = (key: string): number =>
      figures.find((figure) => figure.key === key)?.opsPerSecond ?? Number.NaN;
    const ratios: RatioResult[] = [
      targetRatio('append / raw INSERT, 1 writer', rate('ours-1') / rate('raw-1'), 0.8),
      targetRatio(
        `append / raw INSERT, ${MANY_WRITERS} writers`,
        rate(`ours-${MANY_WRITERS}`) / rate(`raw-${MANY_WRITERS}`),
        0.8,
      ),
      peerRatio('append / Emmett append, 1 writer', rate('ours-1') / rate('emmett-1')),
      peerRatio(
        `append / Emmett append, ${MANY_WRITERS} writers`,
        rate(`ours-${MANY_WRITERS}`) / rate(`emmett-${MANY_WRITERS}`),
      ),
      targetRatio('readAll / raw paged SELECT', rate('ours-read') / rate('raw-read'), 0.5),
    ];

    const result: EventStoreBenchResult = {
      sizes: { ...sizes, logEvents },
      figures,
      ratios,
      seconds: (performance.now() - started) / 1000,
    };
    printEventStoreResult(result, context.rounds);
    return result;
  } finally {
    await emmett.store.close().catch(() => undefined);
    await emmett.pool.end().catch(() => undefined);
    await raw.end().catch(() => undefined);
    await ours.close().catch(() => undefined);
  }
}

function targetRatio(ratio: string, value: number, target: number): RatioResult {
  return { ratio, value, target, verdict: value >= target ? 'target met' : 'below target' };
}

/** Emmett is a peer, not a bound: no target, just which way it goes. */
function peerRatio(ratio: string, value: number): RatioResult {
  return {
    ratio,
    value,
    target: null,
    verdict: value >= 1 ? 'faster than Emmett' : 'slower than Emmett',
  };
}

/**
 * Brings our log to at least `target` events (100-event appends, new stream each) and the raw
 * table to the same count by copying our rows, then VACUUM ANALYZE both so neither read pays
 * for hint bits or runs on stale statistics.
 */
async function fillForReads(
  store: PostgresEventStore,
  raw: Pool,
  target: number,
  log: (message: string) => void,
): Promise<number> {
  const count = async (table: string): Promise<number> => {
    const result = await raw.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(result.rows[0]?.n ?? 0);
  };
  const goal = Math.max(
    target,
    await count('event_store.events'),
    await count(`${RAW_SCHEMA}.events`),
  );
  const missing = goal - (await count('event_store.events'));
  const batches = Math.ceil(missing / FILL_BATCH);
  log(
    `filling the log: ${formatNumber(Math.max(0, batches) * FILL_BATCH)} events in ${FILL_BATCH}-event appends`,
  );
  const fillers = 8;
  await runWriters(fillers, Math.ceil(Math.max(0, batches) / fillers), async () => {
    const events = Array.from({ length: FILL_BATCH }, sampleEvent);
    await store.append(`bench-fill-${randomUUID()}`, events, 'no_stream');
  });
  const logEvents = await count('event_store.events');
  const rawMissing = logEvents - (await count(`${RAW_SCHEMA}.events`));
  // Our rows, in log order, with their own stream ids: no clash with the raw figures' streams.
  await raw.query(
    `INSERT INTO ${RAW_SCHEMA}.events (stream_id, revision, event_id, type, data, metadata)
     SELECT stream_id, revision, event_id, type, data, metadata FROM event_store.events
      ORDER BY transaction_id, position LIMIT $1`,
    [rawMissing],
  );
  // Keyset paging by position needs an index on it; the same-shaped table's only position index
  // is the (transaction_id, position) key, so without this every page would scan and sort the
  // table. Created after the write figures so the raw INSERT baseline keeps the same indexes.
  await raw.query(`CREATE INDEX IF NOT EXISTS events_position ON ${RAW_SCHEMA}.events (position)`);
  await raw.query(`VACUUM ANALYZE event_store.events, ${RAW_SCHEMA}.events`);
  const rawEvents = await count(`${RAW_SCHEMA}.events`);
  if (rawEvents !== logEvents)
    throw new Error(`raw table holds ${rawEvents}, the log ${logEvents}`);
  return logEvents;
}

async function readWholeLogOurs(store: PostgresEventStore): Promise<number> {
  let after: Position | null = null;
  let items = 0;
  for (;;) {
    const page = await store.readAll(after, PAGE_SIZE);
    items += page.length;
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) return items;
    after = last.position;
  }
}

interface RawEventRow {
  transaction_id: string;
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date;
}

/** Raw keyset paging: rows exactly as pg returns them, no mapping. */
async function readWholeLogRaw(pool: Pool): Promise<number> {
  let after = '0';
  let items = 0;
  for (;;) {
    const page = await pool.query<RawEventRow>(RAW_PAGE_SQL, [after, PAGE_SIZE]);
    items += page.rows.length;
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE_SIZE) return items;
    after = last.position;
  }
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

function printEventStoreResult(result: EventStoreBenchResult, rounds: number): void {
  const { sizes } = result;
  console.log('');
  console.log(`== Event store (median of ${rounds} round(s) per figure) ==`);
  console.log(
    `log for reads: ${formatNumber(sizes.logEvents)} events, read ${sizes.readPasses}x per figure ` +
      `in pages of ${sizes.pageSize}`,
  );
  console.log('');
  console.log(
    formatTable(
      ['figure', 'writers', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms', 'ops/s per round'],
      result.figures.map((figure) => [
        figure.figure,
        figure.writers === null ? '-' : String(figure.writers),
        formatNumber(figure.ops),
        figure.seconds.toFixed(2),
        formatNumber(figure.opsPerSecond),
        figure.p50Ms === null ? '-' : figure.p50Ms.toFixed(2),
        figure.p99Ms === null ? '-' : figure.p99Ms.toFixed(2),
        figure.roundsOpsPerSecond.map((rate) => formatNumber(rate)).join(' / '),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  console.log('(read figures: ops = events read, ops/s = events/s)');
  console.log(
    '(raw INSERT: one autocommit row, no RETURNING; raw paged SELECT: by position, on an index' +
      ' added to the raw table for the reads only)',
  );
  console.log('');
  console.log(
    formatTable(
      ['ratio', 'value', 'target', 'verdict'],
      result.ratios.map((ratio) => [
        ratio.ratio,
        ratio.value.toFixed(2),
        ratio.target === null ? '-' : `>= ${ratio.target.toFixed(1)}`,
        ratio.verdict,
      ]),
      ['left', 'right', 'right', 'left'],
    ),
  );
  console.log('');
  console.log(`event store section took ${result.seconds.toFixed(1)} s`);
}

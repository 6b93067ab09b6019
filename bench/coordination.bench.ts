// Coordination benchmark: a municipality's worth of data (bench/generate-municipality.ts), the
// read side's catch-up over it, then the real app over HTTP with 16 concurrent clients:
// assigning primary contacts, the projection lag a client sees when it reads its own write,
// and a trivial GET of the same app as the baseline, all in one run.
//
// BENCH_FAMILIES (default 2,500) sizes the dataset; cases (x4) and caseworkers (600 per
// 10,000 families) follow it. The domain brief's municipality is 10,000 families, but the read
// side's catch-up over its ~133,000 events takes about 6 minutes on a 2-core machine, which is
// over this section's time budget; BENCH_FAMILIES=10000 gives the full size.
import { type LoggerService } from '@nestjs/common';
import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../apps/api/src/create-app';
import { readModelDataSourceOptions } from '../apps/api/src/read-models';
import { generateMunicipality, type GeneratedMunicipality } from './generate-municipality';
import { HttpClients, type HttpJobResult, type HttpStep } from './http-clients';
import {
  benchAppConfig,
  formatNumber,
  formatTable,
  median,
  numberFromEnv,
  percentile,
  scaled,
  type BenchContext,
} from './support';

// Operation counts at BENCH_SCALE=1.
const SIZES = {
  /** Requests per round for each GET figure. */
  getOps: 4_000,
  /** Primary-contact assignments per round (each released again, timed as its own figure). */
  assignOps: 4_000,
  /**
   * Assignments per round that are read back with waitForPosition (the lag figure): as many as
   * the plain reads it is set beside, so both p99s rest on as many requests (at 500, the p99 was
   * the 5th worst of a 2.5 s window, and one garbage-collection pause of the process decided it).
   */
  lagOps: 4_000,
  /** The same by one client: lag without queueing behind other requests. */
  lagOneClientOps: 100,
  /** Requests per round of each one-client figure. */
  oneClientOps: 400,
} as const;
const CLIENTS = 16;
const DEFAULT_FAMILIES = 2_500;
const MUNICIPAL_FAMILIES = 10_000; // domain.md "Scale"

const APPENDERS = 12; // the generator's concurrent appenders
const WARMUP_OPS = 320;
const DATABASE_NAME = 'bench_coordination';
const CATCH_UP_TIMEOUT_MS = 20 * 60 * 1000;
const POLL_MS = 250; // GET /projections counts the events behind; polled gently

const TARGETS = {
  assignOverTrivialGet: 0.3,
  assignP99Ms: 25,
  lagP99Ms: 100,
  /** Issue 13: a read-your-writes read-back against a plain read of the same resource. */
  readBackOverPlainReadP99: 1.5,
} as const;

export interface HttpFigure {
  readonly key: string;
  readonly figure: string;
  readonly clients: number;
  /** Requests per round. */
  readonly ops: number;
  /** Medians over the rounds. */
  readonly seconds: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Unexpected answers over all rounds, by "<status> <code>". */
  readonly failures: Record<string, number>;
  readonly roundsOpsPerSecond: readonly number[];
  /**
   * Commands only: seconds the projectors still needed after the last answer (median over the
   * rounds); above zero, the read side falls behind at this write rate.
   */
  readonly drainSeconds: number | null;
}

interface WriteRun {
  readonly run: HttpJobResult;
  readonly drainSeconds: number | null;
}

interface Sizes {
  readonly getOps: number;
  readonly assignOps: number;
  readonly lagOps: number;
  readonly lagOneClientOps: number;
  readonly oneClientOps: number;
}

export interface LagFigure {
  readonly clients: number;
  /** With waitForPosition (a read-back); without, the plain read it is set beside. */
  readonly waits: boolean;
  /** Per round. */
  readonly readBacks: number;
  /** Medians over the rounds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly mismatches: number;
  readonly failures: Record<string, number>;
}

export interface TargetCheck {
  readonly check: string;
  readonly value: number;
  readonly target: string;
  readonly verdict: 'target met' | 'below target';
}

export interface CoordinationBenchResult {
  readonly dataset: GeneratedMunicipality['counts'] & {
    readonly generationSeconds: number;
    readonly generationEventsPerSecond: number;
  };
  readonly catchUp: {
    readonly events: number;
    readonly appStartSeconds: number;
    /** From createApp until every projector's eventsBehind was 0. */
    readonly seconds: number;
    readonly eventsPerSecond: number;
    readonly projectors: readonly { readonly name: string; readonly seconds: number }[];
    readonly vacuumSeconds: number;
  };
  readonly figures: readonly HttpFigure[];
  /** 16 clients waiting (the target's figure), 16 reading plainly beside it, then one client. */
  readonly lag: readonly LagFigure[];
  readonly targets: readonly TargetCheck[];
  readonly seconds: number;
}

/** After an assignment: no read, a read-back with waitForPosition, or the same GET plainly. */
type ReadBack = 'none' | 'waiting' | 'plain';

/** Nest's own chatter is dropped; warnings and errors (e.g. parked events) reach the bench log. */
function quietLogger(log: (message: string) => void): LoggerService {
  const forward = (level: string) => (message: unknown, context?: unknown) =>
    log(`[app ${level}]${typeof context === 'string' ? ` ${context}:` : ''} ${String(message)}`);
  return {
    log: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
    warn: forward('warn'),
    error: forward('error'),
    fatal: forward('fatal'),
  };
}

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Steps dealt to the clients in turn, so each client gets every 16th. */
function deal(steps: readonly HttpStep[], clients = CLIENTS): HttpStep[][] {
  const dealt: HttpStep[][] = Array.from({ length: clients }, () => []);
  steps.forEach((step, index) => dealt[index % clients]?.push(step));
  return dealt;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function requireItem<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('no items to pick from');
  return item;
}

/** Sorted latencies of several slices as one. */
function mergeSorted(parts: readonly Float64Array[]): Float64Array {
  const merged = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    merged.set(part, offset);
    offset += part.length;
  }
  return merged.sort();
}

function combine(runs: readonly HttpJobResult[]): HttpJobResult {
  const ops = runs.reduce((sum, run) => sum + run.ops, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const failures: Record<string, number> = {};
  for (const run of runs) {
    for (const [key, count] of Object.entries(run.failures))
      failures[key] = (failures[key] ?? 0) + count;
  }
  return {
    ops,
    seconds,
    opsPerSecond: ops / seconds,
    latenciesMs: mergeSorted(runs.map((run) => run.latenciesMs)),
    readBackMs: mergeSorted(runs.map((run) => run.readBackMs)),
    failures,
    readBackMismatches: runs.reduce((sum, run) => sum + run.readBackMismatches, 0),
  };
}

function httpFigure(
  key: string,
  figure: string,
  clients: number,
  writeRuns: readonly WriteRun[],
): HttpFigure {
  const runs = writeRuns.map((writeRun) => writeRun.run);
  const drains = writeRuns.flatMap((writeRun) =>
    writeRun.drainSeconds === null ? [] : [writeRun.drainSeconds],
  );
  return {
    key,
    figure,
    clients,
    ops: runs[0]?.ops ?? 0,
    seconds: median(runs.map((run) => run.seconds)),
    opsPerSecond: median(runs.map((run) => run.opsPerSecond)),
    p50Ms: median(runs.map((run) => percentile(run.latenciesMs, 50))),
    p99Ms: median(runs.map((run) => percentile(run.latenciesMs, 99))),
    failures: combine(runs).failures,
    roundsOpsPerSecond: runs.map((run) => run.opsPerSecond),
    drainSeconds: drains.length > 0 ? median(drains) : null,
  };
}

interface ProjectorStatus {
  readonly name: string;
  readonly checkpoint: string | null;
  readonly eventsBehind: number | null;
}

/**
 * Polls GET /projections until every projector has a checkpoint and nothing behind it; returns
 * when each got there, in seconds from `since`. `progress` describes a status for the log.
 */
async function waitForProjections(
  baseUrl: string,
  token: string,
  since: number,
  log: (message: string) => void,
  progress: (status: ProjectorStatus) => string = (status) =>
    `${status.name} ${status.eventsBehind ?? '?'} behind`,
): Promise<{ name: string; seconds: number }[]> {
  const done = new Map<string, number>();
  let lastReport = performance.now();
  for (;;) {
    const response = await fetch(`${baseUrl}/projections`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`GET /projections answered ${response.status}`);
    const statuses = (await response.json()) as ProjectorStatus[];
    for (const status of statuses) {
      if (!done.has(status.name) && status.checkpoint !== null && status.eventsBehind === 0)
        done.set(status.name, (performance.now() - since) / 1000);
    }
    if (statuses.length > 0 && statuses.every((status) => done.has(status.name))) {
      return statuses.map((status) => ({ name: status.name, seconds: done.get(status.name) ?? 0 }));
    }
    if (performance.now() - since > CATCH_UP_TIMEOUT_MS)
      throw new Error('the projectors did not catch up in time');
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`catching up: ${statuses.map(progress).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export async function runCoordinationBench(
  context: BenchContext,
): Promise<CoordinationBenchResult> {
  const started = performance.now();
  const { log, scale } = context;
  const families = Math.round(numberFromEnv('BENCH_FAMILIES', DEFAULT_FAMILIES));
  const sizes = {
    getOps: scaled(SIZES.getOps, scale),
    assignOps: scaled(SIZES.assignOps, scale),
    lagOps: scaled(SIZES.lagOps, scale),
    lagOneClientOps: scaled(SIZES.lagOneClientOps, scale),
    oneClientOps: scaled(SIZES.oneClientOps, scale),
  };

  // A database of its own: the event-store section's events would otherwise be in the log the
  // projectors catch up on.
  const url = databaseUrl(context.connectionString, DATABASE_NAME);
  await adminQuery(context.connectionString, `DROP DATABASE IF EXISTS ${DATABASE_NAME}`);
  await adminQuery(context.connectionString, `CREATE DATABASE ${DATABASE_NAME}`);
  try {
    // The read-model migrations make the registry tables the generator writes to; the app
    // starts only afterwards, so the catch-up figure is the projectors' work alone.
    const migrations = await new DataSource(readModelDataSourceOptions(url)).initialize();
    await migrations.destroy();

    log(`generating a municipality: ${formatNumber(families)} families`);
    const data = await generateMunicipality(url, {
      families,
      casesPerFamily: 4,
      caseworkers: Math.max(7, Math.round((600 * families) / MUNICIPAL_FAMILIES)),
      appenders: APPENDERS,
      log,
    });
    log(
      `generated ${formatNumber(data.counts.events)} events in ${data.seconds.toFixed(1)} s; ` +
        'starting the app to catch up',
    );
    const admin = new Client({ connectionString: url });
    await admin.connect();
    let maxPosition: number;
    try {
      // Statistics as autovacuum would soon have them, before the projectors plan their reads.
      await admin.query('ANALYZE');
      const head = await admin.query<{ n: string | null }>(
        'SELECT max(position) AS n FROM event_store.events',
      );
      maxPosition = Number(head.rows[0]?.n ?? 1);
    } finally {
      await admin.end();
    }

    const { config, token } = await benchAppConfig(url);
    const appStarted = performance.now();
    const app = await createApp({ config, logger: quietLogger(log) });
    try {
      await app.listen(0, '127.0.0.1');
      const appStartSeconds = (performance.now() - appStarted) / 1000;
      const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
      const baseUrl = `http://127.0.0.1:${port}`;
      // On a fresh log the prepare part of a checkpoint is about the count of events before it.
      const projectors = await waitForProjections(baseUrl, token, appStarted, log, (status) => {
        const prepare = Number(status.checkpoint?.split('-')[1] ?? 0);
        return `${status.name} ${Math.round((100 * prepare) / maxPosition)}%`;
      });
      const catchUpSeconds = Math.max(...projectors.map((projector) => projector.seconds));
      log(
        `caught up on ${formatNumber(data.counts.events)} events in ${catchUpSeconds.toFixed(1)} s`,
      );

      // The figures below run on a settled database, as a municipality's would be.
      const vacuumStarted = performance.now();
      const vacuum = new Client({ connectionString: url });
      await vacuum.connect();
      try {
        await vacuum.query('VACUUM ANALYZE');
      } finally {
        await vacuum.end();
      }
      const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;

      const clients = await HttpClients.start(baseUrl, CLIENTS, token);
      try {
        const measured = await measureHttp(clients, baseUrl, token, data, sizes, context);
        const result: CoordinationBenchResult = {
          dataset: {
            ...data.counts,
            generationSeconds: data.seconds,
            generationEventsPerSecond: data.counts.events / data.seconds,
          },
          catchUp: {
            events: data.counts.events,
            appStartSeconds,
            seconds: catchUpSeconds,
            eventsPerSecond: data.counts.events / catchUpSeconds,
            projectors,
            vacuumSeconds,
          },
          ...measured,
          seconds: (performance.now() - started) / 1000,
        };
        printCoordinationResult(result, context.rounds, sizes);
        return result;
      } finally {
        await clients.close();
      }
    } finally {
      await app.close();
    }
  } finally {
    await adminQuery(
      context.connectionString,
      `DROP DATABASE IF EXISTS ${DATABASE_NAME} WITH (FORCE)`,
    ).catch(() => undefined);
  }
}

async function measureHttp(
  clients: HttpClients,
  baseUrl: string,
  token: string,
  data: GeneratedMunicipality,
  sizes: Sizes,
  context: BenchContext,
): Promise<Pick<CoordinationBenchResult, 'figures' | 'lag' | 'targets'>> {
  const { log } = context;
  const pool = shuffled(data.familiesWithoutPrimaryContact, 7);
  const everyFamily = shuffled(
    [...data.familiesWithPrimaryContact, ...data.familiesWithoutPrimaryContact],
    11,
  );
  const caseworkers = shuffled(data.caseworkerIds, 13);
  if (pool.length < CLIENTS) throw new Error('too few families without a primary contact');
  let poolCursor = 0;
  let caseworkerCursor = 0;
  let familyCursor = 0;

  const departmentsSteps = (ops: number): HttpStep[] =>
    Array.from({ length: ops }, () => ({ method: 'GET', path: '/departments', expectStatus: 200 }));
  const familySteps = (ops: number): HttpStep[] =>
    Array.from({ length: ops }, () => ({
      method: 'GET',
      path: `/families/${requireItem(everyFamily, familyCursor++)}`,
      expectStatus: 200,
    }));
  const assignStep = (familyId: string, readBack: ReadBack): HttpStep => {
    const caseworkerId = requireItem(caseworkers, caseworkerCursor++);
    return {
      method: 'PUT',
      path: `/families/${familyId}/primary-contact`,
      body: { caseworkerId },
      expectStatus: 200,
      ...(readBack === 'none'
        ? {}
        : {
            readBack: { path: `/families/${familyId}`, caseworkerId, plain: readBack === 'plain' },
          }),
    };
  };
  const releaseStep = (familyId: string): HttpStep => ({
    method: 'POST',
    path: `/families/${familyId}/primary-contact/release`,
    body: { reason: 'bench: released for the next assignment' },
    expectStatus: 200,
  });
  /** Runs commands, then waits for the projectors: how long they needed after the last answer. */
  const writeJob = async (steps: HttpStep[][]): Promise<WriteRun> => {
    const run = await clients.run({ clients: steps });
    const ended = performance.now();
    await waitForProjections(baseUrl, token, ended, log);
    return { run, drainSeconds: (performance.now() - ended) / 1000 };
  };
  /**
   * Assignments on families without a primary contact, then their release; in passes of at
   * most the pool's size, so no family is assigned twice before it is released.
   */
  const assignAndRelease = async (
    ops: number,
    clientCount: number,
    readBack: ReadBack,
  ): Promise<{ assign: WriteRun; release: WriteRun }> => {
    const assigns: WriteRun[] = [];
    const releases: WriteRun[] = [];
    for (let left = ops; left > 0;) {
      const batch = Array.from({ length: Math.min(left, pool.length) }, () =>
        requireItem(pool, poolCursor++),
      );
      assigns.push(
        await writeJob(
          deal(
            batch.map((f) => assignStep(f, readBack)),
            clientCount,
          ),
        ),
      );
      releases.push(await writeJob(deal(batch.map(releaseStep), clientCount)));
      left -= batch.length;
    }
    const merge = (parts: WriteRun[]): WriteRun => ({
      run: combine(parts.map((part) => part.run)),
      drainSeconds: parts.reduce((sum, part) => sum + (part.drainSeconds ?? 0), 0),
    });
    return { assign: merge(assigns), release: merge(releases) };
  };

  // Warm-up, untimed: JIT, both connection pools, prepared statements, every path once.
  log('warming up the HTTP paths');
  await clients.run({ clients: deal(departmentsSteps(WARMUP_OPS)) });
  await clients.run({ clients: deal(familySteps(WARMUP_OPS)) });
  await assignAndRelease(WARMUP_OPS, CLIENTS, 'none');
  await assignAndRelease(CLIENTS * 2, CLIENTS, 'waiting');
  await assignAndRelease(CLIENTS * 2, CLIENTS, 'plain');

  const runs = new Map<string, WriteRun[]>();
  const record = (key: string, run: WriteRun): void => {
    runs.set(key, [...(runs.get(key) ?? []), run]);
  };
  const read = async (key: string, steps: HttpStep[][]): Promise<void> =>
    record(key, { run: await clients.run({ clients: steps }), drainSeconds: null });
  const lagRuns: HttpJobResult[] = [];
  const plainReadRuns: HttpJobResult[] = [];
  const lagOneClientRuns: HttpJobResult[] = [];
  const turns: { keys: string[]; run: () => Promise<void> }[] = [
    {
      keys: ['get-departments'],
      run: () => read('get-departments', deal(departmentsSteps(sizes.getOps))),
    },
    { keys: ['get-family'], run: () => read('get-family', deal(familySteps(sizes.getOps))) },
    {
      keys: ['assign', 'release'],
      run: async () => {
        const { assign, release } = await assignAndRelease(sizes.assignOps, CLIENTS, 'none');
        record('assign', assign);
        record('release', release);
      },
    },
    {
      // One client: the latency of the work itself, without queueing behind 15 others.
      keys: ['get-departments-1', 'assign-1'],
      run: async () => {
        await read('get-departments-1', deal(departmentsSteps(sizes.oneClientOps), 1));
        const { assign } = await assignAndRelease(sizes.oneClientOps, 1, 'none');
        record('assign-1', assign);
      },
    },
  ];
  for (let round = 0; round < context.rounds; round += 1) {
    // Order rotated every round, so drift (autovacuum, checkpoints) falls on each in turn.
    for (let turn = 0; turn < turns.length; turn += 1) {
      const figure = requireItem(turns, turn + round);
      await figure.run();
      for (const key of figure.keys) {
        const last = runs.get(key)?.at(-1);
        if (!last) continue;
        log(
          `round ${round + 1}: ${key}: ${formatNumber(last.run.opsPerSecond)} ops/s, ` +
            `p99 ${percentile(last.run.latenciesMs, 99).toFixed(1)} ms` +
            (last.drainSeconds === null
              ? ''
              : `, projections drained ${last.drainSeconds.toFixed(1)} s later`),
        );
      }
    }
    // Lag apart from the throughput figures, starting caught up: each client reads its own write
    // back before its next command, like a caseworker's screen after saving. Beside it the same
    // clients read the family plainly right after writing it, under the same load of writes: a
    // read-back is set beside that, as the reads alone (GET /families/:id) have no writes beside
    // them. The two take turns going first.
    const sideBySide = [
      { readBack: 'waiting', into: lagRuns },
      { readBack: 'plain', into: plainReadRuns },
    ] as const;
    for (const { clientCount, ops, readBack, into } of [
      ...(round % 2 === 0 ? sideBySide : [...sideBySide].reverse()).map((job) => ({
        ...job,
        clientCount: CLIENTS,
        ops: sizes.lagOps,
      })),
      { clientCount: 1, ops: sizes.lagOneClientOps, readBack: 'waiting', into: lagOneClientRuns },
    ] as const) {
      const { assign } = await assignAndRelease(ops, clientCount, readBack);
      into.push(assign.run);
      log(
        `round ${round + 1}: ${readBack === 'plain' ? 'plain read after the write' : 'lag'} with ` +
          `${clientCount} client(s): p99 ${percentile(assign.run.readBackMs, 99).toFixed(1)} ms ` +
          `over ${assign.run.readBackMs.length} reads`,
      );
    }
  }

  const figure = (key: string, label: string, clientCount = CLIENTS): HttpFigure =>
    httpFigure(key, label, clientCount, runs.get(key) ?? []);
  const results: HttpFigure[] = [
    figure('get-departments', 'GET /departments (baseline)'),
    figure('get-family', 'GET /families/:id'),
    figure('assign', 'PUT …/primary-contact (assign)'),
    figure('release', 'POST …/primary-contact/release'),
    figure('get-departments-1', 'GET /departments, 1 client', 1),
    figure('assign-1', 'assign, 1 client', 1),
  ];
  const lagFigure = (
    clientCount: number,
    lagRunsOf: readonly HttpJobResult[],
    waits = true,
  ): LagFigure => {
    const all = combine(lagRunsOf);
    return {
      clients: clientCount,
      waits,
      readBacks: lagRunsOf[0]?.readBackMs.length ?? 0,
      p50Ms: median(lagRunsOf.map((run) => percentile(run.readBackMs, 50))),
      p99Ms: median(lagRunsOf.map((run) => percentile(run.readBackMs, 99))),
      maxMs: all.readBackMs.at(-1) ?? Number.NaN,
      mismatches: all.readBackMismatches,
      failures: all.failures,
    };
  };
  const lag = [
    lagFigure(CLIENTS, lagRuns),
    lagFigure(CLIENTS, plainReadRuns, false),
    lagFigure(1, lagOneClientRuns),
  ];
  const plainAfterWrite = lag[1]?.p99Ms ?? Number.NaN;
  const find = (key: string): HttpFigure | undefined => results.find((r) => r.key === key);
  const assignRate = find('assign')?.opsPerSecond ?? Number.NaN;
  const baselineRate = find('get-departments')?.opsPerSecond ?? Number.NaN;
  const targets: TargetCheck[] = [
    atLeast(
      'assign ops/s / GET /departments ops/s (16 clients)',
      assignRate / baselineRate,
      TARGETS.assignOverTrivialGet,
    ),
    below('assign p99 ms (16 clients)', find('assign')?.p99Ms ?? Number.NaN, TARGETS.assignP99Ms),
    below('projection lag p99 ms (16 clients)', lag[0]?.p99Ms ?? Number.NaN, TARGETS.lagP99Ms),
    atMost(
      'read-back p99 / plain read p99, each right after its write (16 clients)',
      (lag[0]?.p99Ms ?? Number.NaN) / plainAfterWrite,
      TARGETS.readBackOverPlainReadP99,
    ),
  ];
  return { figures: results, lag, targets };
}

function atLeast(check: string, value: number, target: number): TargetCheck {
  return {
    check,
    value,
    target: `>= ${target}`,
    verdict: value >= target ? 'target met' : 'below target',
  };
}

function atMost(check: string, value: number, target: number): TargetCheck {
  return {
    check,
    value,
    target: `<= ${target}`,
    verdict: value <= target ? 'target met' : 'below target',
  };
}

function below(check: string, value: number, target: number): TargetCheck {
  return {
    check,
    value,
    target: `< ${target}`,
    verdict: value < target ? 'target met' : 'below target',
  };
}

function failuresText(failures: Record<string, number>): string {
  const entries = Object.entries(failures);
  return entries.length === 0 ? '0' : entries.map(([key, n]) => `${n}x ${key}`).join(', ');
}

function printCoordinationResult(
  result: CoordinationBenchResult,
  rounds: number,
  sizes: Sizes,
): void {
  const { dataset, catchUp, lag } = result;
  console.log('');
  console.log(`== Coordination over HTTP (median of ${rounds} round(s) per figure) ==`);
  console.log(
    `dataset: ${formatNumber(dataset.families)} families (${formatNumber(dataset.primaryContacts)} with a primary contact), ` +
      `${formatNumber(dataset.persons)} persons, ${formatNumber(dataset.cases)} cases, ` +
      `${formatNumber(dataset.caseworkers)} caseworkers: ${formatNumber(dataset.events)} events in ` +
      `${formatNumber(dataset.appends)} appends`,
  );
  if (dataset.families < MUNICIPAL_FAMILIES) {
    console.log(
      `NOTE: ${Math.round((100 * dataset.families) / MUNICIPAL_FAMILIES)}% of the domain brief's municipality ` +
        `(${formatNumber(MUNICIPAL_FAMILIES)} families), to keep the catch-up within the time budget; ` +
        `BENCH_FAMILIES=${MUNICIPAL_FAMILIES} for the full size`,
    );
  }
  console.log('');
  console.log(
    formatTable(
      ['step', 'events', 'seconds', 'events/s'],
      [
        [
          `generate (SQL registry + direct appends, ${APPENDERS} appenders)`,
          formatNumber(dataset.events),
          dataset.generationSeconds.toFixed(1),
          formatNumber(dataset.generationEventsPerSecond),
        ],
        ['app start (createApp + listen)', '-', catchUp.appStartSeconds.toFixed(1), '-'],
        ...catchUp.projectors.map((projector) => [
          `catch-up: ${projector.name} (from createApp)`,
          formatNumber(catchUp.events),
          projector.seconds.toFixed(1),
          formatNumber(catchUp.events / projector.seconds),
        ]),
        [
          'catch-up: all projectors (read-side rebuild)',
          formatNumber(catchUp.events),
          catchUp.seconds.toFixed(1),
          formatNumber(catchUp.eventsPerSecond),
        ],
      ],
      ['left', 'right', 'right', 'right'],
    ),
  );
  console.log('');
  console.log(
    formatTable(
      [
        'figure',
        'clients',
        'ops',
        'seconds',
        'ops/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'ops/s per round',
        'read side drained after',
      ],
      result.figures.map((figure) => [
        figure.figure,
        String(figure.clients),
        formatNumber(figure.ops),
        figure.seconds.toFixed(2),
        formatNumber(figure.opsPerSecond),
        figure.p50Ms.toFixed(2),
        figure.p99Ms.toFixed(2),
        failuresText(figure.failures),
        figure.roundsOpsPerSecond.map((rate) => formatNumber(rate)).join(' / '),
        figure.drainSeconds === null ? '-' : `${figure.drainSeconds.toFixed(1)} s`,
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'right', 'right'],
    ),
  );
  console.log(
    `(assign: families without a primary contact, a shuffled caseworker each; every assigned family ` +
      `is released again right after its pass, timed as the release figure)`,
  );
  console.log('');
  console.log(
    formatTable(
      [
        'projection lag (assign -> GET /families/:id?waitForPosition)',
        'read-backs',
        'p50 ms',
        'p99 ms',
        'max ms',
        'not shown',
        'errors',
      ],
      lag.map((row) => [
        row.clients === 1
          ? '1 client (no queueing)'
          : row.waits
            ? `${row.clients} clients, each reads its own write back`
            : `${row.clients} clients, each reads the family plainly right after (no wait)`,
        formatNumber(row.readBacks),
        row.p50Ms.toFixed(2),
        row.p99Ms.toFixed(2),
        row.maxMs.toFixed(2),
        String(row.mismatches),
        failuresText(row.failures),
      ]),
      ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
  console.log(
    `(lag = duration of the read-back GET, which includes the GET's own cost: compare the plain read beside it; ` +
      `${formatNumber(sizes.lagOps)} / ${formatNumber(sizes.lagOneClientOps)} assignments per round; ` +
      `"not shown" among the plain reads: how often a read without waiting missed the write)`,
  );
  const readsAlone = result.figures.find((figure) => figure.key === 'get-family')?.p99Ms;
  const waiting = lag.find((row) => row.waits && row.clients > 1)?.p99Ms;
  if (readsAlone !== undefined && waiting !== undefined) {
    console.log(
      `(read-back p99 / GET /families/:id p99 with reads alone, no writes beside them, as earlier stops set it: ` +
        `${(waiting / readsAlone).toFixed(2)})`,
    );
  }
  console.log('');
  console.log(
    formatTable(
      ['check', 'value', 'target', 'verdict'],
      result.targets.map((target) => [
        target.check,
        target.value.toFixed(2),
        target.target,
        target.verdict,
      ]),
      ['left', 'right', 'right', 'left'],
    ),
  );
  console.log('');
  console.log(`coordination section took ${result.seconds.toFixed(1)} s`);
}

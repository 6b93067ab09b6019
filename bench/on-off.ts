// A feature's cost on "assign primary contact": a generated municipality served by two apps on
// one database, each a process of its own (on-off-app.ts), one with the feature ("on") and one
// without ("off", which also runs the projectors, so the measured side is not the one favoured),
// 16 clients each. ops.bench.ts and faults.bench.ts run their alternating rounds on it.
import { fork, type ChildProcess } from 'node:child_process';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../apps/api/src/config/app-config';
import { readModelDataSourceOptions } from '../apps/api/src/read-models';
import { generateMunicipality, type GeneratedMunicipality } from './generate-municipality';
import { HttpClients, type HttpStep } from './http-clients';
import type { AppVariant, FromChild, ToChild } from './on-off-app';
import {
  benchAppConfig,
  createDatabase,
  dropDatabase,
  formatNumber,
  type BenchContext,
} from './support';

export const CLIENTS = 16;

/** Touches both pools (the read models' and the event store's): `/health` pings each. */
const WARM_UP_READ = { method: 'GET', path: '/health', expectStatus: 200 } as const;

/** A side's app process: its URL, its CPU time so far, and how to stop it. */
interface SideProcess {
  readonly url: string;
  cpuMicroseconds(): Promise<number>;
  close(): Promise<void>;
}

function nextMessage(child: ChildProcess, kind: FromChild['kind']): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromChild) => {
      if (message.kind === 'failed')
        finish(() => reject(new Error(`bench app: ${message.message}`)));
      else if (message.kind === kind) finish(() => resolve(message));
    };
    const onExit = (code: number | null) =>
      finish(() => reject(new Error(`bench app exited (${code}) before '${kind}'`)));
    const finish = (settle: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Forks on-off-app.ts (with this process's -r @swc-node/register) and starts the app in it.
 * BENCH_CPU_PROF_DIR=<dir> writes each side's V8 CPU profile there when it stops.
 */
async function startSide(config: AppConfig, variant: AppVariant): Promise<SideProcess> {
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const child = fork(require.resolve('./on-off-app'), [], {
    execArgv: [
      ...process.execArgv,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const tell = (message: ToChild) => child.send(message);
  const listening = nextMessage(child, 'listening');
  tell({ kind: 'start', config, variant });
  const started = await listening.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    url: started.kind === 'listening' ? started.url : '',
    cpuMicroseconds: async () => {
      const answer = nextMessage(child, 'cpu');
      tell({ kind: 'cpu' });
      const message = await answer;
      return message.kind === 'cpu' ? message.microseconds : Number.NaN;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      tell({ kind: 'close' });
      await exited;
    },
  };
}

async function caughtUp(baseUrl: string, token: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 600_000;) {
    const response = await fetch(`${baseUrl}/projections`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const statuses = (await response.json()) as {
      checkpoint: string | null;
      eventsBehind: number;
    }[];
    if (statuses.every((s) => s.checkpoint !== null && s.eventsBehind === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the projectors did not catch up in time');
}

/** Deals steps round-robin to the clients. */
export function deal(steps: readonly HttpStep[]): HttpStep[][] {
  const clients: HttpStep[][] = Array.from({ length: CLIENTS }, () => []);
  steps.forEach((step, i) => clients[i % CLIENTS]?.push(step));
  return clients;
}

export interface OnOffApps {
  readonly data: GeneratedMunicipality;
  readonly sides: { readonly on: HttpClients; readonly off: HttpClients };
  /** The side's app process's CPU time so far (user + system), in µs. */
  cpuMicroseconds(side: 'on' | 'off'): Promise<number>;
  /** Assigns a caseworker (round-robin) to a family without a primary contact. */
  assign(familyId: string): HttpStep;
  /** Undoes an assignment, for the next round. */
  release(familyId: string): HttpStep;
  /**
   * Until the projectors have caught up with what the rounds so far wrote (a timed round that
   * starts while they still work off the last one measures their work too), then a few reads on
   * each app: a side idle for over 10 s (pg's idle timeout) has had its pools' connections
   * closed, and opening 16 at once put ~200 ms on the p99 of whichever side ran second.
   */
  settle(): Promise<void>;
}

interface OnOffBuild {
  readonly off: AppVariant;
  readonly on: AppVariant;
}

/**
 * Creates the database `database`, generates the municipality and starts both apps on it, runs
 * `measure`, then closes and drops everything, whatever happens.
 */
export async function withOnOffApps<T>(
  context: BenchContext,
  setup: { database: string; families: number; section: string; build: OnOffBuild },
  measure: (apps: OnOffApps) => Promise<T>,
): Promise<T> {
  const url = await createDatabase(context.connectionString, setup.database);
  const started = { apps: [] as SideProcess[], clients: [] as HttpClients[] };
  try {
    const log = (message: string) => context.log(`${setup.section}: ${message}`);
    return await measure(await startOnOffApps(url, setup.families, log, setup.build, started));
  } finally {
    for (const c of started.clients) await c.close();
    for (const app of started.apps.reverse()) await app.close();
    await dropDatabase(context.connectionString, setup.database);
  }
}

/**
 * Generates the municipality into `url` and starts both apps; what it starts is pushed onto
 * `apps` and `clients` as it goes, for the caller to close whatever happens.
 */
async function startOnOffApps(
  url: string,
  families: number,
  log: (message: string) => void,
  build: OnOffBuild,
  started: { apps: SideProcess[]; clients: HttpClients[] },
): Promise<OnOffApps> {
  await (await new DataSource(readModelDataSourceOptions(url)).initialize()).destroy();
  log(`generating ${formatNumber(families)} families`);
  const data = await generateMunicipality(url, {
    families,
    casesPerFamily: 4,
    caseworkers: 40,
    primaryContactShare: 0.2,
    log,
  });
  const { config, token } = await benchAppConfig(url);
  const off = await startSide(config, build.off);
  started.apps.push(off);
  const offUrl = off.url;
  await caughtUp(offUrl, token);
  const on = await startSide(
    { ...config, projections: { ...config.projections, enabled: false } },
    build.on,
  );
  started.apps.push(on);
  const onUrl = on.url;
  const sides = {
    off: await HttpClients.start(offUrl, CLIENTS, token),
    on: await HttpClients.start(onUrl, CLIENTS, token),
  };
  started.clients.push(sides.off, sides.on);
  let caseworker = 0;
  return {
    data,
    sides,
    cpuMicroseconds: (side) => (side === 'on' ? on : off).cpuMicroseconds(),
    assign: (familyId) => ({
      method: 'PUT',
      path: `/families/${familyId}/primary-contact`,
      body: { caseworkerId: data.caseworkerIds[caseworker++ % data.caseworkerIds.length] ?? '' },
      expectStatus: 200,
    }),
    release: (familyId) => ({
      method: 'POST',
      path: `/families/${familyId}/primary-contact/release`,
      body: { reason: 'bench: released for the next round' },
      expectStatus: 200,
    }),
    settle: async () => {
      await caughtUp(offUrl, token);
      const reads = Array.from({ length: CLIENTS }, () =>
        Array.from({ length: 5 }, () => WARM_UP_READ),
      );
      for (const side of [sides.off, sides.on]) await side.run({ clients: reads });
    },
  };
}

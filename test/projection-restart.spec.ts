import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type ProjectionEvent } from '@tovholder/event-store';
import { listParkedEvents, ProjectionRunner, type Projector } from '@tovholder/read-models';
import { Client } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { readModelDataSourceOptions } from '../apps/api/src/read-models';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Counts events into its own table, slowly enough that the server can stop under it. */
class SlowCountingProjector implements Projector {
  readonly name = 'slow-counting';
  readonly tables = ['slow_counts'];
  handles(): boolean {
    return true;
  }
  async apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    await manager.query('INSERT INTO slow_counts (event_id) VALUES ($1)', [event.id]);
  }
}

interface Server {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the server in a child process; `stop` closes its stdin and waits for it to exit. */
async function startServer(dir: string, port: number, mode: 'init' | 'start'): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [resolve(__dirname, 'support/restartable-postgres.child.mjs'), dir, String(port), mode],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((ready, fail) => {
    if (!child.stdout) return fail(new Error('no stdout'));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'READY') ready();
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  const exited = once(child, 'exit');
  if (mode === 'init') {
    const admin = new Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    });
    await admin.connect();
    await admin.query('CREATE DATABASE restart_test');
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/restart_test`,
    stop: async () => {
      child.stdin?.end();
      await exited;
    },
  };
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

// Its own PostgreSQL server: stopping the shared test server would break the other test files.
describe('projection runtime across a database restart', () => {
  it('waits for a restarted PostgreSQL and parks nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tovholder-restart-pg-'));
    const port = await freePort();
    let server: Server | null = await startServer(dir, port, 'init');
    const url = server.url;
    const store = await PostgresEventStore.open({ connectionString: url });
    const dataSource = await new DataSource({
      ...readModelDataSourceOptions(url),
      extra: { max: 5, connectionTimeoutMillis: 2000 },
    }).initialize();
    const runner = new ProjectionRunner(dataSource, store, new SlowCountingProjector(), {
      batchSize: 20,
      catchUpBatchSize: 20,
      // Tries of an event span the downtime: a runner that counted the failures would park
      // the event it was on once the server is back.
      retryDelayMs: 500,
      standbyPollMs: 100,
      logger: silent,
    });
    try {
      await dataSource.query('CREATE TABLE slow_counts (event_id uuid PRIMARY KEY)');
      const events = Array.from({ length: 600 }, () => ({
        id: randomUUID(),
        type: 'Counted',
        data: {},
      }));
      await store.append(`count-${randomUUID()}`, events, 'no_stream');
      runner.start();
      const count = async (): Promise<number> => {
        const [row] = await dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM slow_counts',
        );
        return Number(row?.n);
      };
      while ((await count()) < 40) await new Promise((resolve) => setTimeout(resolve, 20));
      await server.stop();
      server = null;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // down while the runner retries
      server = await startServer(dir, port, 'start');
      const started = Date.now();
      for (;;) {
        const n = await count().catch(() => 0);
        if (n === 600) break;
        if (Date.now() - started > 30_000) throw new Error(`only ${n} of 600 events projected`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await listParkedEvents(dataSource.manager)).toEqual([]);
      expect(runner.state).toBe('running');
    } finally {
      await runner.stop();
      await dataSource.destroy().catch(() => undefined);
      await store.close().catch(() => undefined);
      await server?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { PostgresEventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { CASE_LIST_PROJECTOR } from '../apps/api/src/cases/case-list.projector';
import { loadConfig } from '../apps/api/src/config/app-config';
import {
  PROJECTION_THREAD_APPLICATION,
  ProjectionThread,
} from '../apps/api/src/projections/projection-thread';
import { ProjectionsService } from '../apps/api/src/projections/projections.service';
import { registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** Advisory locks of projectors (namespace 7346) held by the projection thread's connections. */
async function threadLocks(dataSource: DataSource): Promise<number> {
  const [row] = await dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.classid = 7346 AND l.granted
        AND a.application_name = $1 AND a.datname = current_database()`,
    [PROJECTION_THREAD_APPLICATION],
  );
  return row?.n ?? 0;
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the projectors on the projection thread', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let projectors: number;
  beforeAll(async () => {
    const defaults = loadConfig({});
    t = await startTestApp({ config: { projections: { ...defaults.projections, thread: true } } });
    dataSource = t.app.get(DataSource);
    projectors = t.app.get(ProjectionsService).projectors.length;
  });
  afterAll(async () => {
    await t.close();
  });

  it('hold every projector lock on connections of their own, and say so in /projections', async () => {
    await until(async () => (await threadLocks(dataSource)) === projectors, 'the locks');
    await until(async () => {
      const response = await request(t.server).get('/projections').expect(200);
      const states = (response.body as { state: string }[]).map((status) => status.state);
      return states.length === projectors && states.every((state) => state === 'running');
    }, 'every projector running');
  });

  it('a read that waits for a command sees its write (the thread tells each commit)', async () => {
    const personId = await registerPerson(t, '2012-05-17');
    const opened = await request(t.server)
      .post('/cases')
      .send({ personId, departmentId: 'CHP', caseType: 'disability-support' })
      .expect(201);
    const { caseId, position } = opened.body as { caseId: string; position: string };
    const read = await request(t.server)
      .get(`/cases/${caseId}`)
      .query({ waitForPosition: position })
      .expect(200);
    expect(read.body).toMatchObject({ caseId, personId, status: 'open' });
  });

  it('stops with its runners: the locks are released, and taken again on start', async () => {
    const projections = t.app.get(ProjectionsService);
    await projections.stopRunners();
    expect(await threadLocks(dataSource)).toBe(0);
    const stopped = await request(t.server).get('/projections').expect(200);
    expect((stopped.body as { state: string }[]).every((s) => s.state === 'stopped')).toBe(true);
    projections.startRunners();
    await until(async () => (await threadLocks(dataSource)) === projectors, 'the locks again');
  });
});

describe('the projection thread, when it ends', () => {
  it('is started again, later each time, until its runners run', async () => {
    const server = process.env.TEST_DATABASE_URL ?? '';
    const name = `t_${randomBytes(6).toString('hex')}`;
    const url = new URL(server);
    url.pathname = `/${name}`;
    const logged: string[] = [];
    const log = (message: string) => void logged.push(message);
    const store = await PostgresEventStore.open({ connectionString: server });
    // Its database is not there yet: the thread cannot open its stores, and ends.
    const thread = new ProjectionThread({
      config: { ...loadConfig({}), databaseUrl: url.toString() },
      store,
      logger: { log, warn: log, error: log },
      onCheckpoint: () => undefined,
    });
    const admin = new Client({ connectionString: server });
    await admin.connect();
    try {
      thread.start();
      await until(() => logged.filter((m) => m.includes('again in')).length >= 2, 'restarts');
      expect(logged.filter((m) => m.includes('again in')).slice(0, 2)).toEqual([
        'starting the projection thread again in 1000 ms',
        'starting the projection thread again in 2000 ms',
      ]);
      await admin.query(`CREATE DATABASE ${name}`);
      await until(() => thread.state(CASE_LIST_PROJECTOR) === 'running', 'a running runner');
    } finally {
      await thread.stop();
      await store.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 60_000);
});

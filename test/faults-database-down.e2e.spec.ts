// Issue 14, part 3: the app's own embedded PostgreSQL is stopped under it. Commands and queries
// answer 503 SERVICE_UNAVAILABLE with Retry-After, /health answers 503 naming what is down, and
// once the database is back the app serves again by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startEmbeddedPostgres, type RunningDatabase } from './support/embedded-postgres-process';
import { freePort } from './support/free-port';
import { fakeCpr } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('The database goes down under a running app, and comes back', () => {
  let dataDir: string;
  let port: number;
  let database: RunningDatabase | null = null;
  let t: TestApp;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tovholder-faults-pg-'));
    port = await freePort();
    database = await startEmbeddedPostgres(dataDir, port);
    t = await startTestApp({ config: { databaseUrl: database.url } });
  }, 120_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  const register = (birthDate: string) =>
    request(t.server)
      .post('/persons')
      .send({ cpr: fakeCpr(birthDate), name: 'Test Person' });

  it('503 with Retry-After for commands and queries, 503 /health naming each indicator, then recovery', async () => {
    expect((await register('2011-01-01')).status).toBe(201);
    await database?.stop();
    database = null;

    for (const response of [await register('2011-01-02'), await request(t.server).get('/cases')]) {
      expect(response.status).toBe(503);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    const health = await request(t.rawServer).get('/health');
    expect(health.status).toBe(503);
    expect(health.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(health.body.details).toMatchObject({
      eventStore: { status: 'down' },
      readModelDatabase: { status: 'down' },
    });

    database = await startEmbeddedPostgres(dataDir, port);
    let healthy = 0;
    for (let waited = 0; waited < 30_000 && healthy !== 200; waited += 250) {
      healthy = (await request(t.rawServer).get('/health')).status;
      if (healthy !== 200) await new Promise((done) => setTimeout(done, 250));
    }
    expect(healthy).toBe(200);
    expect((await register('2011-01-03')).status).toBe(201);
  }, 90_000);
});

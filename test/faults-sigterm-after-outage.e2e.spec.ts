// Issue 14: after the database went away under it, the API (a real process, started as
// `npm start` starts it) still stops promptly on SIGTERM: nothing waits for a database that
// is gone (projector retries, pool draining, the idempotency lease renewal).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningDatabase } from './support/embedded-postgres-process';
import { freePort } from './support/free-port';
import { childEnvironment, removeBuild, startProcess, until } from './support/processes';

const PROMPTLY_MS = 10_000;

describe('SIGTERM after a database outage', () => {
  let dataDir: string;
  let database: RunningDatabase | null = null;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tovholder-sigterm-pg-'));
  });
  afterAll(async () => {
    await database?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await removeBuild();
  }, 60_000);

  it('stops the API within seconds while the database is still down', async () => {
    database = await startEmbeddedPostgres(dataDir, await freePort());
    const api = await startProcess('api', childEnvironment(database.url));
    try {
      expect((await fetch(`${api.url}/health`)).status).toBe(200);
      await database.stop();
      database = null;
      // The outage is seen: /health says so, and the projectors are retrying.
      await until('/health to answer 503', async () =>
        (await fetch(`${api.url}/health`)).status === 503 ? true : undefined,
      );

      const asked = Date.now();
      api.child.kill('SIGTERM');
      const stopped = await Promise.race([
        api.exited.then((code) => ({ code })),
        new Promise<'still running'>((done) =>
          setTimeout(() => done('still running'), PROMPTLY_MS),
        ),
      ]);
      expect(stopped).toEqual({ code: 0 });
      expect(Date.now() - asked).toBeLessThan(PROMPTLY_MS);
    } finally {
      if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
    }
  }, 180_000);
});

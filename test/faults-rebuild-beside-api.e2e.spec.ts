// Issue 14, part 6: `rebuild-projection` run beside a live API on the embedded default. It must
// tell the live API's embedded PostgreSQL from an orphan (its owner process is alive), work
// through it and never stop it: the API keeps answering.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { freePort } from './support/free-port';

function run(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    ['-r', '@swc-node/register', resolve(__dirname, '..', script), ...args],
    {
      cwd: resolve(__dirname, '..'),
      env: { ...process.env, ...env, SWC_NODE_PROJECT: resolve(__dirname, '../tsconfig.json') },
    },
  );
}

function outputOf(child: ChildProcessWithoutNullStreams): () => string {
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('rebuild-projection beside a running API on the embedded default', () => {
  let dataDir: string;
  let api: ChildProcessWithoutNullStreams | null = null;
  afterAll(async () => {
    if (api && api.exitCode === null && api.signalCode === null) {
      const exited = new Promise((done) => api?.once('exit', done));
      api.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('works through the live database and leaves the API answering', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tovholder-faults-rebuild-'));
    const port = await freePort();
    const databasePort = await freePort();
    const env = {
      PORT: String(port),
      EMBEDDED_PG_PORT: String(databasePort),
      EMBEDDED_PG_DIR: dataDir,
      EMBEDDED_PG_SHARED_BUFFERS_MB: '160',
      PERSON_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_FORMAT: 'text',
    };
    api = run('apps/api/src/main.ts', [], env);
    const apiOutput = outputOf(api);
    for (
      let waited = 0;
      !apiOutput().includes('Tovholder API on') && waited < 90_000;
      waited += 250
    ) {
      if (api.exitCode !== null) throw new Error(`the API exited: ${apiOutput()}`);
      await new Promise((done) => setTimeout(done, 250));
    }
    expect(apiOutput()).toContain(`owned by this process (pid ${api.pid}`);
    const base = `http://127.0.0.1:${port}`;
    expect((await request(base).get('/health')).status).toBe(200);
    // The server runs with the memory it was given (a quarter of the machine's unless set).
    const database = new Client({
      connectionString: `postgres://postgres:tovholder-local@127.0.0.1:${databasePort}/postgres`,
    });
    await database.connect();
    try {
      const { rows } = await database.query<{ shared_buffers: string }>('SHOW shared_buffers');
      expect(rows[0]?.shared_buffers).toBe('160MB');
    } finally {
      await database.end();
    }

    const rebuild = run('apps/api/src/rebuild.ts', ['--all'], env);
    const rebuildOutput = outputOf(rebuild);
    const exited = new Promise<void>((done) => rebuild.once('exit', () => done()));
    const owned = `owned by process ${api.pid}`;
    for (let waited = 0; !rebuildOutput().includes(owned) && waited < 90_000; waited += 250) {
      if (rebuild.exitCode !== null) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    expect(rebuildOutput()).toContain(owned);
    expect(rebuildOutput()).not.toContain('orphaned');
    // While the CLI works through the API's database, and after it is gone, the API answers.
    for (let probe = 0; probe < 4; probe++) {
      expect((await request(base).get('/health')).status).toBe(200);
      await new Promise((done) => setTimeout(done, 500));
    }
    // The CLI's replay itself is another issue's (blue/green rebuild): it is not waited for here.
    if (rebuild.exitCode === null && rebuild.signalCode === null) rebuild.kill('SIGKILL');
    await exited;
    expect((await request(base).get('/health')).status).toBe(200);
    expect(api.exitCode).toBeNull();
  }, 180_000);
});

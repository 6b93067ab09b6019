import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

export interface RunningDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/** The embedded PostgreSQL in a child process, as a deployment would run it beside the API. */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
): Promise<RunningDatabase> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'embedded-postgres.child.mjs'), dataDir, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code})`)));
  });
  const serverUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'faults'");
  if (exists.rowCount === 0) await client.query('CREATE DATABASE faults');
  await client.end();
  return {
    url: serverUrl.replace(/\/postgres$/, '/faults'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Runs `crash-projector.child.ts` (the case-list projector, or the one named) against the
 * database, waits until it stops dead between writing its second batch and committing it, and
 * kills it there with SIGKILL: a real crash at the worst moment.
 */
export async function crashProjectorBeforeCommit(url: string, projector?: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      resolve(__dirname, 'crash-projector.child.ts'),
      url,
      ...(projector ? [projector] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SWC_NODE_PROJECT: resolve(__dirname, '../../tsconfig.json') },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((done, fail) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ABOUT_TO_COMMIT') done();
    });
    child.on('exit', () => fail(new Error(`child exited early: ${stderr}`)));
  });
  const exited = new Promise((done) => child.on('exit', done));
  child.kill('SIGKILL');
  await exited;
}

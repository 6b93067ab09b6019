import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/*
 * The scripts start Node with V8 flags (--max-semi-space-size); a worker thread refuses those
 * when they are passed on, so the registry's sealing thread must start without them.
 */
describe('the person-sealing thread in a process started with V8 flags', () => {
  it('seals a large batch on its thread', async () => {
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=64',
        '-r',
        '@swc-node/register',
        resolve(__dirname, 'support/person-sealing.child.ts'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(0);
    expect(JSON.parse(output)).toEqual({ failure: null, sealed: 250 });
  }, 60_000);
});

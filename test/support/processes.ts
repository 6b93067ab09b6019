import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningProcess {
  readonly child: ChildProcess;
  /** http://host:port the process says it listens on. */
  readonly url: string;
  /** Its log lines so far (JSON). */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

const ENTRIES = {
  api: 'apps/api/src/main.js',
  worker: 'apps/worker/src/main.js',
} as const;

const ROOT = resolve(__dirname, '../..');
let built: Promise<string> | null = null;

/**
 * Compiles the apps once per test file, as `npm run build` does, into a folder of its own inside
 * the repository (so node_modules resolves): compiling in each child would cost seconds apiece.
 */
function build(): Promise<string> {
  built ??= (async () => {
    await mkdir(join(ROOT, '.data'), { recursive: true });
    const out = await mkdtemp(join(ROOT, '.data', 'test-build-'));
    const swc = spawn(
      process.execPath,
      [
        require.resolve('@swc/cli/bin/swc.js'),
        'apps/api/src',
        'apps/worker/src',
        'libs',
        '--out-dir',
        out,
        '--config-file',
        '.swcrc',
        '--ignore',
        '**/*.spec.ts,**/contract/**',
        '--quiet',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    swc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => swc.once('exit', done));
    if (code !== 0) throw new Error(`build failed: ${stderr}`);
    return out;
  })();
  return built;
}

/** Removes this file's build (call in afterAll). */
export async function removeBuild(): Promise<void> {
  if (built) await rm(await built, { recursive: true, force: true });
  built = null;
}

/** Settings every child gets: its own key, JSON logs, any free port on loopback. */
export function childEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl,
    PERSON_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_FORMAT: 'json',
  };
}

/**
 * Starts the API or the worker as a real process, compiled as `npm start` runs it, and resolves
 * once it logs the address it listens on.
 */
export async function startProcess(
  entry: keyof typeof ENTRIES,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<RunningProcess> {
  const out = await build();
  const child = spawn(process.execPath, [join(out, ENTRIES[entry])], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${entry} did not start: ${stderr}`)), timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const address = /Tovholder (?:API|worker) on (http:\/\/\S+)/.exec(line)?.[1];
      if (address) {
        clearTimeout(timer);
        done(address);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${entry} exited with ${code}: ${stderr}\n${lines.slice(-5).join('\n')}`));
    });
  });
  return { child, url, lines, exited };
}

/** SIGTERM and the exit code (a clean stop is 0). */
export async function stopProcess(running: RunningProcess): Promise<number | null> {
  if (running.child.exitCode === null) running.child.kill('SIGTERM');
  return running.exited;
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

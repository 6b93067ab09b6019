import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `<name>.worker` beside the calling module: compiled (.js) in a build;
 * from TypeScript sources (tests, the bench) compiled on load, as this process is. Only the
 * preload is passed: a worker refuses V8 flags given to it (the scripts' --max-semi-space-size)
 * and inherits the process's when given none. Throws when the thread cannot be started.
 */
export function workerBeside(callerFile: string, name: string, workerData: unknown): Worker {
  const extension = extname(callerFile);
  const preload = '@swc-node/register';
  return new Worker(join(callerFile, '..', `${name}.worker${extension}`), {
    workerData,
    execArgv:
      extension === '.ts' && !process.execArgv.includes(preload) ? ['-r', preload] : undefined,
  });
}

import type { Worker } from 'node:worker_threads';
import type { EventStore, Position } from '@tovholder/event-store';
import type { ProjectionLogger, RunnerState } from '@tovholder/read-models';
import type { AppConfig } from '../config/app-config';
import { workerBeside } from '../shared/worker-beside';

/** What the thread is started with: the settings, without the keys to personal data. */
export interface ProjectionThreadData {
  readonly config: AppConfig;
}

/** From the thread. Positions cross as they are (structured clone keeps bigints). */
export type ProjectionThreadMessage =
  | { readonly kind: 'checkpoint'; readonly projector: string; readonly position: Position }
  | { readonly kind: 'states'; readonly states: Record<string, RunnerState> }
  | { readonly kind: 'log'; readonly level: keyof ProjectionLogger; readonly message: string }
  | { readonly kind: 'stopped' };

/** To the thread. */
export type ProjectionThreadCommand = { readonly kind: 'appended' } | { readonly kind: 'stop' };

export interface ProjectionThreadOptions {
  readonly config: AppConfig;
  /** This process's store: its appends wake the thread's subscriptions at once. */
  readonly store: EventStore;
  readonly logger: ProjectionLogger;
  readonly onCheckpoint: (projector: string, position: Position) => void;
}

/** The `application_name` of the thread's read-model connections. */
export const PROJECTION_THREAD_APPLICATION = 'tovholder-projection-thread';
const FIRST_RESTART_AFTER_MS = 1_000;
const LONGEST_RESTART_AFTER_MS = 30_000;
const STOP_WAIT_MS = 30_000;

/**
 * The projectors' runners on a worker thread of this process: each runner's loop of database
 * round trips then waits for an event loop of its own instead of queueing behind the API's
 * requests, which under load made a read-your-writes read-back wait several of them. The thread
 * opens its own stores; it tells each commit (waiting queries wake) and the runners' states.
 * A thread that dies is started again; one that cannot start at all throws from `start`.
 */
export class ProjectionThread {
  private worker: Worker | null = null;
  private states: Record<string, RunnerState> = {};
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Doubles with each restart until a runner of the new thread runs (a thread that cannot start). */
  private restartAfterMs = FIRST_RESTART_AFTER_MS;

  constructor(private readonly options: ProjectionThreadOptions) {
    options.store.onAppend?.(() => this.worker?.postMessage({ kind: 'appended' }));
  }

  state(projector: string): RunnerState {
    return this.states[projector] ?? 'stopped';
  }

  start(): void {
    this.stopping = false;
    const worker = workerBeside(__filename, 'projection-thread', {
      config: { ...this.options.config, personData: { masterKey: null } },
    } satisfies ProjectionThreadData);
    worker.on('message', (message: ProjectionThreadMessage) => this.receive(message));
    worker.on('error', (error) =>
      this.options.logger.error(`the projection thread failed (${error.name})`),
    );
    worker.on('exit', (code) => this.exited(worker, code));
    this.worker = worker;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    // The runners finish their batches and release their locks, then the thread ends.
    const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const timer = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
    worker.postMessage({ kind: 'stop' } satisfies ProjectionThreadCommand);
    await ended;
    clearTimeout(timer);
  }

  private receive(message: ProjectionThreadMessage): void {
    switch (message.kind) {
      case 'checkpoint':
        return this.options.onCheckpoint(message.projector, message.position);
      case 'states':
        this.states = message.states;
        if (Object.values(message.states).includes('running')) {
          this.restartAfterMs = FIRST_RESTART_AFTER_MS;
        }
        return;
      case 'log':
        return this.options.logger[message.level](message.message);
      case 'stopped':
        return void this.worker?.terminate();
    }
  }

  private exited(worker: Worker, code: number): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.states = {};
    if (this.stopping) return;
    // Its runners' locks went with its connections: another instance may have taken them over.
    this.options.logger.error(`the projection thread ended (exit code ${code})`);
    this.restartLater();
  }

  private restartLater(): void {
    const after = this.restartAfterMs;
    this.restartAfterMs = Math.min(after * 2, LONGEST_RESTART_AFTER_MS);
    this.options.logger.warn(`starting the projection thread again in ${after} ms`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      try {
        this.start();
      } catch (error) {
        this.options.logger.error(
          `the projection thread could not start (${error instanceof Error ? error.name : 'error'})`,
        );
        this.restartLater();
      }
    }, after);
  }
}

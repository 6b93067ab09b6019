import { inBatchSpan } from './batch-span';
import {
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@tovholder/event-store';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import {
  CheckpointMovedError,
  lockCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoints';
import type { Projector } from './projector';

export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  /** Tries of one event, alone in its transaction, before it is parked. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** How often a standby instance asks for the projector's lock. */
  readonly standbyPollMs?: number;
  /**
   * How often a running instance looks whether its checkpoint was reset (a rebuild from another
   * process): without new events it would otherwise not notice until the next one arrives.
   */
  readonly resetCheckMs?: number;
  readonly logger?: ProjectionLogger;
  /** Told after every commit, so waiting queries wake at once. */
  readonly onCheckpoint?: (projector: string, position: Position) => void;
  /** Fault injection for crash tests: runs after the rows and checkpoint are written, before commit. */
  readonly beforeCommit?: (events: readonly RecordedEvent[]) => Promise<void>;
}

export type RunnerState = 'stopped' | 'standby' | 'running';

const LOCK_CLASS = 7346; // advisory-lock namespace of projectors

const silentLogger: ProjectionLogger = { log: () => {}, warn: () => {}, error: () => {} };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}

/**
 * Drives one projector: holds its advisory lock (other instances stand by), follows the log
 * from the checkpoint, applies each batch in one transaction with the checkpoint, and parks an
 * event that keeps failing instead of halting.
 */
export class ProjectionRunner {
  private checkpoint: Position | null = null;
  private controller = new AbortController();
  private loop: Promise<void> | null = null;
  private currentState: RunnerState = 'stopped';
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly standbyPollMs: number;
  private readonly resetCheckMs: number;
  private readonly logger: ProjectionLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    readonly projector: Projector,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.standbyPollMs = options.standbyPollMs ?? 2000;
    this.resetCheckMs = options.resetCheckMs ?? 5000;
    this.logger = options.logger ?? silentLogger;
  }

  get state(): RunnerState {
    return this.currentState;
  }

  get position(): Position | null {
    return this.checkpoint;
  }

  start(): void {
    if (this.loop) return;
    this.controller = new AbortController();
    this.loop = this.runUntilStopped(this.controller.signal);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.loop;
    this.loop = null;
    this.currentState = 'stopped';
  }

  private async runUntilStopped(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const lock = await this.tryLock().catch((error: unknown) => {
        this.logger.error(`${this.projector.name}: lock failed: ${describeError(error)}`);
        return null;
      });
      if (!lock) {
        this.currentState = 'standby';
        await sleep(this.standbyPollMs, signal);
        continue;
      }
      try {
        this.currentState = 'running';
        this.checkpoint = await readCheckpoint(this.dataSource.manager, this.projector.name);
        const reset = new AbortController();
        const watch = setInterval(() => void this.abortIfReset(reset), this.resetCheckMs);
        try {
          for await (const batch of this.store.subscribe(this.checkpoint, {
            batchSize: this.batchSize,
            signal: AbortSignal.any([signal, reset.signal]),
          })) {
            await inBatchSpan(this.projector.name, batch.length, () => this.applyBatch(batch));
          }
        } finally {
          clearInterval(watch);
        }
        if (reset.signal.aborted && !signal.aborted) {
          this.logger.warn(`${this.projector.name}: checkpoint reset elsewhere; replaying`);
        }
      } catch (error) {
        if (error instanceof CheckpointMovedError) {
          this.logger.warn(
            `${this.projector.name}: checkpoint moved elsewhere; restarting from it`,
          );
        } else if (!signal.aborted) {
          this.logger.error(
            `${this.projector.name}: stopped on ${describeError(error)}; restarting`,
          );
          await sleep(this.retryDelayMs * 10, signal);
        }
      } finally {
        await lock.release();
      }
    }
  }

  /** Ends the subscription when a rebuild elsewhere reset the checkpoint this instance had passed. */
  private async abortIfReset(reset: AbortController): Promise<void> {
    if (this.checkpoint === null || reset.signal.aborted) return;
    const stored = await readCheckpoint(this.dataSource.manager, this.projector.name).catch(
      () => undefined,
    );
    if (stored === null) reset.abort();
  }

  /** Holds the projector's lock while the caller works; null when another process holds it. */
  async tryLock(): Promise<{ release(): Promise<void> } | null> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        LOCK_CLASS,
        this.projector.name,
      ])) as { locked: boolean }[];
      if (!rows[0]?.locked) {
        await runner.release();
        return null;
      }
    } catch (error) {
      await runner.release();
      throw error;
    }
    return {
      release: async () => {
        await runner
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.projector.name])
          .catch(() => undefined);
        await runner.release();
      },
    };
  }

  /**
   * Reads the log from the checkpoint until it is exhausted, outside the follow loop: a rebuild
   * uses this while it holds the lock.
   */
  async catchUp(onBatch?: (applied: number) => void): Promise<void> {
    this.checkpoint = await readCheckpoint(this.dataSource.manager, this.projector.name);
    for (;;) {
      const batch = await this.store.readAll(this.checkpoint, this.batchSize);
      if (batch.length === 0) return;
      await this.applyBatch(batch);
      onBatch?.(batch.length);
    }
  }

  async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    try {
      await this.commit(batch);
    } catch (error) {
      if (error instanceof CheckpointMovedError) throw error;
      // Find the poison: every event alone, retried, then parked.
      for (const event of batch) {
        if (comparePositions(event.position, this.checkpoint) <= 0) continue;
        await this.applyAlone(event);
      }
    }
  }

  private async commit(events: readonly RecordedEvent[]): Promise<void> {
    const last = events.at(-1);
    if (!last) return;
    await this.dataSource.transaction(async (manager: EntityManager) => {
      // Rows and checkpoint commit together, so a commit lost in a server crash only means the
      // events are projected again: the batch need not wait for its commit to reach the disk.
      await manager.query('SET LOCAL synchronous_commit = off');
      await lockCheckpoint(manager, this.projector.name, this.checkpoint);
      for (const event of events) {
        if (this.projector.handles(event)) await this.projector.apply(event, manager);
      }
      await this.projector.afterBatch?.(manager);
      await writeCheckpoint(manager, this.projector.name, last.position);
      await this.options.beforeCommit?.(events);
    });
    this.advanceTo(last.position);
  }

  private async applyAlone(event: RecordedEvent): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await this.commit([event]);
        return;
      } catch (error) {
        if (error instanceof CheckpointMovedError) throw error;
        lastError = error;
        await sleep(this.retryDelayMs * attempt);
      }
    }
    const reason = describeError(lastError);
    await this.dataSource.transaction(async (manager) => {
      await lockCheckpoint(manager, this.projector.name, this.checkpoint);
      await manager.query(
        `INSERT INTO parked_events (projector, event_id, event_type, stream_id, stream_revision,
                                    commit_position, prepare_position, reason, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (projector, event_id)
           DO UPDATE SET reason = EXCLUDED.reason, attempts = EXCLUDED.attempts, parked_at = now()`,
        [
          this.projector.name,
          event.id,
          event.type,
          event.streamId,
          event.revision,
          event.position.commit.toString(),
          event.position.prepare.toString(),
          reason,
          this.maxAttempts,
        ],
      );
      await writeCheckpoint(manager, this.projector.name, event.position);
    });
    this.advanceTo(event.position);
    // Ids and type only: the reason may quote data, and stays in the table.
    this.logger.warn(
      `${this.projector.name}: parked event ${event.id} (${event.type}) after ${this.maxAttempts} attempts`,
    );
  }

  private advanceTo(position: Position): void {
    this.checkpoint = position;
    this.options.onCheckpoint?.(this.projector.name, position);
  }
}

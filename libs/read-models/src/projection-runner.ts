import { AdaptiveBatchSize } from './adaptive-batch-size';
import { inBatchSpan } from './batch-span';
import { inSchemaTransaction, readInSchema } from './batch-transactions';
import {
  comparePositions,
  type EventStore,
  type Position,
  type ProjectionEvent,
} from '@tovholder/event-store';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import {
  advanceCheckpoint,
  CheckpointMovedError,
  lockCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  writeInCheckpointedTransaction,
  writeWithCheckpoint,
} from './checkpoints';
import type { ArrayWrite } from './array-rows';
import { applyEvents, type PreparedBatch, type Projector } from './projector';
import { backoffMs, codeOf, isTransientDatabaseError } from './transient-errors';

export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  /** Events per batch while following the log live: small, so a read-back waits little. */
  readonly batchSize?: number;
  /**
   * Events per batch while catching up or rebuilding: large, so the set-based projectors write
   * each table once for thousands of events. The runner switches back to live batches when a
   * read comes back short (the log is exhausted) and to large ones when a live batch is full.
   */
  readonly catchUpBatchSize?: number;
  /** Tries of one event, alone in its transaction, before it is parked. */
  readonly maxAttempts?: number;
  /**
   * Stops with `ProjectorFailingError` once this many events in a row were parked, none applied
   * between: the projector then fails on everything (a broken deploy), not on a few events, and
   * parking each would take days. A rebuild sets it; a live runner parks on (the parked-events
   * alert tells).
   */
  readonly stopAfterParkedInARow?: number;
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
  /** Fault injection for crash tests: runs after the rows are written, before the checkpoint moves and commits. */
  readonly beforeCommit?: (events: readonly ProjectionEvent[]) => Promise<void>;
  /**
   * Where this runner keeps its checkpoint, lock and parked events (default: the projector's
   * name). A blue/green rebuild runs the same projector under a shadow name.
   */
  readonly name?: string;
  /**
   * A schema searched before `public` in every batch's transaction: the projector's unqualified
   * table names then resolve to the shadow tables a blue/green rebuild builds there.
   */
  readonly schema?: string;
}

export type RunnerState = 'stopped' | 'standby' | 'running';

/** A batch whose write and commit run while the next one is read, loaded and folded. */
interface BatchInFlight {
  readonly last: Position;
  /** What the next batch may build on (`Projector.prepareBatch`); null when it must load. */
  readonly prepared: PreparedBatch | null;
  /**
   * True once written as prepared; false when the write failed and the events were applied
   * again by halves (the next batch must not build on `prepared`). Rejects when even that failed,
   * and on a moved checkpoint or a database that went away.
   */
  readonly written: Promise<boolean>;
}

const LOCK_CLASS = 7346; // advisory-lock namespace of projectors
const TARGET_BATCH_MS = 500;
/**
 * A batch with nothing for the projector moves only the checkpoint: in memory at once (waiting
 * readers here wake), in the table at most this long after. Writing it every time was most of
 * the live transactions (each one holding back the log's visible head) for a handful of events.
 */
const CHECKPOINT_STORE_DELAY_MS = 200;

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

/** A rebuild's projector parked every event it met (see `stopAfterParkedInARow`). */
export class ProjectorFailingError extends Error {
  constructor(projector: string, parked: number, last: unknown) {
    // The error's kind and code only: its message may quote an event's data.
    const code = typeof last === 'object' && last !== null ? codeOf(last) : undefined;
    const kind = last instanceof Error ? last.name : 'error';
    super(
      `${projector} failed on ${parked} events in a row and applied none between (${kind}${code ? ` ${code}` : ''}): the projector is broken, not the events; stopped instead of parking them all`,
    );
    this.name = 'ProjectorFailingError';
  }
}

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}

/**
 * Drives one projector: holds its advisory lock (other instances stand by), follows the log
 * from the checkpoint, applies each batch in one transaction with the checkpoint, and parks an
 * event that keeps failing instead of halting. A failing batch is split in halves until the
 * poison event is alone; a database that goes away is waited for, and parks nothing.
 */
export class ProjectionRunner {
  readonly name: string;
  private checkpoint: Position | null = null;
  /** The checkpoint as last written to the table; behind `checkpoint` until it is stored. */
  private storedCheckpoint: Position | null = null;
  private storeTimer: NodeJS.Timeout | null = null;
  /** Writes of rows and checkpoint, one at a time (a delayed checkpoint write must not overtake). */
  private writes: Promise<unknown> = Promise.resolve();
  private controller = new AbortController();
  private loop: Promise<void> | null = null;
  private currentState: RunnerState = 'stopped';
  private transientFailures = 0;
  /** Whether the catch-up under way prepares its batches bulk (see `Projector.completeBulk`). */
  private bulk = false;
  /** Events parked since one was last applied (see `stopAfterParkedInARow`). */
  private parkedInARow = 0;
  /** The catch-up batch size in use: shrinks when a batch's transaction ran long, grows back. */
  private readonly adaptiveBatchSize: AdaptiveBatchSize;
  private readonly batchSize: number;
  private readonly catchUpBatchSize: number;
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
    this.name = options.name ?? projector.name;
    this.batchSize = options.batchSize ?? 500;
    this.catchUpBatchSize = Math.max(this.batchSize, options.catchUpBatchSize ?? 5000);
    this.adaptiveBatchSize = new AdaptiveBatchSize(
      this.batchSize,
      this.catchUpBatchSize,
      TARGET_BATCH_MS,
    );
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
        this.reportFailure('lock failed', error);
        return null;
      });
      if (!lock) {
        this.currentState = 'standby';
        await sleep(
          this.transientFailures > 0 ? backoffMs(this.transientFailures) : this.standbyPollMs,
          signal,
        );
        continue;
      }
      try {
        this.currentState = 'running';
        this.setCheckpoint(await readCheckpoint(this.dataSource.manager, this.name));
        const reset = new AbortController();
        const watch = setInterval(() => void this.abortIfReset(reset), this.resetCheckMs);
        try {
          await this.follow(AbortSignal.any([signal, reset.signal]));
        } finally {
          clearInterval(watch);
          await this.storeCheckpoint().catch(() => undefined);
        }
        if (reset.signal.aborted && !signal.aborted) {
          this.logger.warn(`${this.name}: checkpoint reset elsewhere; replaying`);
        }
      } catch (error) {
        if (error instanceof CheckpointMovedError) {
          this.logger.warn(`${this.name}: checkpoint moved elsewhere; restarting from it`);
        } else if (!signal.aborted) {
          const transient = this.reportFailure('stopped', error);
          await sleep(
            transient ? backoffMs(this.transientFailures) : this.retryDelayMs * 10,
            signal,
          );
        }
      } finally {
        await lock.release();
      }
    }
  }

  /** Logs a failure; a transient one (the database went away) is a warning and counts the backoff. */
  private reportFailure(what: string, error: unknown): boolean {
    if (isTransientDatabaseError(error)) {
      this.transientFailures += 1;
      this.logger.warn(
        `${this.name}: ${what} on a transient database error (${describeError(error)}); retrying`,
      );
      return true;
    }
    this.logger.error(`${this.name}: ${what} on ${describeError(error)}; restarting`);
    return false;
  }

  /**
   * Large batches while behind, then the live subscription with small ones; back to large
   * batches when a live batch comes back full (a burst of appends).
   */
  private async follow(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.catchUpFrom(signal);
      if (signal.aborted) return;
      let inFlight: BatchInFlight | null = null;
      // Ends the subscription when a batch in flight failed for good (see `followBatch`).
      const failed = new AbortController();
      try {
        for await (const batch of this.store.subscribe(this.checkpoint, {
          batchSize: this.batchSize,
          signal: AbortSignal.any([signal, failed.signal]),
        })) {
          inFlight = await this.followBatch(batch, inFlight, failed);
          if (batch.length >= this.batchSize && this.catchUpBatchSize > this.batchSize) break;
        }
        const last = inFlight;
        inFlight = null;
        await last?.written;
      } finally {
        await inFlight?.written.catch(() => undefined); // thrown already: only its end is waited for
      }
    }
  }

  /**
   * A live batch. With a projector that gives its batches as writes, the batch's one statement
   * runs while the subscription reads the next batch (a read-back would otherwise wait for the
   * read and the write in turn); the next batch loads once it has committed. Anything else goes
   * the careful way, batch by batch. A statement that fails is applied again by halves at once
   * (see `writeInFlight`); when that fails too (the database went away, the checkpoint moved),
   * `failed` ends the subscription, as there may be no next batch for a while to throw it.
   */
  private async followBatch(
    batch: readonly ProjectionEvent[],
    inFlight: BatchInFlight | null,
    failed: AbortController,
  ): Promise<BatchInFlight | null> {
    const { events, last, handled } = this.pending(batch, inFlight);
    await inFlight?.written;
    const batchWrites = this.oneStatementWrites();
    if (!last || handled.length === 0 || !batchWrites) {
      await inBatchSpan(this.projector.name, events.length, () => this.applyBatch(events));
      return null;
    }
    let writes: readonly (ArrayWrite | null)[];
    try {
      writes = await batchWrites(handled, this.dataSource.manager);
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      await this.applyBatch(events);
      return null;
    }
    return this.writeInFlight(
      events,
      last.position,
      null,
      () => this.writeInOneStatement(writes, last.position),
      () => failed.abort(),
    );
  }

  /**
   * Starts a batch's write and returns it in flight. A write that fails is applied again by
   * halves at once, so a poison event is parked whether or not another batch comes;
   * `onGiveUp` runs when even that fails.
   */
  private writeInFlight(
    events: readonly ProjectionEvent[],
    last: Position,
    prepared: PreparedBatch | null,
    write: () => Promise<void>,
    onGiveUp?: () => void,
  ): BatchInFlight {
    const written = inBatchSpan(this.projector.name, events.length, write).then(
      () => true,
      async (error: unknown) => {
        try {
          if (error instanceof CheckpointMovedError || isTransientDatabaseError(error)) throw error;
          await this.applyBatch(events);
          return false;
        } catch (failure) {
          onGiveUp?.();
          throw failure;
        }
      },
    );
    written.catch(() => undefined); // seen when awaited
    return { last, prepared, written };
  }

  /**
   * Applies large batches until the log is exhausted, reading the next batch while the current
   * one is applied.
   */
  private async catchUpFrom(
    signal?: AbortSignal,
    onBatch?: (applied: number) => void,
  ): Promise<void> {
    let size = this.adaptiveBatchSize.value;
    let next: Promise<ProjectionEvent[]> | null = this.store.readAllWithoutEnvelope(
      this.checkpoint,
      size,
    );
    let inFlight: BatchInFlight | null = null;
    try {
      while (next && !signal?.aborted) {
        const batch: ProjectionEvent[] = await next;
        const last = batch.at(-1);
        if (!last) break;
        const exhausted = batch.length < size;
        size = this.adaptiveBatchSize.value;
        next = exhausted ? null : this.store.readAllWithoutEnvelope(last.position, size);
        next?.catch(() => undefined); // a failed read-ahead is seen when awaited, not as unhandled
        const started = Date.now();
        if (this.projector.prepareBatch) {
          inFlight = await this.pipelineBatch(batch, inFlight);
        } else {
          await inBatchSpan(this.projector.name, batch.length, () => this.applyBatch(batch));
        }
        this.adaptiveBatchSize.record(batch.length, Date.now() - started);
        onBatch?.(batch.length);
      }
      const last = inFlight;
      inFlight = null;
      await last?.written;
    } finally {
      await inFlight?.written.catch(() => undefined); // thrown already: only its end is waited for
    }
    // A rebuild compares the stored checkpoints: the last batches' must be there.
    await this.storeCheckpoint();
    if (!signal?.aborted) await this.settle();
  }

  /** The projector's put-off work, once caught up (see `Projector.settle`). */
  private async settle(): Promise<void> {
    const projector = this.projector;
    if (!projector.settle) return;
    await this.serially(() =>
      inSchemaTransaction(this.dataSource, this.options.schema, async (manager) => {
        await manager.query('SET LOCAL synchronous_commit = off');
        await lockCheckpoint(manager, this.name, this.storedCheckpoint);
        await projector.settle?.(manager);
      }),
    );
  }

  /** Ends the subscription when a rebuild elsewhere reset the checkpoint this instance had passed. */
  private async abortIfReset(reset: AbortController): Promise<void> {
    if (this.storedCheckpoint === null || reset.signal.aborted) return;
    const stored = await readCheckpoint(this.dataSource.manager, this.name).catch(() => undefined);
    if (stored === null) reset.abort();
  }

  /** Holds the projector's lock while the caller works; null when another process holds it. */
  async tryLock(): Promise<{ release(): Promise<void> } | null> {
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        LOCK_CLASS,
        this.name,
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
          .query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_CLASS, this.name])
          .catch(() => undefined);
        await runner.release();
      },
    };
  }

  /**
   * Reads the log from the checkpoint until it is exhausted, outside the follow loop: a rebuild
   * uses this while it holds the lock. A database that goes away is waited for. `bulk`: a
   * pipelined projector prepares the batches bulk (see `Projector.completeBulk`).
   */
  async catchUp(onBatch?: (applied: number) => void, bulk = false): Promise<void> {
    this.bulk = bulk;
    try {
      for (;;) {
        try {
          this.setCheckpoint(await readCheckpoint(this.dataSource.manager, this.name));
          await this.catchUpFrom(undefined, onBatch);
          return;
        } catch (error) {
          if (!isTransientDatabaseError(error)) {
            // A failed or cancelled rebuild drops its shadow: a delayed write must not bring the
            // checkpoint row back. What it would have stored is only events the projector skips.
            this.cancelCheckpointStore();
            throw error;
          }
          this.reportFailure('catch-up paused', error);
          await sleep(backoffMs(this.transientFailures));
        }
      }
    } finally {
      this.bulk = false;
    }
  }

  async applyBatch(batch: readonly ProjectionEvent[]): Promise<void> {
    const pending = batch.filter((event) => comparePositions(event.position, this.checkpoint) > 0);
    const only = pending.length === 1 ? pending[0] : undefined;
    if (pending.length === 0) return;
    try {
      await this.commit(pending);
    } catch (error) {
      if (error instanceof CheckpointMovedError || isTransientDatabaseError(error)) throw error;
      if (only) return this.applyAlone(only);
      // Find the poison by halves: the good events around it are applied in few transactions.
      const middle = Math.ceil(pending.length / 2);
      await this.applyBatch(pending.slice(0, middle));
      await this.applyBatch(pending.slice(middle));
    }
  }

  /**
   * Catching up with a pipelined projector: the batch is loaded and folded while the one before
   * it (in flight) writes and commits, then written in its own transaction once that one has
   * committed. Returns the batch now in flight. Anything that fails goes the careful way, batch
   * by batch: a batch whose write failed (and the next, prepared on its rows) is applied by
   * halves (see `writeInFlight`), as is one whose fold failed.
   */
  private async pipelineBatch(
    batch: readonly ProjectionEvent[],
    inFlight: BatchInFlight | null,
  ): Promise<BatchInFlight | null> {
    const { events, last, handled } = this.pending(batch, inFlight);
    const prepare = this.projector.prepareBatch?.bind(this.projector);
    if (!last || handled.length === 0 || !prepare) {
      await inFlight?.written;
      await this.applyBatch(events);
      return null;
    }
    let prepared: PreparedBatch | null = null;
    try {
      // Read only, so it holds back no one's view of the log (no transaction id).
      prepared = await readInSchema(this.dataSource, this.options.schema, (manager) =>
        prepare(handled, manager, inFlight?.prepared ?? null, this.bulk),
      );
    } catch (error) {
      if (isTransientDatabaseError(error)) {
        await inFlight?.written;
        throw error;
      }
    }
    const reliable = (await inFlight?.written) ?? true;
    if (!prepared || !reliable) {
      await this.applyBatch(events);
      return null;
    }
    const write = prepared;
    return this.writeInFlight(events, last.position, prepared, () =>
      this.commit(events, (manager) => write.write(manager)),
    );
  }

  /** The batch's events past the batch in flight (or the checkpoint), its last, and those handled. */
  private pending(
    batch: readonly ProjectionEvent[],
    inFlight: BatchInFlight | null,
  ): { events: ProjectionEvent[]; last: ProjectionEvent | undefined; handled: ProjectionEvent[] } {
    const after = inFlight?.last ?? this.checkpoint;
    const events = batch.filter((event) => comparePositions(event.position, after) > 0);
    return {
      events,
      last: events.at(-1),
      handled: events.filter((event) => this.projector.handles(event)),
    };
  }

  /**
   * The projector's `batchWrites` where its batches may go as one statement: not in a rebuild's
   * shadow schema (set per transaction), nor with a fault to inject between writes and commit.
   */
  private oneStatementWrites(): Projector['batchWrites'] {
    if (this.options.schema || this.options.beforeCommit) return undefined;
    return this.projector.batchWrites?.bind(this.projector);
  }

  private async commit(
    events: readonly ProjectionEvent[],
    write?: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    const last = events.at(-1);
    if (!last) return;
    // A prepared write is of events handled (see `pipelineBatch`): not asked again, per event.
    const handled = write ? null : events.filter((event) => this.projector.handles(event));
    if (handled?.length === 0) {
      this.advanceTo(last.position);
      this.storeCheckpointSoon();
      return;
    }
    const batchWrites = handled && this.oneStatementWrites();
    if (batchWrites) {
      // Reads only, outside any transaction: the projector alone writes its tables, a batch at a time.
      await this.writeInOneStatement(
        await batchWrites(handled, this.dataSource.manager),
        last.position,
      );
      this.parkedInARow = 0;
      return;
    }
    const { schema, beforeCommit } = this.options;
    await this.serially(() =>
      // The checkpoint moves last, by compare-and-set: a transaction holds back the log's
      // visible head (every reader's, every projector's) from its first write, so loading and
      // folding come before any. Another process that moved it meanwhile makes it roll back.
      writeInCheckpointedTransaction(
        this.dataSource,
        { projector: this.name, expected: this.storedCheckpoint, position: last.position, schema },
        (manager) => (write ? write(manager) : applyEvents(this.projector, events, manager)),
        beforeCommit && (() => beforeCommit(events)),
      ),
    );
    this.storedCheckpoint = last.position;
    this.advanceTo(last.position);
    this.parkedInARow = 0;
  }

  /** A batch's writes and the checkpoint's move, as one statement (see `writeWithCheckpoint`). */
  private async writeInOneStatement(
    writes: readonly (ArrayWrite | null)[],
    last: Position,
  ): Promise<void> {
    await this.serially(() =>
      writeWithCheckpoint(this.dataSource.manager, writes, this.name, this.storedCheckpoint, last),
    );
    this.storedCheckpoint = last;
    this.advanceTo(last);
  }

  /** Writes the in-memory checkpoint to the table if it is ahead (see CHECKPOINT_STORE_DELAY_MS). */
  private async storeCheckpoint(): Promise<void> {
    this.cancelCheckpointStore();
    await this.serially(async () => {
      const position = this.checkpoint;
      if (position === null || comparePositions(position, this.storedCheckpoint) <= 0) return;
      await advanceCheckpoint(this.dataSource.manager, this.name, this.storedCheckpoint, position);
      this.storedCheckpoint = position;
    });
  }

  private cancelCheckpointStore(): void {
    if (this.storeTimer) clearTimeout(this.storeTimer);
    this.storeTimer = null;
  }

  private storeCheckpointSoon(): void {
    this.storeTimer ??= setTimeout(() => {
      this.storeTimer = null;
      // A checkpoint moved elsewhere shows in the next batch's compare-and-set, or the reset check.
      this.storeCheckpoint().catch((error: unknown) =>
        this.logger.warn(`${this.name}: storing the checkpoint failed (${describeError(error)})`),
      );
    }, CHECKPOINT_STORE_DELAY_MS);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const done = this.writes.then(work, work);
    this.writes = done.catch(() => undefined);
    return done;
  }

  private setCheckpoint(position: Position | null): void {
    this.checkpoint = position;
    this.storedCheckpoint = position;
  }

  private async applyAlone(event: ProjectionEvent): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        await this.commit([event]);
        return;
      } catch (error) {
        // A database that went away says nothing about the event: it does not count.
        if (error instanceof CheckpointMovedError || isTransientDatabaseError(error)) throw error;
        lastError = error;
        await sleep(this.retryDelayMs * attempt);
      }
    }
    const reason = describeError(lastError);
    await this.serially(() =>
      this.dataSource.transaction(async (manager) => {
        await lockCheckpoint(manager, this.name, this.storedCheckpoint);
        await manager.query(
          `INSERT INTO parked_events (projector, event_id, event_type, stream_id, stream_revision,
                                    commit_position, prepare_position, reason, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (projector, event_id)
           DO UPDATE SET reason = EXCLUDED.reason, attempts = EXCLUDED.attempts, parked_at = now()`,
          [
            this.name,
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
        await writeCheckpoint(manager, this.name, event.position);
      }),
    );
    this.storedCheckpoint = event.position;
    this.advanceTo(event.position);
    // Ids and type only: the reason may quote data, and stays in the table.
    this.logger.warn(
      `${this.name}: parked event ${event.id} (${event.type}) after ${this.maxAttempts} attempts`,
    );
    this.parkedInARow += 1;
    const limit = this.options.stopAfterParkedInARow;
    if (limit !== undefined && this.parkedInARow >= limit) {
      throw new ProjectorFailingError(this.name, this.parkedInARow, lastError);
    }
  }

  private advanceTo(position: Position): void {
    this.checkpoint = position;
    this.transientFailures = 0;
    this.options.onCheckpoint?.(this.name, position);
  }
}

import { isAtOrAfter, type Position } from '@tovholder/event-store';
import type { DataSource } from 'typeorm';
import { readCheckpoint } from './checkpoints';

export class ReadModelNotCaughtUpError extends Error {
  readonly code = 'READ_MODEL.NOT_CAUGHT_UP';
  constructor(
    readonly projector: string,
    readonly waitedMs: number,
  ) {
    super(`The ${projector} read model did not reach the requested position within ${waitedMs} ms`);
    this.name = 'ReadModelNotCaughtUpError';
  }
}

/** A position to wait for that no append returned: the log has not reached it. */
export class PositionNotInLogError extends Error {
  readonly code = 'READ_MODEL.POSITION_NOT_IN_LOG';
  constructor() {
    super('waitForPosition is past the end of the log: no command returned it');
    this.name = 'PositionNotInLogError';
  }
}

/**
 * Read-your-writes: lets a query wait, bounded, until a projector has passed a position.
 * Runners in this process notify it at once; runners elsewhere are seen by polling the table.
 */
export class CheckpointWatcher {
  private readonly known = new Map<string, Position>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    /** Asked when a wait times out: a position the log has not reached is the caller's mistake. */
    private readonly logHasReached: (position: Position) => Promise<boolean>,
    private readonly pollMs = 20,
  ) {}

  notify(projector: string, position: Position): void {
    this.known.set(projector, position);
    for (const wake of [...this.waiters]) wake();
  }

  async waitFor(projector: string, target: Position, timeoutMs: number): Promise<void> {
    const started = Date.now();
    let askedAt = 0;
    for (;;) {
      const local = this.known.get(projector);
      if (local && isAtOrAfter(local, target)) return;
      // A runner in this process tells us of its commits: the table is asked only when the
      // poll interval has passed, not on every commit of every projector (with many readers
      // waiting, that was a query per reader per commit, queueing for the pool).
      if (Date.now() - askedAt >= this.pollMs) {
        askedAt = Date.now();
        const stored = await readCheckpoint(this.dataSource.manager, projector);
        if (stored && isAtOrAfter(stored, target)) return;
      }
      const left = timeoutMs - (Date.now() - started);
      if (left <= 0) {
        if (!(await this.logHasReached(target))) throw new PositionNotInLogError();
        throw new ReadModelNotCaughtUpError(projector, timeoutMs);
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(this.pollMs, left));
        this.waiters.add(done);
      });
    }
  }
}

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

/** A runner here that told of a commit this recently is taken to be running (see `localPollMs`). */
const LOCAL_RUNNER_FRESH_MS = 5_000;

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
  /** When a runner in this process last told of each projector's commits. */
  private readonly notifiedAt = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    /** Asked when a wait times out: a position the log has not reached is the caller's mistake. */
    private readonly logHasReached: (position: Position) => Promise<boolean>,
    private readonly pollMs = 20,
    /**
     * How often the table is asked for a projector whose runner here told of a commit within
     * `LOCAL_RUNNER_FRESH_MS`: its next commit wakes the waiters anyway, and a query every
     * `pollMs` per waiting reader took pool connections from the reads themselves.
     */
    private readonly localPollMs = 250,
  ) {}

  notify(projector: string, position: Position): void {
    this.known.set(projector, position);
    this.notifiedAt.set(projector, Date.now());
    for (const wake of [...this.waiters]) wake();
  }

  async waitFor(projector: string, target: Position, timeoutMs: number): Promise<void> {
    const started = Date.now();
    // With a runner here, the table is asked only as a fallback (the runner lost its lock to
    // another process): first after one interval, not at once.
    let askedAt = this.hasLocalRunner(projector) ? started : 0;
    for (;;) {
      const known = this.known.get(projector);
      if (known && isAtOrAfter(known, target)) return;
      const interval = this.hasLocalRunner(projector) ? this.localPollMs : this.pollMs;
      if (Date.now() - askedAt >= interval) {
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
        const timer = setTimeout(done, Math.min(interval, left));
        this.waiters.add(done);
      });
    }
  }

  private hasLocalRunner(projector: string): boolean {
    return Date.now() - (this.notifiedAt.get(projector) ?? 0) < LOCAL_RUNNER_FRESH_MS;
  }
}

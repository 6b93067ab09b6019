import type { EventStore } from '@tovholder/event-store';
import type { DataSource } from 'typeorm';
import { readCheckpoint } from './checkpoints';
import { ProjectionRunner } from './projection-runner';
import { quoteIdent } from './sql-text';
import type { Projector } from './projector';

export interface RebuildProgress {
  /** Events in the log when the rebuild started, when the store can count them. */
  start(total: number | null): void;
  update(done: number): void;
}

export interface RebuildResult {
  readonly events: number;
  /** 'here': this process replayed the log; 'running-instance': a live runner holds the lock and replays it. */
  readonly replayedBy: 'here' | 'running-instance';
}

/** Empties a projector's tables, checkpoint and parked events in one transaction. */
export async function resetProjection(dataSource: DataSource, projector: Projector): Promise<void> {
  await dataSource.transaction(async (manager) => {
    // Taking the checkpoint row first waits for a live runner's batch and fences its next one.
    await manager.query(
      'INSERT INTO projection_checkpoints (projector) VALUES ($1) ON CONFLICT (projector) DO NOTHING',
      [projector.name],
    );
    await manager.query('SELECT 1 FROM projection_checkpoints WHERE projector = $1 FOR UPDATE', [
      projector.name,
    ]);
    if (projector.tables.length > 0) {
      await manager.query(`TRUNCATE ${projector.tables.map(quoteIdent).join(', ')}`);
    }
    await manager.query(
      `UPDATE projection_checkpoints SET commit_position = NULL, prepare_position = NULL,
              updated_at = now() WHERE projector = $1`,
      [projector.name],
    );
    await manager.query('DELETE FROM parked_events WHERE projector = $1', [projector.name]);
  });
}

/**
 * Drops a projector's rows and replays the whole log into it. If another process runs the
 * projector, that process does the replay (its next batch sees the reset checkpoint) and this
 * one only reports progress.
 */
export async function rebuildProjection(
  dataSource: DataSource,
  store: EventStore,
  projector: Projector,
  progress?: RebuildProgress,
  batchSize = 1000,
): Promise<RebuildResult> {
  const total = store.countAfter ? await store.countAfter(null, Number.MAX_SAFE_INTEGER) : null;
  progress?.start(total);
  const runner = new ProjectionRunner(dataSource, store, projector, { batchSize });
  const lock = await runner.tryLock();
  await resetProjection(dataSource, projector);
  if (lock) {
    let done = 0;
    try {
      await runner.catchUp((applied) => {
        done += applied;
        progress?.update(done);
      });
    } finally {
      await lock.release();
    }
    return { events: done, replayedBy: 'here' };
  }
  for (;;) {
    const checkpoint = await readCheckpoint(dataSource.manager, projector.name);
    const behind = store.countAfter
      ? await store.countAfter(checkpoint, Number.MAX_SAFE_INTEGER)
      : 0;
    if (total !== null) progress?.update(Math.max(0, total - behind));
    if (behind === 0 && checkpoint !== null)
      return { events: total ?? 0, replayedBy: 'running-instance' };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

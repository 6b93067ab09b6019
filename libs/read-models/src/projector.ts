import type { RecordedEvent } from '@tovholder/event-store';
import type { EntityManager } from 'typeorm';

/**
 * A projector turns events into read-model rows. `apply` runs inside the batch's transaction
 * (the same one that moves the checkpoint), so it must use the given manager and nothing else.
 * It must be deterministic: a rebuild from the log has to give the same rows as the live run.
 */
export interface Projector {
  readonly name: string;
  /** Tables the projector owns; a rebuild empties them. */
  readonly tables: readonly string[];
  handles(event: RecordedEvent): boolean;
  apply(event: RecordedEvent, manager: EntityManager): Promise<void>;
  /**
   * Runs once per batch, after its events and in the same transaction: work that depends on the
   * batch's end state (e.g. recomputing what several events touched) is done once, not per event.
   */
  afterBatch?(manager: EntityManager): Promise<void>;
}

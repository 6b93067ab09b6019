import type { ProjectionEvent } from '@tovholder/event-store';
import type { EntityManager } from 'typeorm';
import { runArrayWrites, type ArrayWrite } from './array-rows';

/**
 * A projector turns events into read-model rows. `apply` runs inside the batch's transaction
 * (the same one that moves the checkpoint), so it must use the given manager and nothing else.
 * It must be deterministic: a rebuild from the log has to give the same rows as the live run.
 * It folds events without their envelope (`ProjectionEvent`): a rebuild reads the log so.
 */
export interface Projector {
  readonly name: string;
  /** Tables the projector owns; a rebuild builds them anew. */
  readonly tables: readonly string[];
  /**
   * Indexes on those tables that only queries read, never the projector's own batches: a
   * blue/green rebuild creates them once the shadow has caught up, instead of keeping them up to
   * date row by row while it loads.
   */
  readonly queryOnlyIndexes?: readonly string[];
  handles(event: ProjectionEvent): boolean;
  apply(event: ProjectionEvent, manager: EntityManager): Promise<void>;
  /**
   * Runs once per batch, after its events and in the same transaction: work that depends on the
   * batch's end state (e.g. recomputing what several events touched) is done once, not per event.
   */
  afterBatch?(manager: EntityManager): Promise<void>;
  /**
   * The set-based form: applies a whole batch (only events it handles, in log order) without a
   * round trip per event: group by the row each event changes, load the touched rows with one
   * query per table, fold in memory, write each table once. When present, the runner calls it
   * instead of `apply` and `afterBatch`; it must give the same rows as applying one by one.
   */
  applyBatch?(events: readonly ProjectionEvent[], manager: EntityManager): Promise<void>;
  /**
   * The set-based form as writes: loads and folds a batch (only events it handles, in log order)
   * with reads only, and returns its writes. The runner then sends them in one statement with
   * the checkpoint's compare-and-set: one round trip instead of a transaction's three (begin,
   * write, checkpoint with commit), and a transaction id held only while that statement runs (every
   * open one holds back the log's visible head, and so every read-back). When present, the
   * runner calls it instead of `applyBatch`; the two must give the same rows.
   */
  batchWrites?(
    events: readonly ProjectionEvent[],
    manager: EntityManager,
  ): Promise<readonly (ArrayWrite | null)[]>;
  /**
   * The pipelined form, for catching up: loads and folds a batch (only events it handles) with
   * reads only, outside the write's transaction, while the batch before's write may still be in flight;
   * the runner then writes the result in the batch's transaction, once the batch before has
   * committed. `previous` is the batch before's prepared form (null when there is none to rely
   * on): the rows it wrote stand in for what this load may not see yet. Alongside `applyBatch`,
   * which must give the same rows.
   */
  prepareBatch?(
    events: readonly ProjectionEvent[],
    manager: EntityManager,
    previous: PreparedBatch | null,
    /**
     * In a blue/green rebuild's first catch-up, which fills an empty shadow (stream by stream,
     * then in log order): the batch may leave out what `completeBulk` then computes at once.
     */
    bulk?: boolean,
  ): Promise<PreparedBatch>;
  /**
   * For a rebuild: the stream-id prefixes of every stream the projector reads, in groups. A
   * blue/green rebuild then first folds the log up to its start group after group, each
   * stream's events together (when the store can read so: `EventStore.readInStreamOrder`), so
   * a row is folded and written about once instead of once for each batch its events fall in;
   * then it goes on in log order. Only for a pipelined projector (`prepareBatch`) whose rows
   * come out the same in any order of the streams, except that a group's come after the
   * groups before (casework: cases before the records that take their case's department).
   */
  readonly streamOrder?: readonly (readonly string[])[];
  /**
   * After a blue/green rebuild's first catch-up, in the shadow and before any batch that is not
   * bulk: computes anew what bulk batches left out, from the rows written (casework: the
   * per-month counts, from the records, as its migration's backfill computes them). It must
   * replace what is there: a batch the runner applied the careful way (by halves, around a
   * poison event) was not bulk.
   */
  completeBulk?(manager: EntityManager): Promise<void>;
  /**
   * Work the batches may put off while the log is far ahead (what it changes, no query can
   * tell: e.g. carrying pending changes into totals that the queries would otherwise add up):
   * the runner calls it in a transaction of its own each time it has caught up with the log,
   * before following it live, and so before a blue/green rebuild switches over.
   */
  settle?(manager: EntityManager): Promise<void>;
}

/** A batch loaded and folded by `Projector.prepareBatch`, ready to write. */
export interface PreparedBatch {
  /** Writes the batch's rows in its transaction (the checkpoint's). */
  write(manager: EntityManager): Promise<void>;
}

/** Applies events through the projector's set-based form when it has one, else one by one. */
export async function applyEvents(
  projector: Projector,
  events: readonly ProjectionEvent[],
  manager: EntityManager,
): Promise<void> {
  const handled = events.filter((event) => projector.handles(event));
  if (projector.batchWrites) {
    if (handled.length > 0)
      await runArrayWrites(manager, await projector.batchWrites(handled, manager));
    return;
  }
  if (projector.applyBatch) {
    if (handled.length > 0) await projector.applyBatch(handled, manager);
    return;
  }
  for (const event of handled) await projector.apply(event, manager);
  await projector.afterBatch?.(manager);
}

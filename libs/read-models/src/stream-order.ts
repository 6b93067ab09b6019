import type {
  EventStore,
  Position,
  RecordedEvent,
  StreamOrderCursor,
} from '@tovholder/event-store';
import type { DataSource } from 'typeorm';
import { inSchemaTransaction, readInSchema } from './batch-transactions';
import { advanceCheckpoint } from './checkpoints';
import type { PreparedBatch, Projector } from './projector';

/**
 * From how many rewrites per event a rebuild reads stream by stream: how often, for each event
 * of the log, a batch in log order would fold and write again a row an earlier batch wrote (a
 * log of live use spreads a record's events over years; an import writes each stream whole).
 * Reading stream by stream saves those, at the cost of a random read per event in the store
 * and a read of its own beside the other projectors' shared one. On the bench's machine it
 * cost casework about 7 s a million events on a log of whole streams (0 rewrites an event) and
 * saved about 10 s on one with each household's events spread over some 10 batches (about 0.4).
 */
export const STREAM_ORDER_PAYS_FROM = 0.2;

export interface StreamOrderPass {
  /** The checkpoint's name (the shadow's) and the schema searched first. */
  readonly name: string;
  readonly schema: string;
  /** The head the rebuild started from: the pass folds the log up to it. */
  readonly upTo: Position;
  readonly pageSize: number;
  /** Told of each page read; may throw to stop (a cancelled rebuild). */
  readonly onPage?: (events: number) => void;
}

/**
 * A blue/green rebuild's first pass for a projector with `streamOrder`: the log up to `upTo`,
 * group after group, each stream's events together, a page folded while the page before writes
 * (as a catch-up's batches are). Then the shadow's checkpoint moves from nothing to `upTo`, and
 * the rebuild goes on in log order from there. The pages move no checkpoint: a rebuild that
 * stops halfway starts again from an empty shadow, so none is needed. Throws at the first
 * failure, having waited for the write in flight: the caller empties the shadow and starts
 * again in log order, where a poison event is found and parked alone.
 */
export async function catchUpInStreamOrder(
  dataSource: DataSource,
  store: EventStore,
  projector: Projector,
  { name, schema, upTo, pageSize, onPage }: StreamOrderPass,
): Promise<void> {
  const read = store.readInStreamOrder?.bind(store);
  const prepare = projector.prepareBatch?.bind(projector);
  if (!read || !prepare || !projector.streamOrder) {
    throw new Error(`${projector.name} cannot be rebuilt in stream order from this store`);
  }
  let previous: PreparedBatch | null = null;
  let writing: Promise<void> = Promise.resolve();
  try {
    for (const prefixes of projector.streamOrder) {
      const page = (after: StreamOrderCursor | null): Promise<RecordedEvent[]> =>
        read({ prefixes, upTo, after, limit: pageSize });
      let next: Promise<RecordedEvent[]> | null = page(null);
      while (next) {
        const events: RecordedEvent[] = await next;
        const last = events.at(-1);
        if (!last) break;
        next = events.length < pageSize ? null : page(last);
        next?.catch(() => undefined); // a failed read-ahead is seen when awaited
        const handled = events.filter((event) => projector.handles(event));
        if (handled.length > 0) {
          const before: PreparedBatch | null = previous;
          const prepared: PreparedBatch = await readInSchema(dataSource, schema, (manager) =>
            prepare(handled, manager, before),
          );
          await writing;
          writing = inSchemaTransaction(dataSource, schema, (manager) => prepared.write(manager));
          writing.catch(() => undefined); // seen when awaited
          previous = prepared;
        }
        onPage?.(events.length);
      }
    }
    await writing;
  } finally {
    await writing.catch(() => undefined);
  }
  await advanceCheckpoint(dataSource.manager, name, null, upTo);
}

/**
 * How many times per event a rebuild in log order, in batches of `batchSize`, would write again
 * a row of one of the projector's streams (see `STREAM_ORDER_PAYS_FROM`), from a sample of the
 * streams up to `upTo`: those whose ids go on with '00' after a prefix (stream ids end in random
 * ids, so about one in 256 of every prefix's streams), or the first streams of each prefix
 * where that finds none. A batch's share of the log's positions stands for its events, which
 * holds on average. Null when the store cannot tell (it cannot count, or read so).
 */
export async function rewritesPerEvent(
  store: EventStore,
  projector: Projector,
  upTo: Position,
  batchSize: number,
): Promise<number | null> {
  const prefixes = projector.streamOrder?.flat() ?? [];
  const read = store.readInStreamOrder?.bind(store);
  if (prefixes.length === 0 || !read || !store.countAfter) return null;
  const [first] = await store.readAll(null, 1);
  const all = Number.MAX_SAFE_INTEGER;
  const total = (await store.countAfter(null, all)) - (await store.countAfter(upTo, all));
  if (!first || total <= 0) return null;
  const span = Number(upTo.prepare - first.position.prepare) + 1;
  const perBatch = Math.max(1, (span * batchSize) / total);
  const limit = Math.max(batchSize, 1_000);
  const sampled = prefixes.map((prefix) => `${prefix}00`);
  let sample = await read({ prefixes: sampled, upTo, after: null, limit });
  if (sample.length === 0) {
    const each = Math.ceil(limit / prefixes.length);
    const pages = await Promise.all(
      prefixes.map((prefix) => read({ prefixes: [prefix], upTo, after: null, limit: each })),
    );
    sample = pages.flat();
  }
  if (sample.length === 0) return null;
  const batches = new Map<string, Set<number>>();
  for (const event of sample) {
    const batch = Math.floor(Number(event.position.prepare - first.position.prepare) / perBatch);
    const seen = batches.get(event.streamId) ?? new Set<number>();
    seen.add(batch);
    batches.set(event.streamId, seen);
  }
  let rewrites = 0;
  for (const seen of batches.values()) rewrites += seen.size - 1;
  return rewrites / sample.length;
}

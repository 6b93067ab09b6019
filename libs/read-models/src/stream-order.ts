import type {
  EventStore,
  Position,
  ProjectionEvent,
  StreamOrderCursor,
} from '@tovholder/event-store';
import type { DataSource } from 'typeorm';
import { inSchemaTransaction, readInSchema } from './batch-transactions';
import type { PreparedBatch, Projector } from './projector';

/**
 * From how many rewrites per event a rebuild that shares its read of the log reads stream by
 * stream: how often, for each event of the log, a batch in log order would fold and write again
 * a row an earlier batch wrote (a log of live use spreads a record's events over years; an import
 * writes each stream whole). Reading stream by stream saves those, at the cost of a random read
 * per event in the store and a read of its own beside the other projectors' shared one. On the
 * bench's machine it saved casework about 10 s a million events on a log with each household's
 * events spread over some 10 batches (sampled: journal 0.57, application 0.32, inquiry 0.11). On
 * a log of whole streams (0 rewrites an event) it made every projector together ~4.5 s slower
 * (18.2–18.4 s against 22.4–23.2 s), the national rebuild's case. A rebuild alone reads by stream
 * whatever the log's shape (see `planStreamOrder`).
 */
export const STREAM_ORDER_PAYS_FROM = 0.2;

/**
 * Events sampled per prefix: some 180 journals, the longest streams. 10,000 took PostgreSQL about
 * 1 s of random reads on the bench's million-event log and gave the same rates to 0.01.
 */
const SAMPLE_EVENTS = 2_500;

/** What a rebuild reads stream by stream (see `planStreamOrder`). */
export interface StreamOrderPlan {
  /** The projector's groups of prefixes, all read stream by stream up to the start; or none. */
  readonly groups: readonly (readonly string[])[];
  /** Per prefix, how often per event log order would write a row again, where sampled. */
  readonly rewritesPerEvent: Readonly<Record<string, number>>;
}

/**
 * Whether a rebuild of `projector` reads its streams stream by stream up to `upTo`: with
 * 'stream', yes; with 'auto', when it reads the log alone, or else (sharing one read of the log
 * with other rebuilds) when log order would write rows again for at least
 * `STREAM_ORDER_PAYS_FROM` of the events of one of its prefixes (a journal's events spread over
 * a case's years). Alone, the read by stream replaces its own read of the whole log, and skips
 * the other projectors' streams: casework alone rebuilt a log of whole streams (an import's) in
 * 12.1 and 12.5 s against 13.0 and 13.2 s in log order (paired; PostgreSQL's CPU 10.1 s against
 * 11.1–11.3 s), and 13.6–15.2 s against 14.6–18.1 s on a slower hour. All prefixes or none:
 * the rest of the log is read in log order from `upTo`, and a pass over a few prefixes would
 * leave the whole log before it to read again (measured: slower than reading every prefix stream
 * by stream). No groups: log order.
 */
export async function planStreamOrder(
  store: EventStore,
  projector: Projector,
  upTo: Position,
  batchSize: number,
  order: 'auto' | 'stream',
  /** Events in the log, about up to `upTo` (null: the store cannot count). */
  events: number | null,
  /** Whether the rebuild reads the log together with others (`sharedReads`). */
  readShared: boolean,
): Promise<StreamOrderPlan> {
  const groups = projector.streamOrder ?? [];
  const none = { groups: [], rewritesPerEvent: {} };
  if (groups.length === 0 || !store.readInStreamOrder) return none;
  if (order === 'stream' || !readShared) return { groups, rewritesPerEvent: {} };
  const [first] = await store.readAll(null, 1);
  if (!first || !events) return none;
  // A batch's share of the log's positions stands for its events, which holds on average.
  const positionsPerEvent = (Number(upTo.prepare - first.position.prepare) + 1) / events;
  const rates: Record<string, number> = {};
  for (const prefix of groups.flat()) {
    const rate = await rewritesPerEvent(store, prefix, upTo, positionsPerEvent * batchSize);
    if (rate !== null) rates[prefix] = rate;
  }
  const pays = Object.values(rates).some((rate) => rate >= STREAM_ORDER_PAYS_FROM);
  return { groups: pays ? groups : [], rewritesPerEvent: rates };
}

/**
 * How many times per event a rebuild in log order, in batches of `positionsPerBatch` of the
 * log's positions, would write again a row of a stream with this prefix (see
 * `STREAM_ORDER_PAYS_FROM`), from the prefix's first streams up to `upTo`: a sample of them at
 * random with respect to the log, as stream ids end in random ids. Null: no such streams.
 */
async function rewritesPerEvent(
  store: EventStore,
  prefix: string,
  upTo: Position,
  positionsPerBatch: number,
): Promise<number | null> {
  const read = store.readInStreamOrder?.bind(store);
  const sample = read
    ? await read({ prefixes: [prefix], upTo, after: null, limit: SAMPLE_EVENTS })
    : [];
  if (sample.length === 0) return null;
  const batches = new Map<string, Set<number>>();
  for (const event of sample) {
    const batch = Math.floor(Number(event.position.prepare) / Math.max(1, positionsPerBatch));
    const seen = batches.get(event.streamId) ?? new Set<number>();
    seen.add(batch);
    batches.set(event.streamId, seen);
  }
  let rewrites = 0;
  for (const seen of batches.values()) rewrites += seen.size - 1;
  return rewrites / sample.length;
}

export interface StreamOrderPass {
  /** The schema searched first (the shadow's). */
  readonly schema: string;
  /** The head the rebuild started from: the pass folds the log up to it. */
  readonly upTo: Position;
  readonly groups: readonly (readonly string[])[];
  readonly pageSize: number;
  /** Told of each page read; may throw to stop (a cancelled rebuild). */
  readonly onPage?: (events: number) => void;
}

/**
 * A blue/green rebuild's first pass (see `planStreamOrder`): the log up to `upTo` of the
 * plan's streams, group after group, each stream's events together, a page folded while the
 * page before writes (as a catch-up's batches are), bulk (see `Projector.completeBulk`). The
 * rebuild then goes on in log order
 * from `upTo`. The pages move no checkpoint: a rebuild that stops halfway starts again from an
 * empty shadow, so none is needed. Throws at the first failure, having waited for the write in
 * flight: the caller empties the shadow and starts again in log order, where a poison event is
 * found and parked alone.
 */
export async function catchUpInStreamOrder(
  dataSource: DataSource,
  store: EventStore,
  projector: Projector,
  { schema, upTo, groups, pageSize, onPage }: StreamOrderPass,
): Promise<void> {
  const read = store.readInStreamOrder?.bind(store);
  const prepare = projector.prepareBatch?.bind(projector);
  if (!read || !prepare) {
    throw new Error(`${projector.name} cannot be rebuilt in stream order from this store`);
  }
  let previous: PreparedBatch | null = null;
  let writing: Promise<void> = Promise.resolve();
  try {
    for (const prefixes of groups) {
      const page = (after: StreamOrderCursor | null): Promise<ProjectionEvent[]> =>
        read({ prefixes, upTo, after, limit: pageSize });
      let next: Promise<ProjectionEvent[]> | null = page(null);
      while (next) {
        const events: ProjectionEvent[] = await next;
        const last = events.at(-1);
        if (!last) break;
        next = events.length < pageSize ? null : page(last);
        next?.catch(() => undefined); // a failed read-ahead is seen when awaited
        const handled = events.filter((event) => projector.handles(event));
        if (handled.length > 0) {
          const before: PreparedBatch | null = previous;
          const prepared: PreparedBatch = await readInSchema(dataSource, schema, (manager) =>
            prepare(handled, manager, before, true),
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
}

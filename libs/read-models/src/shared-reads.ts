import {
  comparePositions,
  type EventStore,
  type Position,
  type ProjectionEvent,
} from '@tovholder/event-store';

const READ_CHUNK = 10_000;
const STALE_MS = 5_000;
const MOST_WAIT_MS = 5_000;
const WAIT_STEP_MS = 20;

interface Reader {
  /** Where it last asked to read after, or the last event it was then given. */
  after: Position | null;
  seenAt: number;
}

/** The store `sharedReads` gives: shared reads for all callers, or one `reader()` per runner. */
export interface SharedReads extends EventStore {
  /**
   * A view of the shared reads for one runner. The window then keeps what the slowest of the
   * readers still needs: one that would read on past the window's end waits (a short while, at
   * most `MOST_WAIT_MS` in all) for those behind it rather than cut the events they are about to
   * read, which they would then read from the store once more each. A reader that has not read
   * for `STALE_MS` (done, failed, or following the log live) no longer holds the others back.
   */
  reader(): EventStore;
}

/**
 * Lets the runners of several projectors that catch up or rebuild side by side read each stretch
 * of the log once instead of once each: `readAllWithoutEnvelope` (what they catch up with) is
 * served from a window of the log's latest events read, extended by one read (whoever asks first
 * past its end) and cut to `windowEvents` from the front. A runner further behind than the window
 * reads the store itself. Everything else goes to the store unchanged.
 *
 * The window holds the log as the store gave it, so it is what a direct read would give: the
 * store never shows an event before one it has shown already.
 */
export function sharedReads(store: EventStore, windowEvents = 30_000): SharedReads {
  const window: ProjectionEvent[] = [];
  const readers = new Set<Reader>();
  let windowAfter: Position | null | undefined; // the position just before window[0]; undefined: not started
  let extending: Promise<number> | null = null;

  /** Index in the window of the first event after `after`; null when `after` is not in it. */
  function indexAfter(after: Position | null, me?: Reader): number | null {
    if (windowAfter === undefined) {
      windowAfter = after;
      return 0;
    }
    if (comparePositions(after, windowAfter) === 0) return 0;
    if (!extending && comparePositions(after, window.at(-1)?.position ?? windowAfter) > 0) {
      // Past the window's end while others still read behind it (a rebuild that read its own
      // streams up to the head first, see stream-order.ts): read alone, the window stays theirs.
      if (anyBehind(me)) return null;
      // Past the window's end (the runners caught up, and a burst sends them back to reading):
      // the window starts again here.
      window.length = 0;
      windowAfter = after;
      return 0;
    }
    const at = find(after);
    const previous = at ? window[at - 1] : undefined;
    return previous && comparePositions(previous.position, after) === 0 ? at : null;
  }

  /** Reads on from the window's end (one read at a time); resolves to the events it added. */
  function extend(limit: number): Promise<number> {
    extending ??= (async () => {
      try {
        const from = window.at(-1)?.position ?? windowAfter ?? null;
        const events = await store.readAllWithoutEnvelope(from, Math.max(limit, READ_CHUNK));
        window.push(...events);
        const excess = window.length - windowEvents;
        // Not what a live reader is still to read, unless the window grew far past its size.
        const cut = window.length > windowEvents * 3 ? excess : Math.min(excess, slowest());
        if (cut > 0) {
          windowAfter = window[cut - 1]?.position ?? windowAfter;
          window.splice(0, cut);
        }
        return events.length;
      } finally {
        extending = null;
      }
    })();
    return extending;
  }

  /** Index in the window of the first event after `after`, without moving the window; null: not in it. */
  function find(after: Position | null): number | null {
    if (windowAfter === undefined || comparePositions(after, windowAfter) < 0) return null;
    let low = 0;
    let high = window.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const event = window[middle];
      if (event && comparePositions(event.position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Whether a live reader other than `except` still has events of the window to read. One that
   * read up to its end (and may have gone on following the log live) does not hold it.
   */
  function anyBehind(except?: Reader): boolean {
    return slowest(except) < window.length;
  }

  /** Index in the window of the first event a live reader (other than `except`) is still to read. */
  function slowest(except?: Reader): number {
    const now = Date.now();
    let index = window.length;
    for (const reader of readers) {
      if (reader === except || now - reader.seenAt > STALE_MS) continue;
      const at = find(reader.after);
      if (at !== null) index = Math.min(index, at);
    }
    return index;
  }

  async function readShared(
    after: Position | null,
    limit: number,
    me?: Reader,
  ): Promise<ProjectionEvent[]> {
    if (me) {
      me.after = after;
      me.seenAt = Date.now();
    }
    const events = await readFor(after, limit, me);
    // What it was given it no longer needs: one that read up to the window's end (and may now
    // follow the log live) holds back neither the window's cut nor a reader past its end.
    const last = events.at(-1);
    if (me && last) me.after = last.position;
    return events;
  }

  async function readFor(
    after: Position | null,
    limit: number,
    me?: Reader,
  ): Promise<ProjectionEvent[]> {
    const waitUntil = Date.now() + MOST_WAIT_MS;
    for (;;) {
      const start = indexAfter(after, me);
      if (start === null) return store.readAllWithoutEnvelope(after, limit);
      if (window.length - start >= limit) return window.slice(start, start + limit);
      // The window holds its size past a reader behind: wait for it rather than cut.
      const behind = me ? window.length - slowest(me) : 0;
      if (behind >= windowEvents && !extending && Date.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
        continue;
      }
      const added = await extend(limit - (window.length - start));
      if (added === 0) {
        const again = indexAfter(after, me);
        return again === null
          ? store.readAllWithoutEnvelope(after, limit)
          : window.slice(again, again + limit);
      }
    }
  }

  const shared = (read: EventStore['readAllWithoutEnvelope']): EventStore => ({
    append: (streamId, events, expected) => store.append(streamId, events, expected),
    appendMany: (appends) => store.appendMany(appends),
    readStream: (streamId) => store.readStream(streamId),
    readAll: (after, limit) => store.readAll(after, limit),
    readAllWithoutEnvelope: read,
    subscribe: (after, options) => store.subscribe(after, options),
    headPosition: () => store.headPosition(),
    hasReached: (position) => store.hasReached(position),
    countAfter: store.countAfter?.bind(store),
    readInStreamOrder: store.readInStreamOrder?.bind(store),
    ping: () => store.ping(),
    close: () => store.close(),
  });

  return {
    ...shared((after, limit) => readShared(after, limit)),
    reader: () => {
      const me: Reader = { after: null, seenAt: Date.now() };
      readers.add(me);
      return shared((after, limit) => readShared(after, limit, me));
    },
  };
}

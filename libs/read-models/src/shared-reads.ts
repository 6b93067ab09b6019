import {
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@tovholder/event-store';

const READ_CHUNK = 10_000;

/**
 * Lets the runners of several projectors that catch up or rebuild side by side read each stretch
 * of the log once instead of once each: `readAll` is served from a window of the log's latest
 * events read, extended by one read (whoever asks first past its end) and cut to `windowEvents`
 * from the front. A runner further behind than the window reads the store itself. Everything
 * else goes to the store unchanged.
 *
 * The window holds the log as the store gave it, so it is what a direct read would give: the
 * store never shows an event before one it has shown already.
 */
export function sharedReads(store: EventStore, windowEvents = 30_000): EventStore {
  const window: RecordedEvent[] = [];
  let windowAfter: Position | null | undefined; // the position just before window[0]; undefined: not started
  let extending: Promise<number> | null = null;

  /** Index in the window of the first event after `after`; null when `after` is not in it. */
  function indexAfter(after: Position | null): number | null {
    if (windowAfter === undefined) {
      windowAfter = after;
      return 0;
    }
    if (comparePositions(after, windowAfter) === 0) return 0;
    if (!extending && comparePositions(after, window.at(-1)?.position ?? windowAfter) > 0) {
      // Past the window's end (the runners caught up, and a burst sends them back to reading):
      // the window starts again here.
      window.length = 0;
      windowAfter = after;
      return 0;
    }
    let low = 0;
    let high = window.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const event = window[middle];
      if (event && comparePositions(event.position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    const previous = window[low - 1];
    return previous && comparePositions(previous.position, after) === 0 ? low : null;
  }

  /** Reads on from the window's end (one read at a time); resolves to the events it added. */
  function extend(limit: number): Promise<number> {
    extending ??= (async () => {
      try {
        const from = window.at(-1)?.position ?? windowAfter ?? null;
        const events = await store.readAll(from, Math.max(limit, READ_CHUNK));
        window.push(...events);
        const excess = window.length - windowEvents;
        if (excess > 0) {
          windowAfter = window[excess - 1]?.position ?? windowAfter;
          window.splice(0, excess);
        }
        return events.length;
      } finally {
        extending = null;
      }
    })();
    return extending;
  }

  async function readAll(after: Position | null, limit: number): Promise<RecordedEvent[]> {
    for (;;) {
      const start = indexAfter(after);
      if (start === null) return store.readAll(after, limit);
      if (window.length - start >= limit) return window.slice(start, start + limit);
      const added = await extend(limit - (window.length - start));
      if (added === 0) {
        const again = indexAfter(after);
        return again === null ? store.readAll(after, limit) : window.slice(again, again + limit);
      }
    }
  }

  return {
    append: (streamId, events, expected) => store.append(streamId, events, expected),
    appendMany: (appends) => store.appendMany(appends),
    readStream: (streamId) => store.readStream(streamId),
    readAll,
    subscribe: (after, options) => store.subscribe(after, options),
    headPosition: () => store.headPosition(),
    countAfter: store.countAfter?.bind(store),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

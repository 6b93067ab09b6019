import { randomUUID } from 'node:crypto';
import type { EventStore, Position, ProjectionEvent } from '@tovholder/event-store';
import { sharedReads } from '@tovholder/read-models';
import { untilStoreHeadReaches } from './support/fixtures';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

async function readWhole(store: EventStore, batch: number, pauseMs = 0): Promise<string[]> {
  const ids: string[] = [];
  let after: Position | null = null;
  for (;;) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const events: ProjectionEvent[] = await store.readAllWithoutEnvelope(after, batch);
    const last = events.at(-1);
    if (!last) return ids;
    ids.push(...events.map((e) => e.id));
    after = last.position;
  }
}

describe('shared reads of the log', () => {
  let fixture: ReadModelFixture;
  beforeAll(async () => {
    fixture = await openReadModelFixture();
    await appendStreams(60);
  });
  afterAll(async () => {
    await fixture.close();
  });

  /** `count` new streams of five events each, visible once it returns. */
  async function appendStreams(count: number): Promise<void> {
    const results = await fixture.store.appendMany(
      Array.from({ length: count }, () => ({
        streamId: `shared-${randomUUID()}`,
        events: Array.from({ length: 5 }, (_, i) => ({
          id: randomUUID(),
          type: 'Noted',
          data: { i },
        })),
        expected: 'no_stream' as const,
      })),
    );
    const last = results.at(-1)?.position;
    if (last) await untilStoreHeadReaches(fixture.store, last);
  }

  /** The fixture's store, counting its reads and the events they returned. */
  function countedStore(): { store: EventStore; reads: number; events: number } {
    const counts = { reads: 0, events: 0 };
    const store: EventStore = {
      ...fixture.store,
      append: fixture.store.append.bind(fixture.store),
      appendMany: fixture.store.appendMany.bind(fixture.store),
      readStream: fixture.store.readStream.bind(fixture.store),
      subscribe: fixture.store.subscribe.bind(fixture.store),
      headPosition: fixture.store.headPosition.bind(fixture.store),
      hasReached: fixture.store.hasReached.bind(fixture.store),
      ping: fixture.store.ping.bind(fixture.store),
      close: fixture.store.close.bind(fixture.store),
      readAll: fixture.store.readAll.bind(fixture.store),
      readAllWithoutEnvelope: async (after, limit) => {
        counts.reads += 1;
        const events = await fixture.store.readAllWithoutEnvelope(after, limit);
        counts.events += events.length;
        return events;
      },
    };
    return Object.assign(counts, { store });
  }

  it('keeps, for readers of their own, what the slowest still needs: each event read from the store once', async () => {
    const expected = await readWhole(fixture.store, 1000);
    const counted = countedStore();
    // A window smaller than the log, and one reader far slower than the other.
    const shared = sharedReads(counted.store, 120);
    const [fast, slow] = await Promise.all([
      readWhole(shared.reader(), 50),
      readWhole(shared.reader(), 50, 30),
    ]);
    expect(fast).toEqual(expected);
    expect(slow).toEqual(expected);
    expect(counted.events).toBe(expected.length);
  });

  it('gives readers at different batch sizes the log a direct read gives, with fewer store reads', async () => {
    const expected = await readWhole(fixture.store, 1000);
    expect(expected.length).toBeGreaterThanOrEqual(300);
    const counted = countedStore();
    // A window smaller than the log: a reader left behind it reads the store itself.
    const shared = sharedReads(counted.store, 120);
    const batches = [7, 50, 64, 200];
    const results = await Promise.all(batches.map((batch) => readWhole(shared, batch)));
    for (const ids of results) expect(ids).toEqual(expected);
    const directReads = batches.reduce((n, b) => n + Math.ceil(expected.length / b) + 1, 0);
    expect(counted.reads).toBeLessThan(directReads);
  });

  it('a reader that read up to the window’s end does not hold it: readers past its end share a new one', async () => {
    const counted = countedStore();
    const shared = sharedReads(counted.store, 10_000); // the whole log
    const done = shared.reader();
    // Up to the end in one short read, as a catch-up's last; then (say) following the log live.
    await done.readAllWithoutEnvelope(null, 10_000);
    await appendStreams(20);
    const expected = await readWhole(fixture.store, 1000);
    const start = expected.length - 80;
    const from = (await fixture.store.readAll(null, start)).at(-1)?.position ?? null;
    const before = counted.events;
    // Two runners sent back to reading by a burst, from the same place past the window's end.
    const [first, second] = await Promise.all([
      shared.reader().readAllWithoutEnvelope(from, 80),
      shared.reader().readAllWithoutEnvelope(from, 80),
    ]);
    expect(first.map((e) => e.id)).toEqual(expected.slice(start));
    expect(second.map((e) => e.id)).toEqual(expected.slice(start));
    expect(counted.events - before).toBe(80);
  });

  it('a reader that starts past the window while another reads behind it leaves the window to that one', async () => {
    const counted = countedStore();
    const shared = sharedReads(counted.store, 10_000); // the whole log
    const behind = shared.reader();
    const ahead = shared.reader();
    const first = await behind.readAllWithoutEnvelope(null, 50); // the window now holds the whole log
    const before = counted.events;
    await appendStreams(20);
    const expected = await readWhole(fixture.store, 1000);
    // As a rebuild that read its own streams up to the head first goes on from there in log order.
    const start = expected.length - 50;
    const from = (await fixture.store.readAll(null, start)).at(-1)?.position ?? null;
    const fromThere = await ahead.readAllWithoutEnvelope(from, 50);
    expect(fromThere.map((e) => e.id)).toEqual(expected.slice(start));
    let after = first.at(-1)?.position ?? null;
    const ids = first.map((e) => e.id);
    for (;;) {
      const events = await behind.readAllWithoutEnvelope(after, 50);
      const next = events.at(-1);
      if (!next) break;
      ids.push(...events.map((e) => e.id));
      after = next.position;
    }
    expect(ids).toEqual(expected);
    // The one ahead read its 50 alone; the one behind read only the appended events again.
    expect(counted.events - before).toBe(50 + 100);
  });
});

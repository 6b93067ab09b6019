import { randomUUID } from 'node:crypto';
import {
  PartialDuplicateAppendError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type Position,
  type ProjectionEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port';
import { comparePositions } from '../position';

export interface ContractHarness {
  store: EventStore;
  /**
   * Starts an append and holds its transaction open until `commit`. Only stores where a later
   * append can commit before an earlier one (PostgreSQL) provide it.
   */
  holdAppendOpen?: (
    streamId: string,
    events: NewEvent[],
  ) => Promise<{ commit(): Promise<AppendResult> }>;
  /** The same for a multi-stream append. */
  holdAppendManyOpen?: (
    appends: readonly StreamAppend[],
  ) => Promise<{ commit(): Promise<AppendResult[]> }>;
  dispose(): Promise<void>;
}

function event(type: string, data: Record<string, unknown> = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata: { actor: 'contract-test' } };
}

function newStream(category: string): string {
  return `${category}-${randomUUID()}`;
}

async function refusal(attempt: Promise<unknown>): Promise<unknown> {
  return attempt.then(
    () => new Error('expected a refusal, but the append succeeded'),
    (caught: unknown) => caught,
  );
}

async function expectWrongRevision(
  attempt: Promise<unknown>,
  actual: number | 'no_stream',
): Promise<void> {
  const error: unknown = await attempt.then(
    () => new Error('expected a WrongExpectedRevisionError, but the append succeeded'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevisionError);
  expect((error as WrongExpectedRevisionError).actual).toEqual(actual);
}

/** Reads a subscription until `count` events of the given streams arrived, or the time is up. */
async function collect(
  store: EventStore,
  after: Position | null,
  streams: ReadonlySet<string>,
  count: number,
  timeoutMs = 15000,
): Promise<ProjectionEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const seen: ProjectionEvent[] = [];
  try {
    for await (const batch of store.subscribe(after, {
      batchSize: 50,
      signal: controller.signal,
    })) {
      seen.push(...batch.filter((recorded) => streams.has(recorded.streamId)));
      if (seen.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return seen;
}

/**
 * The log of the given streams once at least `count` of their events are visible. Visibility can
 * trail a committed append briefly (PostgreSQL: while an older transaction elsewhere is open).
 */
async function readVisible(
  store: EventStore,
  after: Position | null,
  streams: ReadonlySet<string>,
  count: number,
): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const ours = (await store.readAll(after, 10000)).filter((e) => streams.has(e.streamId));
    if (ours.length >= count || Date.now() > deadline) return ours;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The fields of a `ProjectionEvent`, whatever else the event carries. */
function withoutEnvelope({
  id,
  streamId,
  revision,
  type,
  data,
  position,
}: ProjectionEvent): ProjectionEvent {
  return { id, streamId, revision, type, data, position };
}

function expectStrictlyIncreasing(events: readonly ProjectionEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    const previous = events[i - 1];
    const current = events[i];
    if (!previous || !current) continue;
    expect(comparePositions(previous.position, current.position)).toBe(-1);
  }
}

export interface ContractOptions {
  /**
   * Whether a later append can commit before an earlier one (PostgreSQL: yes; KurrentDB writes
   * its log in commit order). When true the harness must provide `holdAppendOpen`; when false
   * the out-of-order test is reported as skipped.
   */
  commitsOutOfOrder: boolean;
  /** Whether the store offers `readInStreamOrder`; when false its test is reported as skipped. */
  readsInStreamOrder: boolean;
}

export function describeEventStoreContract(
  name: string,
  openHarness: () => Promise<ContractHarness>,
  { commitsOutOfOrder, readsInStreamOrder }: ContractOptions,
): void {
  describe(`event store contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;

    beforeAll(async () => {
      harness = await openHarness();
      store = harness.store;
    });
    afterAll(async () => {
      await harness.dispose();
    });

    describe('expected revision', () => {
      it("'no_stream' creates a stream and refuses one that exists", async () => {
        const stream = newStream('case');
        const first = await store.append(stream, [event('CaseOpened')], 'no_stream');
        expect(first.nextRevision).toBe(0);
        await expectWrongRevision(store.append(stream, [event('CaseOpened')], 'no_stream'), 0);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it("'stream_exists' refuses a missing stream and appends to an existing one", async () => {
        const stream = newStream('case');
        await expectWrongRevision(
          store.append(stream, [event('CaseClosed')], 'stream_exists'),
          'no_stream',
        );
        expect(await store.readStream(stream)).toEqual([]);
        await store.append(stream, [event('CaseOpened')], 'no_stream');
        const result = await store.append(stream, [event('CaseClosed')], 'stream_exists');
        expect(result.nextRevision).toBe(1);
      });

      it('an exact revision must be the last revision: neither older nor newer', async () => {
        const stream = newStream('case');
        await expectWrongRevision(store.append(stream, [event('A')], 0), 'no_stream');
        await store.append(stream, [event('A'), event('B')], 'no_stream');
        await expectWrongRevision(store.append(stream, [event('C')], 0), 1);
        await expectWrongRevision(store.append(stream, [event('C')], 5), 1);
        const result = await store.append(stream, [event('C')], 1);
        expect(result.nextRevision).toBe(2);
        expect((await store.readStream(stream)).map((recorded) => recorded.type)).toEqual([
          'A',
          'B',
          'C',
        ]);
      });

      it("'any' creates a missing stream and appends to an existing one", async () => {
        const stream = newStream('case');
        expect((await store.append(stream, [event('A')], 'any')).nextRevision).toBe(0);
        expect((await store.append(stream, [event('B'), event('C')], 'any')).nextRevision).toBe(2);
      });

      it('of concurrent appends at the same revision exactly one succeeds', async () => {
        const stream = newStream('family');
        await store.append(stream, [event('FamilyRegistered')], 'no_stream');
        const attempts = await Promise.allSettled(
          Array.from({ length: 10 }, () =>
            store.append(stream, [event('PrimaryContactAssigned')], 0),
          ),
        );
        const succeeded = attempts.filter((attempt) => attempt.status === 'fulfilled');
        const refused = attempts.filter(
          (attempt) =>
            attempt.status === 'rejected' && attempt.reason instanceof WrongExpectedRevisionError,
        );
        expect(succeeded).toHaveLength(1);
        expect(refused).toHaveLength(9);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('idempotent retries', () => {
      it('an event id appended twice is stored once and the retry answers like the first', async () => {
        const stream = newStream('case');
        const opened = event('CaseOpened');
        const first = await store.append(stream, [opened], 'no_stream');
        const retry = await store.append(stream, [opened], 'no_stream');
        expect(retry.nextRevision).toBe(first.nextRevision);
        expect(comparePositions(retry.position, first.position)).toBe(0);
        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(1);
        expect(stored[0]?.id).toBe(opened.id);
      });

      it('a retry with expected revision any is stored once', async () => {
        const stream = newStream('case');
        const batch = [event('A'), event('B')];
        await store.append(stream, batch, 'any');
        await store.append(stream, batch, 'any');
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('a retry after later appends does not write the events again', async () => {
        const stream = newStream('case');
        const opened = event('CaseOpened');
        await store.append(stream, [opened], 'no_stream');
        await store.append(stream, [event('CaseworkerAssigned')], 0);
        await store.append(stream, [opened], 'no_stream').catch(() => undefined);
        expect((await store.readStream(stream)).filter((e) => e.id === opened.id)).toHaveLength(1);
      });
    });

    describe('multi-stream append', () => {
      it('appends to several streams at once, each with its own expectation', async () => {
        const existing = newStream('case');
        await store.append(existing, [event('CaseOpened')], 'no_stream');
        const fresh = newStream('family');
        const anywhere = newStream('person');
        const results = await store.appendMany([
          { streamId: existing, events: [event('A'), event('B')], expected: 0 },
          { streamId: fresh, events: [event('FamilyRegistered')], expected: 'no_stream' },
          { streamId: anywhere, events: [event('X')], expected: 'any' },
        ]);
        expect(results.map((result) => result.nextRevision)).toEqual([2, 0, 0]);
        expect((await store.readStream(existing)).map((e) => e.type)).toEqual([
          'CaseOpened',
          'A',
          'B',
        ]);
        expect(await store.readStream(fresh)).toHaveLength(1);
        const lastOfExisting = (await store.readStream(existing)).at(-1);
        expect(
          comparePositions(results[0]?.position ?? null, lastOfExisting?.position ?? null),
        ).toBeGreaterThanOrEqual(0);
        expect(await store.appendMany([])).toEqual([]);
      });

      it('is all or nothing: one broken expectation writes none of the streams', async () => {
        const taken = newStream('case');
        await store.append(taken, [event('CaseOpened')], 'no_stream');
        const fresh = newStream('case');
        const error = await refusal(
          store.appendMany([
            { streamId: fresh, events: [event('CaseOpened')], expected: 'no_stream' },
            { streamId: taken, events: [event('CaseOpened')], expected: 'no_stream' },
          ]),
        );
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: taken, actual: 0 });
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.readStream(taken)).toHaveLength(1);
      });

      it('a retry writes nothing and answers like the first; a partial retry is refused', async () => {
        const left = newStream('case');
        const right = newStream('case');
        const batch: StreamAppend[] = [
          { streamId: left, events: [event('A'), event('B')], expected: 'no_stream' },
          { streamId: right, events: [event('C')], expected: 'no_stream' },
        ];
        const first = await store.appendMany(batch);
        const retry = await store.appendMany(batch);
        expect(retry.map((r) => r.nextRevision)).toEqual(first.map((r) => r.nextRevision));
        expect(await store.readStream(left)).toHaveLength(2);

        // A retry beside new work: the stored append is answered, the new one written.
        const third = newStream('case');
        const mixed = await store.appendMany([
          batch[0] as StreamAppend,
          { streamId: third, events: [event('D')], expected: 'no_stream' },
        ]);
        expect(mixed.map((r) => r.nextRevision)).toEqual([1, 0]);
        expect(await store.readStream(left)).toHaveLength(2);
        expect(await store.readStream(third)).toHaveLength(1);

        const [a] = batch[0]?.events ?? [];
        if (!a) throw new Error('missing event');
        const fourth = newStream('case');
        const partial = await refusal(
          store.appendMany([
            { streamId: fourth, events: [event('E')], expected: 'no_stream' },
            { streamId: left, events: [a, event('F')], expected: 'no_stream' },
          ]),
        );
        expect(partial).toBeInstanceOf(PartialDuplicateAppendError);
        expect(await store.readStream(fourth)).toEqual([]);
        expect(await store.readStream(left)).toHaveLength(2);
      });

      it('keeps the global order: the events of one call follow each other in call order', async () => {
        const head = await store.headPosition();
        const streams = [newStream('case'), newStream('family'), newStream('case')];
        const appends = streams.map((streamId, index) => ({
          streamId,
          events: [event(`M${index}a`), event(`M${index}b`)],
          expected: 'no_stream' as const,
        }));
        await store.appendMany(appends);
        const ours = new Set(streams);
        const log = await readVisible(store, head, ours, 6);
        expect(log.map((e) => e.type)).toEqual(['M0a', 'M0b', 'M1a', 'M1b', 'M2a', 'M2b']);
        expectStrictlyIncreasing(log);
      });

      it('stores data and names with backslashes, tabs, newlines and quotes exactly', async () => {
        const awkward = 'a\\b\tc\nd\re "quoted" \\N æøå 😀';
        const streamId = `${newStream('case')}\\\t${awkward.length}`;
        const stored = event(`Awkward\\Type`, { text: awkward, nested: { list: [awkward, '\\'] } });
        await store.appendMany([
          { streamId, events: [stored], expected: 'no_stream' },
          { streamId: newStream('case'), events: [event('Plain')], expected: 'no_stream' },
        ]);
        const [read] = await store.readStream(streamId);
        expect(read).toMatchObject({ streamId, type: stored.type, data: stored.data });
      });

      it('of concurrent multi-stream appends to one new stream exactly one succeeds', async () => {
        const contested = newStream('family');
        const attempts = await Promise.allSettled(
          Array.from({ length: 6 }, () =>
            store.appendMany([
              { streamId: newStream('case'), events: [event('CaseOpened')], expected: 'no_stream' },
              { streamId: contested, events: [event('FamilyRegistered')], expected: 'no_stream' },
            ]),
          ),
        );
        expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(contested)).toHaveLength(1);
      });

      it('a multi-stream append that commits after a later append is seen in order', async () => {
        if (!harness.holdAppendManyOpen) {
          console.info(
            `${name}: the store commits appends in order; out-of-order commit not applicable`,
          );
          return;
        }
        const head = await store.headPosition();
        const early = [newStream('case'), newStream('family')];
        const late = newStream('case');
        const ours = new Set([...early, late]);
        const received = collect(store, head, ours, 3);

        const held = await harness.holdAppendManyOpen(
          early.map((streamId, index) => ({
            streamId,
            events: [event(`Early${index}`)],
            expected: 'no_stream' as const,
          })),
        );
        const [lateResult] = await store.appendMany([
          { streamId: late, events: [event('Late')], expected: 'no_stream' },
        ]);
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await store.readAll(head, 1000)).filter((e) => ours.has(e.streamId))).toEqual([]);

        const earlyResults = await held.commit();
        const seen = await received;
        expect(seen.map((e) => e.type)).toEqual(['Early0', 'Early1', 'Late']);
        expect(
          comparePositions(earlyResults.at(-1)?.position ?? null, lateResult?.position ?? null),
        ).toBe(-1);
        const log = await readVisible(store, head, ours, 3);
        expect(log.map((e) => e.type)).toEqual(['Early0', 'Early1', 'Late']);
      });
    });

    describe('reading', () => {
      it('readStream returns events in revision order with their data and metadata', async () => {
        const stream = newStream('case');
        await store.append(stream, [event('A', { n: 1 }), event('B', { n: 2 })], 'no_stream');
        await store.append(stream, [event('C', { n: 3 })], 1);
        const stored = await store.readStream(stream);
        expect(stored.map((e) => [e.revision, e.type, e.data])).toEqual([
          [0, 'A', { n: 1 }],
          [1, 'B', { n: 2 }],
          [2, 'C', { n: 3 }],
        ]);
        expect(stored[0]?.metadata).toMatchObject({ actor: 'contract-test' });
        expect(stored[0]?.streamId).toBe(stream);
        expect(stored[0]?.recordedAt).toBeInstanceOf(Date);
        expect(await store.readStream(newStream('missing'))).toEqual([]);
      });

      it('readAll returns the global log in append order across streams, paged', async () => {
        const head = await store.headPosition();
        const left = newStream('case');
        const right = newStream('family');
        const appended: string[] = [];
        for (let i = 0; i < 6; i++) {
          const stream = i % 2 === 0 ? left : right;
          const next = event(`E${i}`);
          await store.append(stream, [next], 'any');
          appended.push(next.id);
        }
        const ours = new Set([left, right]);
        const all = await readVisible(store, head, ours, appended.length);
        expect(all.map((e) => e.id)).toEqual(appended);
        expectStrictlyIncreasing(all);

        const third = all[2];
        if (!third) throw new Error('missing event');
        const page = (await store.readAll(third.position, 2)).filter((e) => ours.has(e.streamId));
        expect(page.map((e) => e.id)).toEqual(appended.slice(3, 5));
        const newHead = await store.headPosition();
        expect(
          newHead && comparePositions(newHead, all.at(-1)?.position ?? null),
        ).toBeGreaterThanOrEqual(0);
      });
    });

    it('readAllWithoutEnvelope gives what readAll gives without the envelope, paged alike', async () => {
      const head = await store.headPosition();
      const streams = [newStream('case'), newStream('family')];
      const ours = new Set(streams);
      for (let i = 0; i < 4; i++) {
        await store.append(streams[i % 2] ?? '', [event(`W${i}`)], 'any');
      }
      const whole = await readVisible(store, head, ours, 4);
      expect(whole).toHaveLength(4);
      const lean = await store.readAllWithoutEnvelope(head, 10000);
      expect(lean.filter((e) => ours.has(e.streamId)).map(withoutEnvelope)).toEqual(
        whole.map(withoutEnvelope),
      );
      const [, second] = whole;
      if (!second) throw new Error('missing event');
      const page = await store.readAllWithoutEnvelope(second.position, 2);
      expect(page.length).toBeLessThanOrEqual(2);
      // Others' appends may come between; ours come in order, from the one after `second`.
      const ourPage = page.filter((e) => ours.has(e.streamId)).map(withoutEnvelope);
      expect(ourPage).toEqual(whole.slice(2, 2 + ourPage.length).map(withoutEnvelope));
      expect(ourPage.length).toBeGreaterThan(0);
    });

    const inStreamOrder =
      'readInStreamOrder gives the streams of some prefixes up to a position, stream by stream, paged';
    const [itInStreamOrder, inStreamOrderTitle] = readsInStreamOrder
      ? [it, inStreamOrder]
      : [it.skip, `${inStreamOrder} (skipped: ${name} does not offer it)`];
    itInStreamOrder(inStreamOrderTitle, async () => {
      const read = store.readInStreamOrder?.bind(store);
      if (!read) throw new Error(`${name}: readsInStreamOrder needs readInStreamOrder`);
      // Prefixes no other test writes, with the characters LIKE would read as patterns.
      const run = randomUUID().slice(0, 8);
      const [left, right, other] = ['l%', 'r_', 'o'].map((p) => `so${run}${p}-`) as [
        string,
        string,
        string,
      ];
      const streams = [left, left, right, other].map((prefix) => `${prefix}${randomUUID()}`);
      // Up to the last of these appends (the visible head may lag behind it: other suites'
      // transactions in the same cluster hold it back), before the ones after.
      let upTo: Position | null = null;
      for (let round = 0; round < 3; round++) {
        for (const stream of streams) {
          ({ position: upTo } = await store.append(stream, [event(`R${round}`)], 'any'));
        }
      }
      if (!upTo) throw new Error('nothing appended');
      for (const stream of streams) await store.append(stream, [event('after')], 'any');

      const whole = await read({ prefixes: [right, left], upTo, after: null, limit: 100 });
      // Every stream of the prefixes once, its three events together and in order, and a
      // prefix's streams next to each other; nothing after `upTo`, nothing of another prefix.
      const order = [...new Set(whole.map((e) => e.streamId))];
      expect([...order].sort()).toEqual(streams.slice(0, 3).sort());
      expect(whole).toHaveLength(9);
      for (const [i, e] of whole.entries()) {
        expect(e.streamId).toBe(order[Math.floor(i / 3)]);
        expect([e.revision, e.type]).toEqual([i % 3, `R${i % 3}`]);
      }
      const prefixes = order.map((id) => id.slice(0, left.length));
      expect(prefixes[1] === prefixes[0] || prefixes[1] === prefixes[2]).toBe(true);
      // Each event as readStream gives it, without its envelope (metadata, time recorded).
      for (const stream of order) {
        const stored = (await store.readStream(stream)).slice(0, 3);
        expect(whole.filter((e) => e.streamId === stream)).toEqual(stored.map(withoutEnvelope));
      }

      const paged = [];
      for (let after = null as { streamId: string; revision: number } | null; ;) {
        const page = await read({ prefixes: [left, right], upTo, after, limit: 2 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        paged.push(...page);
        const last = page.at(-1);
        after = last ? { streamId: last.streamId, revision: last.revision } : null;
      }
      expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    });

    it('hasReached knows the positions appends returned from those past the log', async () => {
      const stream = newStream('case');
      const single = await store.append(stream, [event('A')], 'no_stream');
      const [many] = await store.appendMany([
        { streamId: newStream('case'), events: [event('B'), event('C')], expected: 'no_stream' },
      ]);
      if (!many) throw new Error('no append result');
      expect(await store.hasReached(single.position)).toBe(true);
      expect(await store.hasReached(many.position)).toBe(true);
      const beyond = { commit: many.position.commit + 1_000_000n, prepare: 1n };
      expect(await store.hasReached(beyond)).toBe(false);
      const largest = 10n ** 20n - 1n; // what the HTTP layer lets through
      expect(await store.hasReached({ commit: largest, prepare: largest })).toBe(false);
    });

    describe('subscription', () => {
      it('catches up, goes live and misses nothing under concurrent appends', async () => {
        const head = await store.headPosition();
        const writers = Array.from({ length: 8 }, () => newStream('case'));
        const ours = new Set(writers);
        // catch-up part: written before the subscription starts
        for (const stream of writers) await store.append(stream, [event('Before')], 'no_stream');
        const perWriter = 20;
        const total = writers.length * (perWriter + 1);
        const received = collect(store, head, ours, total);
        await Promise.all(
          writers.map(async (stream) => {
            for (let i = 0; i < perWriter; i++) await store.append(stream, [event(`Live${i}`)], i);
          }),
        );
        const seen = await received;
        expect(seen).toHaveLength(total);
        expect(new Set(seen.map((e) => e.id)).size).toBe(total);
        expectStrictlyIncreasing(seen);
        for (const stream of writers) {
          const revisions = seen.filter((e) => e.streamId === stream).map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: perWriter + 1 }, (_, i) => i));
        }
        const log = await readVisible(store, head, ours, total);
        expect(seen.map((e) => e.id)).toEqual(log.map((e) => e.id));
      });

      const outOfOrder = 'sees an earlier append that commits after a later one, in order';
      const [itOutOfOrder, title] = commitsOutOfOrder
        ? [it, outOfOrder]
        : [it.skip, `${outOfOrder} (skipped: ${name} commits appends in log order)`];
      itOutOfOrder(title, async () => {
        const { holdAppendOpen } = harness;
        if (!holdAppendOpen) throw new Error(`${name}: commitsOutOfOrder needs holdAppendOpen`);
        const head = await store.headPosition();
        const early = newStream('case');
        const late = newStream('case');
        const ours = new Set([early, late]);
        const received = collect(store, head, ours, 2);

        const held = await holdAppendOpen(early, [event('Early')]);
        const lateResult = await store.append(late, [event('Late')], 'no_stream');
        // While the early append is open, the later one must not be visible to readers yet.
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await store.readAll(head, 1000)).filter((e) => ours.has(e.streamId))).toEqual([]);

        const earlyResult = await held.commit();
        const seen = await received;
        expect(seen.map((e) => e.type)).toEqual(['Early', 'Late']);
        expect(comparePositions(earlyResult.position, lateResult.position)).toBe(-1);
        const log = await readVisible(store, head, ours, 2);
        expect(log.map((e) => e.type)).toEqual(['Early', 'Late']);
      });
    });
  });
}

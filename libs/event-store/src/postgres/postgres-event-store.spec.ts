import { randomUUID } from 'node:crypto';
import { createTestDatabase, dropTestDatabase } from '../../../../test/support/database';
import { untilStoreHeadReaches } from '../../../../test/support/fixtures';
import { describeEventStoreContract } from '../contract/event-store.contract';
import type { AppendResult, StreamAppend } from '../event-store.port';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The contract twice: with the default size at which a multi-stream append goes by COPY (the
 * contract's appends are small, so by the one statement), and with every multi-stream append by
 * COPY (the import's path).
 */
for (const [name, copyFromEvents] of [
  ['PostgreSQL', undefined],
  ['PostgreSQL, every multi-stream append by COPY', 1],
] as const) {
  describeEventStoreContract(
    name,
    async () => {
      const url = await createTestDatabase();
      const store = await PostgresEventStore.open({ connectionString: url, copyFromEvents });
      return {
        store,
        holdAppendOpen: async (streamId, events) => {
          const client = await store.connect();
          await client.query('BEGIN');
          const row = await store.appendOn(client, streamId, events, 'no_stream');
          return {
            commit: async () => {
              await client.query('COMMIT');
              client.release();
              return store.interpret(streamId, 'no_stream', row);
            },
          };
        },
        holdAppendManyOpen: async (appends) => {
          const client = await store.connect();
          await client.query('BEGIN');
          const rows = await store.appendManyOn(client, appends);
          return {
            commit: async () => {
              await client.query('COMMIT');
              client.release();
              return store.interpretMany(appends, rows);
            },
          };
        },
        dispose: async () => {
          await store.close();
          await dropTestDatabase(url);
        },
      };
    },
    { commitsOutOfOrder: true, readsInStreamOrder: true },
  );
}

describe('PostgreSQL multi-stream append by COPY answers each stream its last event position', () => {
  let url: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    url = await createTestDatabase();
    store = await PostgresEventStore.open({ connectionString: url, copyFromEvents: 1 });
  });
  afterAll(async () => {
    await store.close();
    await dropTestDatabase(url);
  });

  function newStreams(sizes: readonly number[]): StreamAppend[] {
    return sizes.map((size) => ({
      streamId: `case-${randomUUID()}`,
      events: Array.from({ length: size }, (_, index) => ({
        id: randomUUID(),
        type: `Step${index}`,
        data: { index },
      })),
      expected: 'no_stream',
    }));
  }

  async function expectLastPositions(
    appends: readonly StreamAppend[],
    results: readonly AppendResult[],
  ): Promise<void> {
    for (const [index, append] of appends.entries()) {
      const last = (await store.readStream(append.streamId)).at(-1);
      expect(results[index]?.position).toEqual(last?.position);
    }
  }

  it('counted from the positions the COPY took', async () => {
    const appends = newStreams([3, 1, 2]);
    await expectLastPositions(appends, await store.appendMany(appends));
  });

  it('read back when its transaction wrote other events first', async () => {
    const client = await store.connect();
    try {
      await client.query('BEGIN');
      const before = { id: randomUUID(), type: 'Before', data: {} };
      await store.appendOn(client, `case-${randomUUID()}`, [before], 'no_stream');
      const appends = newStreams([2, 2]);
      const rows = await store.appendManyOn(client, appends);
      await client.query('COMMIT');
      await expectLastPositions(appends, store.interpretMany(appends, rows));
    } finally {
      client.release();
    }
  });
});

describe('PostgreSQL subscription', () => {
  let url: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    url = await createTestDatabase();
    // A poll a minute away: only this process's appends can wake the subscription in time.
    store = await PostgresEventStore.open({ connectionString: url, pollIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await store.close();
    await dropTestDatabase(url);
  });

  const step = (type: string) => [{ id: randomUUID(), type, data: {} }];

  // Readers see an append once every older transaction in the shared test cluster has ended: the
  // test waits for that, so only the wake-up is left to time.
  it('reads at once an append made while its subscriber handled a batch', async () => {
    const first = await store.append(`case-${randomUUID()}`, step('First'), 'no_stream');
    await untilStoreHeadReaches(store, first.position);
    const stop = new AbortController();
    const batches = store.subscribe(null, { batchSize: 100, signal: stop.signal });
    const iterator = batches[Symbol.asyncIterator]();
    const nextTypes = async (): Promise<string[]> => {
      const next = await iterator.next();
      return next.done ? [] : next.value.map((event) => event.type);
    };
    try {
      expect(await nextTypes()).toEqual(['First']);
      // The subscriber is "handling" the batch: nobody waits for an append when this one lands.
      const { position } = await store.append(
        `case-${randomUUID()}`,
        step('WhileHandling'),
        'no_stream',
      );
      await untilStoreHeadReaches(store, position);
      const started = Date.now();
      expect(await nextTypes()).toEqual(['WhileHandling']);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      stop.abort();
      await iterator.return?.(undefined);
    }
  });
});

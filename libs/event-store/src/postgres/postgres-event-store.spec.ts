import { createTestDatabase, dropTestDatabase } from '../../../../test/support/database';
import { describeEventStoreContract } from '../contract/event-store.contract';
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
    { commitsOutOfOrder: true },
  );
}

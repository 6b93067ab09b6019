import { createTestDatabase, dropTestDatabase } from '../../../../test/support/database';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL', async () => {
  const url = await createTestDatabase();
  const store = await PostgresEventStore.open({ connectionString: url });
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
});

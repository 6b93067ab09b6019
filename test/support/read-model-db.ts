import { PostgresEventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { readModelDataSourceOptions } from '../../apps/api/src/read-models';
import { createTestDatabase, dropTestDatabase } from './database';

export interface ReadModelFixture {
  readonly url: string;
  readonly store: PostgresEventStore;
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

/** A fresh database with the event store and the migrated read models, without the HTTP app. */
export async function openReadModelFixture(): Promise<ReadModelFixture> {
  const url = await createTestDatabase();
  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await new DataSource(readModelDataSourceOptions(url)).initialize();
  return {
    url,
    store,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await store.close();
      await dropTestDatabase(url);
    },
  };
}

import type { EventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { readModelDataSourceOptions } from '../read-models';
import { startEmbeddedPostgres } from './embedded-postgres';
import { openEventStore } from './event-store.module';

export interface CommandLineStores {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  readonly close: () => Promise<void>;
}

/**
 * The read models and the event store as the API configures them, for the command-line tools
 * (rebuild, import): the embedded PostgreSQL is started when no database is configured.
 */
export async function openCommandLineStores(config: AppConfig): Promise<CommandLineStores> {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres(config.embeddedPostgres, console.log);
  const databaseUrl = config.databaseUrl ?? embedded?.url ?? '';
  const dataSource = await new DataSource(readModelDataSourceOptions(databaseUrl)).initialize();
  const store = await openEventStore({ ...config, databaseUrl });
  return {
    dataSource,
    store,
    close: async () => {
      await store.close();
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

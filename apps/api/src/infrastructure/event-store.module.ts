import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, PostgresEventStore, type EventStore } from '@tovholder/event-store';
import { KurrentDbEventStore } from '@tovholder/event-store/kurrentdb/kurrentdb-event-store';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** KURRENTDB_URL selects KurrentDB; otherwise the events live in PostgreSQL beside the read models. */
export async function openEventStore(config: AppConfig): Promise<EventStore> {
  if (config.kurrentDbUrl) return KurrentDbEventStore.connect(config.kurrentDbUrl);
  if (!config.databaseUrl)
    throw new Error('DATABASE_URL is not set and no embedded database was started');
  return PostgresEventStore.open({ connectionString: config.databaseUrl });
}

@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const store = await openEventStore(config);
        new Logger('EventStore').log(
          config.kurrentDbUrl ? 'events go to KurrentDB' : 'events go to PostgreSQL',
        );
        return store;
      },
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

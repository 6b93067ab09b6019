export * from './batches';
export * from './event-store.port';
export * from './position';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';

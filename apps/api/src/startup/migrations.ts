import { DataSource } from 'typeorm';
import { readModelDataSourceOptions } from '../read-models';

/** Advisory-lock key of the read-model migrations (class 7347: start-up; projectors use 7346). */
const MIGRATIONS_LOCK = [7347, 1] as const;

/**
 * Applies pending read-model migrations while holding a PostgreSQL advisory lock, so instances
 * starting together migrate one after the other: the first applies them, the rest find nothing
 * pending. Runs before the app's own DataSource, whose migration run then has nothing to do.
 */
export async function migrateUnderLock(
  databaseUrl: string,
  log: (message: string) => void,
): Promise<void> {
  const dataSource = await new DataSource({
    ...readModelDataSourceOptions(databaseUrl),
    migrationsRun: false,
    extra: { max: 2, application_name: 'tovholder-migrations' },
  }).initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATIONS_LOCK]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (applied.length > 0) log(`applied ${applied.length} read-model migration(s)`);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATIONS_LOCK]);
    }
  } finally {
    await lock.release();
    await dataSource.destroy();
  }
}

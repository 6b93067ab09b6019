import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg pool under TypeORM's PostgreSQL driver (TypeORM types it loosely), for the few places
 * that go below TypeORM: prepared statements on hot paths, and the pool's gauges.
 */
export function readModelPool(dataSource: DataSource): Pool | null {
  const { master } = dataSource.driver as { master?: Pool };
  return master ?? null;
}

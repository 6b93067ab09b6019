import type { QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import { readModelPool } from '../infrastructure/read-model-pool';

/**
 * A named prepared statement on the read-model pool, for the queries every scoped request runs:
 * PostgreSQL parses and plans them once per connection instead of each time (about half of
 * their cost here), and TypeORM's per-query overhead is skipped.
 */
export async function preparedQuery<Row extends QueryResultRow>(
  dataSource: DataSource,
  name: string,
  text: string,
  values: unknown[],
): Promise<Row[]> {
  const pool = readModelPool(dataSource);
  if (pool === null) {
    // Not initialised yet (or another driver): TypeORM's own path answers the same.
    return dataSource.query<Row[]>(text, values);
  }
  const result = await pool.query<Row>({ name, text, values });
  return result.rows;
}

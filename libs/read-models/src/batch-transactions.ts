import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { quoteIdent } from './projection-runner';

/*
 * A catch-up's batches are loaded and written while the next batch is folded, and each round
 * trip to PostgreSQL waits its turn in the event loop behind that fold: on the critical path a
 * round trip costs more than its time in PostgreSQL. So a batch's transactions make as few as
 * they can. A query without parameters goes as PostgreSQL's simple query, which may hold several
 * statements: the begin and the search path go as one.
 */

/** Begins a transaction on `runner`, with `schema` (a rebuild's shadow) searched before `public`. */
export async function beginIn(runner: QueryRunner, schema: string | undefined): Promise<void> {
  await runner.query(
    schema ? `BEGIN; SET LOCAL search_path TO ${quoteIdent(schema)}, public` : 'BEGIN',
  );
}

/**
 * Runs reads with `schema` searched first: in a transaction of its own when there is one (the
 * search path is set per transaction, as the pool's connections are shared), else without one.
 */
export async function readInSchema<T>(
  dataSource: DataSource,
  schema: string | undefined,
  read: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (!schema) return read(dataSource.manager);
  const runner = dataSource.createQueryRunner();
  try {
    await beginIn(runner, schema);
    const result = await read(runner.manager);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

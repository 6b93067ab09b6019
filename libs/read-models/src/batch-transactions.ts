import type { DataSource, EntityManager } from 'typeorm';
import { quoteIdent } from './sql-text';

/*
 * A catch-up's batches are loaded and written while the next batch is folded, and each round
 * trip to PostgreSQL waits its turn in the event loop behind that fold: on the critical path a
 * round trip costs more than its time in PostgreSQL. So a batch's transactions make as few as
 * they can. A query without parameters goes as PostgreSQL's simple query, which may hold several
 * statements: the begin and the search path go as one, and so may the last statements and the
 * commit.
 */

/**
 * Runs `work` in a transaction with `schema` (a rebuild's shadow) searched before `public`: the
 * begin and the search path in one round trip, then `work`, then `finish` (statements without
 * parameters, e.g. a checkpoint's move) with the commit in one. Rolls back on any error.
 */
export async function inSchemaTransaction<T>(
  dataSource: DataSource,
  schema: string | undefined,
  work: (manager: EntityManager) => Promise<T>,
  finish = '',
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(
      schema ? `BEGIN; SET LOCAL search_path TO ${quoteIdent(schema)}, public` : 'BEGIN',
    );
    const result = await work(runner.manager);
    await runner.query(finish ? `${finish}; COMMIT` : 'COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Runs reads with `schema` searched first: in a transaction of its own when there is one (the
 * search path is set per transaction, as the pool's connections are shared), else without one.
 */
export function readInSchema<T>(
  dataSource: DataSource,
  schema: string | undefined,
  read: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return schema ? inSchemaTransaction(dataSource, schema, read) : read(dataSource.manager);
}

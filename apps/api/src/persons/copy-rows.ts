import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import type { CopyRows } from '@tovholder/event-store/postgres/copy-rows';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/**
 * Rows known to be new, written by COPY in one transaction (`copies`, each a `COPY … FROM STDIN`
 * and its rows): COPY skips the executor and the array literals an
 * `INSERT … SELECT unnest(…)` parses, and writes the heap a page at a time. A row that exists
 * already (a rerun, a resumed import, a registration meanwhile) fails the whole transaction:
 * then nothing was written and the answer is false, and the caller writes them the careful way.
 */
export async function copyNewRows(
  dataSource: DataSource,
  copies: readonly { readonly sql: string; readonly rows: CopyRows }[],
): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as PoolClient;
  try {
    await client.query('BEGIN');
    try {
      for (const { sql, rows } of copies) {
        await pipeline(Readable.from([rows.bytes()]), client.query(copyFrom(sql)));
      }
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  } finally {
    await runner.release();
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error
    ? error.code === UNIQUE_VIOLATION
    : false;
}

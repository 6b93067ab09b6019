import { quoteIdent, type ColumnTypes, type UpsertOptions } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';

/*
 * Many rows written in one statement with each column sent as one typed array, taken apart by
 * `unnest`: for rows of plain values PostgreSQL reads arrays faster than the same rows as a JSON
 * recordset (the casework tables' rows take about half the time). A column holding a document
 * or an array keeps to `upsertRows` (JSON), which unnest would flatten.
 */

/** A value a column array holds. */
export type ColumnValue = string | number | boolean | Date | null | undefined;

/** Inserts or updates `rows` (each key at most once), their values plain, in one statement. */
export async function upsertColumnArrays(
  manager: EntityManager,
  table: string,
  columns: ColumnTypes,
  rows: readonly object[],
  options: Pick<UpsertOptions, 'key' | 'update'>,
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const arrays = names.map((name) =>
    arrayLiteral(rows.map((row) => (row as Record<string, ColumnValue>)[name])),
  );
  const update = options.update ?? [];
  await manager.query(
    `INSERT INTO ${quoteIdent(table)} (${names.map(quoteIdent).join(', ')})
     SELECT * FROM unnest(${names.map((name, i) => `$${i + 1}::${columns[name]}[]`).join(', ')})
     ON CONFLICT (${options.key.map(quoteIdent).join(', ')}) ${
       update.length === 0
         ? 'DO NOTHING'
         : `DO UPDATE SET ${update.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}`
     }`,
    arrays,
  );
}

/**
 * An array's text form, written here rather than by the driver (which escapes every element
 * twice over): ids, instants and codes need no escaping, so most elements are copied as they are.
 */
export function arrayLiteral(values: readonly ColumnValue[]): string {
  const elements = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    const text = value instanceof Date ? value.toISOString() : String(value);
    return text.includes('"') || text.includes('\\')
      ? `"${text.replace(/["\\]/g, '\\$&')}"`
      : `"${text}"`;
  });
  return `{${elements.join(',')}}`;
}

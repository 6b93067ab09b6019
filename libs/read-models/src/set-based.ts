import type { EntityManager } from 'typeorm';
import type { ArrayWrite } from './array-rows';
import { quoteIdent } from './sql-text';

/*
 * Building blocks of set-based projectors: a batch's rows go to and from PostgreSQL as one JSON
 * parameter (json_to_recordset), so each table is read and written once per batch whatever the
 * number of rows. JSON carries arrays and nested documents (unnest would flatten arrays). It is
 * read as `json`, not `jsonb`: taken apart once, row by row, it need not be built as a jsonb
 * document first (a third less time for a batch's rows).
 */

/** Column name → PostgreSQL type, in the order the columns are written. */
export type ColumnTypes = Readonly<Record<string, string>>;

function recordset(columns: ColumnTypes): string {
  const definitions = Object.entries(columns)
    .map(([name, type]) => `${quoteIdent(name)} ${type}`)
    .join(', ');
  return `json_to_recordset($1::json) AS x(${definitions})`;
}

export interface UpsertOptions {
  /** The unique key the rows conflict on. */
  readonly key: readonly string[];
  /** Columns an existing row takes from the new one; none: an existing row stays as it is. */
  readonly update?: readonly string[];
  /** Further columns with values computed in SQL over the recordset `x` (column → expression). */
  readonly computed?: Readonly<Record<string, string>>;
}

/** Inserts or updates many rows in one statement; each key at most once in `rows`. */
export async function upsertRows(
  manager: EntityManager,
  table: string,
  columns: ColumnTypes,
  rows: readonly object[],
  options: UpsertOptions,
): Promise<void> {
  const write = upsertRowsWrite(table, columns, rows, options);
  if (write) await manager.query(write.sql, [...write.parameters]);
}

/** `upsertRows` as a write of one statement's (`Projector.batchWrites`); null when no rows. */
export function upsertRowsWrite(
  table: string,
  columns: ColumnTypes,
  rows: readonly object[],
  options: UpsertOptions,
): ArrayWrite | null {
  if (rows.length === 0) return null;
  return {
    sql: upsertStatement(table, columns, recordset(columns), options),
    parameters: [JSON.stringify(rows)],
  };
}

/**
 * The upsert of the rows of `from` (a set `x` with `columns`); with no `key`, a plain insert.
 */
export function upsertStatement(
  table: string,
  columns: ColumnTypes,
  from: string,
  options: UpsertOptions,
): string {
  const computed = Object.entries(options.computed ?? {});
  const names = [...Object.keys(columns), ...computed.map(([c]) => c)].map(quoteIdent).join(', ');
  const select = [
    ...Object.keys(columns).map((c) => `x.${quoteIdent(c)}`),
    ...computed.map(([, expression]) => expression),
  ].join(', ');
  const update = options.update ?? [];
  const onConflict =
    update.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${update.map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`).join(', ')}`;
  const conflict =
    options.key.length === 0
      ? ''
      : `ON CONFLICT (${options.key.map(quoteIdent).join(', ')}) ${onConflict}`;
  return `INSERT INTO ${quoteIdent(table)} (${names}) SELECT ${select} FROM ${from} ${conflict}`;
}

/** Deletes the rows whose key columns match one of `keys`, in one statement. */
export async function deleteRows(
  manager: EntityManager,
  table: string,
  keyColumns: ColumnTypes,
  keys: readonly object[],
): Promise<void> {
  if (keys.length === 0) return;
  const match = Object.keys(keyColumns)
    .map((c) => `t.${quoteIdent(c)} = x.${quoteIdent(c)}`)
    .join(' AND ');
  await manager.query(
    `DELETE FROM ${quoteIdent(table)} t USING ${recordset(keyColumns)} WHERE ${match}`,
    [JSON.stringify(keys)],
  );
}

/** Groups items by a key, keeping each group in the items' order (Marten's "event slicing"). */
export function sliceBy<T>(
  items: readonly T[],
  keyOf: (item: T) => string | null,
): Map<string, T[]> {
  const slices = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const slice = slices.get(key);
    if (slice) slice.push(item);
    else slices.set(key, [item]);
  }
  return slices;
}

import type { EntityManager } from 'typeorm';
import { quoteIdent } from './sql-text';
import { upsertStatement, type ColumnTypes, type UpsertOptions } from './set-based';

/*
 * The same writes as `upsertRows` and `deleteRows`, with the rows sent as one array per column
 * and taken apart by `unnest`: PostgreSQL reads an array of uuids or timestamps many times
 * faster than the same values as JSON objects (json_to_recordset costs tens of µs a row: for a
 * projector writing thousands of rows a batch, most of the statement). Only for scalar columns:
 * unnest would flatten array columns, and documents stay with the JSON form.
 */

type Scalar = string | number | boolean | Date | null | undefined;

/** Characters that make an array element need quotes (and the empty string, and "NULL"). */
const NEEDS_QUOTES = /[{}",\\\s]/;

/**
 * A PostgreSQL array literal of scalars (NULL for null), built once instead of by the driver.
 * Joined once, not added to piece by piece: a string built by `+=` is a tree of thousands of
 * pieces, which the driver's Buffer.byteLength then flattened, a copy dearer than the join
 * (about a twentieth of a casework rebuild's main thread, in a CPU profile).
 */
export function arrayLiteral(values: readonly Scalar[]): string {
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) elements[i] = 'NULL';
    else if (value instanceof Date) elements[i] = value.toISOString();
    else if (typeof value === 'boolean') elements[i] = value ? 't' : 'f';
    else if (typeof value === 'number') elements[i] = String(value);
    else if (
      value === '' ||
      NEEDS_QUOTES.test(value) ||
      (value.length === 4 && value.toUpperCase() === 'NULL')
    ) {
      elements[i] = `"${value.replace(/[\\"]/g, '\\$&')}"`;
    } else elements[i] = value; // uuids, timestamps, codes: as they are
  }
  return `{${elements.join(',')}}`;
}

/** One write of rows from column arrays: SQL numbering its parameters from $1, and them. */
export interface ArrayWrite {
  readonly sql: string;
  readonly parameters: readonly string[];
}

/** `unnest($1::type[], $2::type[] …) AS x(columns)` and its parameters, one array a column. */
function unnestRows(
  columns: ColumnTypes,
  rows: readonly object[],
): { from: string; parameters: string[] } {
  const names = Object.keys(columns);
  const parameters = names.map((name) =>
    arrayLiteral(rows.map((row) => (row as Record<string, Scalar>)[name])),
  );
  const arrays = names.map((name, i) => `$${i + 1}::${columns[name]}[]`).join(', ');
  return { from: `unnest(${arrays}) AS x(${names.map(quoteIdent).join(', ')})`, parameters };
}

/**
 * `upsertRows` from column arrays: scalar columns only; null when there are no rows. No `key`
 * (an empty one): a plain insert, for rows the caller knows are not there (it loaded their keys
 * in the same transaction).
 */
export function upsertArrays(
  table: string,
  columns: ColumnTypes,
  rows: readonly object[],
  options: UpsertOptions,
): ArrayWrite | null {
  if (rows.length === 0) return null;
  const { from, parameters } = unnestRows(columns, rows);
  return { sql: upsertStatement(table, columns, from, options), parameters };
}

/**
 * Sets the columns other than `key` of rows known to be there: a plain update, no insert tried
 * first; null when there are no rows. Each key at most once in `rows`.
 */
export function updateArrays(
  table: string,
  columns: ColumnTypes,
  rows: readonly object[],
  key: readonly string[],
): ArrayWrite | null {
  if (rows.length === 0) return null;
  const set = Object.keys(columns)
    .filter((c) => !key.includes(c))
    .map((c) => `${quoteIdent(c)} = x.${quoteIdent(c)}`)
    .join(', ');
  const match = key.map((c) => `t.${quoteIdent(c)} = x.${quoteIdent(c)}`).join(' AND ');
  const { from, parameters } = unnestRows(columns, rows);
  return {
    sql: `UPDATE ${quoteIdent(table)} t SET ${set} FROM ${from} WHERE ${match}`,
    parameters,
  };
}

/** `deleteRows` from column arrays; null when there are no keys. */
export function deleteArrays(
  table: string,
  keyColumns: ColumnTypes,
  keys: readonly object[],
): ArrayWrite | null {
  if (keys.length === 0) return null;
  const match = Object.keys(keyColumns)
    .map((c) => `t.${quoteIdent(c)} = x.${quoteIdent(c)}`)
    .join(' AND ');
  const { from, parameters } = unnestRows(keyColumns, keys);
  return { sql: `DELETE FROM ${quoteIdent(table)} t USING ${from} WHERE ${match}`, parameters };
}

/**
 * Runs the writes as one statement (each a data-modifying WITH query): one round trip for all
 * of a batch's tables. They see the same snapshot, so no two of them may touch the same row.
 */
export async function runArrayWrites(
  manager: EntityManager,
  writes: readonly (ArrayWrite | null)[],
): Promise<void> {
  const present = writes.filter((write): write is ArrayWrite => write !== null);
  const [only] = present;
  if (present.length <= 1) {
    if (only) await manager.query(only.sql, [...only.parameters]);
    return;
  }
  const { sql, parameters } = WithQueries.of(present).statement('SELECT 1');
  await manager.query(sql, parameters);
}

/**
 * A statement's WITH queries, added one by one under their names, each numbering its
 * parameters from `$1` (every reference written `$n::type`): one round trip for writes that
 * would otherwise each wait their turn. They see the same snapshot, so no two may touch the
 * same row, and a later one reads the rows as they stood before the statement.
 */
export class WithQueries {
  readonly queries: string[] = [];
  readonly parameters: string[] = [];

  /** The writes present as the WITH queries `w0`, `w1`…. */
  static of(writes: readonly (ArrayWrite | null)[]): WithQueries {
    const statement = new WithQueries();
    writes
      .filter((write): write is ArrayWrite => write !== null)
      .forEach((write, i) => statement.add(`w${i}`, write));
    return statement;
  }

  add(name: string, write: ArrayWrite): void {
    const offset = this.parameters.length;
    this.parameters.push(...write.parameters);
    const sql = write.sql.replace(/\$(\d+)::/g, (_, n: string) => `$${Number(n) + offset}::`);
    this.queries.push(`${name} AS (${sql})`);
  }

  get empty(): boolean {
    return this.queries.length === 0;
  }

  /** The statement: the WITH queries, then `select` (which may read them). */
  statement(select: string): ArrayWrite {
    return { sql: `WITH ${this.queries.join(',\n')}\n${select}`, parameters: this.parameters };
  }
}

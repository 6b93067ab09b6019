import { Client } from 'pg';

/** Every table of every schema (the events too), each row as text: what a full dump holds. */
export async function databaseDump(
  url: string,
  only?: (schema: string, table: string) => boolean,
): Promise<Map<string, string[]>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; table: string }>(
      `SELECT table_schema AS schema, table_name AS table FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const dump = new Map<string, string[]>();
    for (const { schema, table } of tables.rows) {
      if (only && !only(schema, table)) continue;
      const name = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
      dump.set(
        `${schema}.${table}`,
        rows.rows.map((row) => row.row.toLowerCase()),
      );
    }
    return dump;
  } finally {
    await client.end();
  }
}

/** The spellings a value can have in a dump: as text (any case), and hex-encoded in a bytea. */
export function spellings(values: readonly string[]): string[] {
  return values.flatMap((value) => [value.toLowerCase(), Buffer.from(value).toString('hex')]);
}

/** The tables whose rows contain any of the values. */
export function tablesHolding(dump: Map<string, string[]>, values: readonly string[]): string[] {
  const needles = spellings(values);
  return [...dump]
    .filter(([, rows]) => rows.some((row) => needles.some((needle) => row.includes(needle))))
    .map(([table]) => table)
    .sort();
}

/** A name (table, column, schema) as SQL text, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A value written out in SQL text as a quoted literal (or NULL). */
export function quoteLiteral(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`;
}

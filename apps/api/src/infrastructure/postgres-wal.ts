import type { DataSource } from 'typeorm';

/**
 * PostgreSQL's WAL and checkpoint counters, cumulative since the server's last statistics reset.
 * They tell an operator whether the server checkpoints because its WAL filled `max_wal_size`
 * rather than on its timer: after each checkpoint the first change to a page writes the whole
 * page to the WAL again, and at the default 1 GB that made a national rebuild a third slower.
 */
export interface WalCounters {
  readonly walBytes: number;
  /** Whole pages written to the WAL (pg_stat_wal counts them, not their bytes). */
  readonly fullPageImages: number;
  /** Checkpoints on the timer (`checkpoint_timeout`). */
  readonly checkpointsTimed: number;
  /** Checkpoints asked for: by WAL volume past `max_wal_size`, or by a CHECKPOINT command. */
  readonly checkpointsRequested: number;
  readonly maxWalSizeBytes: number;
  readonly blockSizeBytes: number;
}

/** pg_stat_checkpointer is PostgreSQL 17's; older servers keep these counts elsewhere. */
const CHECKPOINTER_FROM = 170_000;

/**
 * The counters as they stand, or null where the server does not give them: before PostgreSQL 17
 * (the embedded server is 18, the compose file's 17), or a server that hides the views. Nothing
 * fails for their want: they feed a metric and a hint. Counts come as text: they are int8.
 */
export async function readWalCounters(dataSource: DataSource): Promise<WalCounters | null> {
  try {
    const [version] = await dataSource.query<{ n: number }[]>(
      "SELECT current_setting('server_version_num')::int AS n",
    );
    if (!version || version.n < CHECKPOINTER_FROM) return null;
    const [row] = await dataSource.query<Record<keyof WalCounters, string>[]>(
      `SELECT w.wal_bytes::text AS "walBytes", w.wal_fpi::text AS "fullPageImages",
              c.num_timed::text AS "checkpointsTimed", c.num_requested::text AS "checkpointsRequested",
              pg_size_bytes(current_setting('max_wal_size'))::text AS "maxWalSizeBytes",
              current_setting('block_size') AS "blockSizeBytes"
         FROM pg_stat_wal w, pg_stat_checkpointer c`,
    );
    if (!row) return null;
    return {
      walBytes: Number(row.walBytes),
      fullPageImages: Number(row.fullPageImages),
      checkpointsTimed: Number(row.checkpointsTimed),
      checkpointsRequested: Number(row.checkpointsRequested),
      maxWalSizeBytes: Number(row.maxWalSizeBytes),
      blockSizeBytes: Number(row.blockSizeBytes),
    };
  } catch {
    return null;
  }
}

/**
 * From how many checkpoints asked for during one rebuild or import the operator is told: one can
 * be a CHECKPOINT someone ran, and at 8 GB the national rebuild made one.
 */
const CHECKPOINTS_WORTH_TELLING = 3;

/**
 * What to tell the operator after a rebuild or import during which the server checkpointed for
 * WAL volume (the counts are the whole server's, so other work counts too); null when it did
 * not, or the counters are not known.
 */
export function checkpointHint(
  before: WalCounters | null,
  after: WalCounters | null,
): string | null {
  if (!before || !after) return null;
  const requested = after.checkpointsRequested - before.checkpointsRequested;
  if (requested < CHECKPOINTS_WORTH_TELLING) return null;
  const walMegabytes = Math.round((after.walBytes - before.walBytes) / 2 ** 20);
  const maxMegabytes = Math.round(after.maxWalSizeBytes / 2 ** 20);
  return (
    `PostgreSQL checkpointed ${requested} times for WAL volume meanwhile (${walMegabytes} MB ` +
    `of WAL, max_wal_size ${maxMegabytes} MB): a larger max_wal_size makes this faster ` +
    `(the embedded server's is 8,192 MB unless EMBEDDED_PG_MAX_WAL_SIZE_MB says otherwise)`
  );
}

/**
 * Reads the counters now; the function it gives reads them again and says what `checkpointHint`
 * says of the time between (a rebuild's).
 */
export async function watchCheckpoints(
  dataSource: DataSource,
): Promise<() => Promise<string | null>> {
  const before = await readWalCounters(dataSource);
  return async () => checkpointHint(before, await readWalCounters(dataSource));
}

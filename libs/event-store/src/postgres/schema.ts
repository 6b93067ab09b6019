/**
 * The PostgreSQL event store's schema. Applied at start-up under an advisory lock; every
 * statement is idempotent so several instances can start at once.
 *
 * Global order is (transaction_id, position), read only below the oldest running transaction
 * (pg_snapshot_xmin). A position is assigned at insert but visible at commit, so ordering by
 * position alone would let a reader pass 12 while 11 is still uncommitted and skip 11 for ever;
 * every transaction that commits later has a transaction id at or above the horizon, so
 * nothing can appear behind a reader. This is the approach of Marten, Emmett and Message DB.
 */
/** The events table, by schema name: the benchmark builds its raw baseline with the same shape. */
export function eventsTableSql(schema: string): string {
  return /* sql */ `
CREATE TABLE IF NOT EXISTS ${schema}.events (
  position bigint GENERATED ALWAYS AS IDENTITY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_global_order PRIMARY KEY (transaction_id, position),
  CONSTRAINT events_stream_revision UNIQUE (stream_id, revision),
  CONSTRAINT events_stream_event_id UNIQUE (stream_id, event_id)
);
`;
}

export const EVENT_STORE_SCHEMA_SQL = /* sql */ `
CREATE SCHEMA IF NOT EXISTS event_store;

${eventsTableSql('event_store')}

CREATE OR REPLACE FUNCTION event_store.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'event_store.events is append-only';
END
$fn$;

CREATE OR REPLACE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON event_store.events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change();

-- Appends are one statement of the adapter (APPEND_ONE_SQL / APPEND_MANY_SQL below).
`;

/**
 * One statement per append, sent as a named prepared statement: read the stream's last revision,
 * check the expectation, insert. Two concurrent appenders of one stream both pass the check and
 * the unique (stream_id, revision) refuses the second; a retried event id hits the unique
 * (stream_id, event_id). Why an append was refused is worked out only when it was (the adapter).
 * `rows` is a set of events given either as arrays (many) or as one row (the common case, which
 * spares building and parsing array literals of JSON).
 */
function appendSql(rows: string, count: string): string {
  return /* sql */ `
WITH last AS (
  SELECT (SELECT e.revision FROM event_store.events e WHERE e.stream_id = $1
           ORDER BY e.revision DESC LIMIT 1) AS revision
), checked AS (
  SELECT revision,
         CASE $2::text
           WHEN 'any' THEN true
           WHEN 'no_stream' THEN revision IS NULL
           WHEN 'stream_exists' THEN revision IS NOT NULL
           ELSE revision IS NOT DISTINCT FROM $3::bigint
         END AS as_expected
    FROM last
), inserted AS (
  INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata)
  SELECT $1, coalesce(c.revision, -1) + t.ord, t.id, t.type, t.data, t.metadata
    FROM checked c, ${rows} AS t(id, type, data, metadata, ord)
   WHERE c.as_expected
   ORDER BY t.ord
  RETURNING position
)
SELECT CASE WHEN c.as_expected THEN 'ok' ELSE 'refused' END AS outcome,
       CASE WHEN c.as_expected THEN coalesce(c.revision, -1) + ${count} ELSE c.revision END AS next_revision,
       CASE WHEN c.as_expected THEN pg_current_xact_id() END AS commit_position,
       (SELECT max(position) FROM inserted) AS prepare_position
  FROM checked c`;
}

export const APPEND_MANY_SQL = appendSql(
  'unnest($4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[]) WITH ORDINALITY',
  'cardinality($4::uuid[])',
);

export const APPEND_ONE_SQL = appendSql(
  '(VALUES ($4::uuid, $5::text, $6::jsonb, $7::jsonb, 1))',
  '1',
);

/**
 * The streams of a multi-stream append ($1 ids, $2 expectation modes, $3 exact revisions) and,
 * per stream, its last revision, how many of its event ids (`wanted`, defined before this) are
 * stored, and the outcome: `stored` (every event id is there already: a clean retry), `partial`
 * (some are), `ok` (expectation met) or `refused`.
 */
const STREAM_OUTCOMES = /* sql */ `
request AS (
  SELECT r.idx::int AS idx, r.stream_id, r.mode, r.expected
    FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS r(stream_id, mode, expected, idx)
), stream AS (
  SELECT r.idx, r.stream_id, r.mode, r.expected, last.revision, coalesce(w.wanted, 0) AS wanted,
         coalesce(s.stored, 0) AS stored, s.stored_revision, s.stored_commit, s.stored_prepare
    FROM request r
    LEFT JOIN wanted w ON w.idx = r.idx
    LEFT JOIN LATERAL (
      SELECT e.revision FROM event_store.events e WHERE e.stream_id = r.stream_id
       ORDER BY e.revision DESC LIMIT 1
    ) last ON true
    LEFT JOIN LATERAL (
      SELECT count(*) OVER () AS stored, e.revision AS stored_revision,
             e.transaction_id AS stored_commit, e.position AS stored_prepare
        FROM event_store.events e
       WHERE last.revision IS NOT NULL AND e.stream_id = r.stream_id AND e.event_id = ANY (w.ids)
       ORDER BY e.revision DESC LIMIT 1
    ) s ON true
), checked AS (
  SELECT s.*,
         CASE
           WHEN s.stored = s.wanted THEN 'stored'
           WHEN s.stored > 0 THEN 'partial'
           WHEN CASE s.mode
                  WHEN 'any' THEN true
                  WHEN 'no_stream' THEN s.revision IS NULL
                  WHEN 'stream_exists' THEN s.revision IS NOT NULL
                  ELSE s.revision IS NOT DISTINCT FROM s.expected
                END THEN 'ok'
           ELSE 'refused'
         END AS outcome
    FROM stream s
)`;

/** Per stream of `checked`: the revision after the append (or the one found), as it ends. */
const NEXT_REVISION = /* sql */ `
       CASE c.outcome
         WHEN 'ok' THEN coalesce(c.revision, -1) + c.wanted
         WHEN 'stored' THEN c.stored_revision
         ELSE c.revision
       END AS next_revision,
       CASE c.outcome WHEN 'ok' THEN pg_current_xact_id() WHEN 'stored' THEN c.stored_commit END
         AS commit_position`;

/**
 * A multi-stream append (`appendMany`) as one statement: the streams as in STREAM_OUTCOMES, the
 * events as arrays ($4 index of their stream in $1, 1-based, then id, type, data, metadata).
 * Anything but `ok` and `stored` anywhere inserts nothing at all. Concurrent appenders of one
 * stream still meet the unique constraints, and the adapter runs the statement again.
 */
export const APPEND_STREAMS_SQL = /* sql */ `
WITH incoming AS (
  SELECT t.idx, t.id, t.type, t.data, t.metadata, t.ord
    FROM unnest($4::int[], $5::uuid[], $6::text[], $7::jsonb[], $8::jsonb[])
         WITH ORDINALITY AS t(idx, id, type, data, metadata, ord)
), wanted AS (
  SELECT t.idx, count(*) AS wanted, array_agg(t.id) AS ids FROM incoming t GROUP BY t.idx
), ${STREAM_OUTCOMES}, inserted AS (
  INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata)
  SELECT c.stream_id, coalesce(c.revision, -1) + row_number() OVER (PARTITION BY t.idx ORDER BY t.ord),
         t.id, t.type, t.data, t.metadata
    FROM incoming t JOIN checked c ON c.idx = t.idx
   WHERE c.outcome = 'ok'
     AND NOT EXISTS (SELECT 1 FROM checked x WHERE x.outcome IN ('refused', 'partial'))
   ORDER BY t.ord
  RETURNING stream_id, position
), newest AS (
  SELECT i.stream_id, max(i.position) AS position FROM inserted i GROUP BY i.stream_id
)
SELECT c.idx, c.outcome, ${NEXT_REVISION},
       CASE c.outcome
         WHEN 'ok' THEN n.position
         WHEN 'stored' THEN c.stored_prepare
       END AS prepare_position
  FROM checked c LEFT JOIN newest n ON n.stream_id = c.stream_id
 ORDER BY c.idx`;

/**
 * The check of a large multi-stream append (`appendMany` by COPY): per stream, in the order of $1,
 * its outcome as APPEND_STREAMS_SQL decides it and its last revision. The adapter then COPYs the
 * events of the `ok` streams straight into the events table in the same transaction, where the
 * unique constraints still refuse a concurrent writer. $4/$5 are the events' stream index
 * (1-based, into $1) and id.
 */
export const CHECK_STREAMS_SQL = /* sql */ `
WITH wanted AS (
  SELECT t.idx, count(*) AS wanted, array_agg(t.id) AS ids
    FROM unnest($4::int[], $5::uuid[]) AS t(idx, id) GROUP BY t.idx
), ${STREAM_OUTCOMES}
SELECT c.idx, c.outcome, c.revision AS last_revision, ${NEXT_REVISION},
       CASE c.outcome WHEN 'stored' THEN c.stored_prepare END AS prepare_position
  FROM checked c
 ORDER BY c.idx`;

/**
 * The span of positions this transaction wrote: when it holds exactly the rows a COPY sent, they
 * took its positions one after another in the order sent (the identity is drawn row by row), and
 * each stream's newest position follows from the counts without reading the rows back.
 */
export const COPIED_SPAN_SQL = /* sql */ `
SELECT pg_current_xact_id() AS commit, count(*) AS n, min(position) AS first, max(position) AS last
  FROM event_store.events WHERE transaction_id = pg_current_xact_id()`;

/** The events a COPY wrote in this transaction: each stream's newest position. */
export const COPIED_POSITIONS_SQL = /* sql */ `
SELECT stream_id, pg_current_xact_id() AS commit, max(position) AS position FROM event_store.events
 WHERE transaction_id = pg_current_xact_id() GROUP BY stream_id`;

/** COPY (text format) of new events into the events table; rows in the order they are sent. */
export const COPY_EVENTS_SQL =
  'COPY event_store.events (stream_id, revision, event_id, type, data, metadata) FROM STDIN';

/** What a projector folds (`ProjectionEvent`): no metadata, no time recorded. */
export const PROJECTION_COLUMNS =
  'transaction_id, position, stream_id, revision, event_id, type, data';

export const EVENT_COLUMNS =
  `${PROJECTION_COLUMNS}, metadata, ` +
  // As milliseconds: the driver's parse of a timestamp's text was ~5% of a rebuild's reading.
  'floor(extract(epoch FROM recorded_at) * 1000)::int8 AS recorded_at_ms';

/** Rows whose transaction is below every running transaction: nothing can commit behind them. */
export const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

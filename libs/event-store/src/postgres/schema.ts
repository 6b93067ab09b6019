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

-- One round trip per append, and nothing on the happy path but a look at the stream's last
-- revision and the insert: the unique (stream_id, revision) makes the second of two concurrent
-- appenders fail, and the unique (stream_id, event_id) makes a retried event id fail. Why an
-- append was refused (stale revision, or a retry of events already stored) is only worked out
-- when it was refused.
CREATE OR REPLACE FUNCTION event_store.append_events(
  p_stream text,
  p_expected text,
  p_ids uuid[],
  p_types text[],
  p_data jsonb[],
  p_metadata jsonb[]
) RETURNS TABLE (outcome text, next_revision bigint, commit_position xid8, prepare_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  n int := cardinality(p_ids);
  v_current bigint;
  v_as_expected boolean;
  already_stored int;
BEGIN
  SELECT e.revision INTO v_current
    FROM event_store.events e WHERE e.stream_id = p_stream
    ORDER BY e.revision DESC LIMIT 1;

  v_as_expected := CASE
    WHEN p_expected = 'any' THEN true
    WHEN p_expected = 'no_stream' THEN v_current IS NULL
    WHEN p_expected = 'stream_exists' THEN v_current IS NOT NULL
    ELSE v_current IS NOT DISTINCT FROM p_expected::bigint
  END;
  IF NOT v_as_expected THEN
    -- Refused: a retry of an append that is stored already answers with the stored copy.
    SELECT count(*) INTO already_stored
      FROM event_store.events e WHERE e.stream_id = p_stream AND e.event_id = ANY (p_ids);
    IF already_stored = n THEN
      RETURN QUERY SELECT 'duplicate'::text, e.revision, e.transaction_id, e.position
        FROM event_store.events e
        WHERE e.stream_id = p_stream AND e.event_id = ANY (p_ids)
        ORDER BY e.revision DESC LIMIT 1;
    ELSIF already_stored > 0 THEN
      RETURN QUERY SELECT 'partial_duplicate'::text, NULL::bigint, NULL::xid8, NULL::bigint;
    ELSE
      RETURN QUERY SELECT 'wrong_expected_revision'::text, v_current, NULL::xid8, NULL::bigint;
    END IF;
    RETURN;
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream, coalesce(v_current, -1) + t.ord, t.id, t.type, t.data, t.metadata
      FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY
        AS t(id, type, data, metadata, ord)
      ORDER BY t.ord
    RETURNING position
  )
  SELECT 'ok'::text, coalesce(v_current, -1) + n, pg_current_xact_id(), max(inserted.position) FROM inserted;
END
$fn$;
`;

/** Sent as a named prepared statement: planned once per connection. */
export const APPEND_SQL =
  'SELECT outcome, next_revision, commit_position, prepare_position FROM event_store.append_events($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])';

export const EVENT_COLUMNS =
  'transaction_id, position, stream_id, revision, event_id, type, data, metadata, recorded_at';

/** Rows whose transaction is below every running transaction: nothing can commit behind them. */
export const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

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
export const EVENT_STORE_SCHEMA_SQL = /* sql */ `
CREATE SCHEMA IF NOT EXISTS event_store;

CREATE TABLE IF NOT EXISTS event_store.streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS event_store.events (
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

CREATE OR REPLACE FUNCTION event_store.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'event_store.events is append-only';
END
$fn$;

CREATE OR REPLACE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON event_store.events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change();

-- One round trip per append: the expected-revision check, the revision bump and the insert
-- run in one statement, so concurrent appenders keep PostgreSQL's group commit.
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
  already_stored int;
  v_next bigint;
BEGIN
  -- A retried append whose events are stored already: answer with the stored copy.
  SELECT count(*) INTO already_stored
    FROM event_store.events e WHERE e.stream_id = p_stream AND e.event_id = ANY (p_ids);
  IF already_stored > 0 THEN
    IF already_stored < n THEN
      RETURN QUERY SELECT 'partial_duplicate'::text, NULL::bigint, NULL::xid8, NULL::bigint;
    ELSE
      RETURN QUERY SELECT 'duplicate'::text, e.revision, e.transaction_id, e.position
        FROM event_store.events e
        WHERE e.stream_id = p_stream AND e.event_id = ANY (p_ids)
        ORDER BY e.revision DESC LIMIT 1;
    END IF;
    RETURN;
  END IF;

  -- The streams row is the lock that serialises appenders of one stream.
  IF p_expected = 'no_stream' THEN
    INSERT INTO event_store.streams AS s (stream_id, revision) VALUES (p_stream, n - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_next;
  ELSIF p_expected = 'any' THEN
    INSERT INTO event_store.streams AS s (stream_id, revision) VALUES (p_stream, n - 1)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + n
      RETURNING s.revision INTO v_next;
  ELSIF p_expected = 'stream_exists' THEN
    UPDATE event_store.streams s SET revision = s.revision + n
      WHERE s.stream_id = p_stream
      RETURNING s.revision INTO v_next;
  ELSE
    UPDATE event_store.streams s SET revision = s.revision + n
      WHERE s.stream_id = p_stream AND s.revision = p_expected::bigint
      RETURNING s.revision INTO v_next;
  END IF;

  IF v_next IS NULL THEN
    RETURN QUERY SELECT 'wrong_expected_revision'::text, s.revision, NULL::xid8, NULL::bigint
      FROM (SELECT 1) AS one
      LEFT JOIN event_store.streams s ON s.stream_id = p_stream;
    RETURN;
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream, v_next - n + t.ord, t.id, t.type, t.data, t.metadata
      FROM unnest(p_ids, p_types, p_data, p_metadata) WITH ORDINALITY
        AS t(id, type, data, metadata, ord)
      ORDER BY t.ord
    RETURNING position
  )
  SELECT 'ok'::text, v_next, pg_current_xact_id(), max(inserted.position) FROM inserted;
END
$fn$;
`;

export const APPEND_SQL =
  'SELECT outcome, next_revision, commit_position, prepare_position FROM event_store.append_events($1, $2, $3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[])';

export const EVENT_COLUMNS =
  'transaction_id, position, stream_id, revision, event_id, type, data, metadata, recorded_at';

/** Rows whose transaction is below every running transaction: nothing can commit behind them. */
export const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

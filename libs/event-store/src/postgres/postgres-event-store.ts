import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyJson, CopyRows, copyText } from './copy-rows';
import {
  checkStreamAppends,
  PartialDuplicateAppendError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type Position,
  type ProjectionEvent,
  type RecordedEvent,
  type StreamAppend,
  type StreamOrderRead,
  type SubscribeOptions,
} from '../event-store.port';
import {
  APPEND_MANY_SQL,
  APPEND_ONE_SQL,
  APPEND_STREAMS_SQL,
  CHECK_STREAMS_SQL,
  COPIED_POSITIONS_SQL,
  COPIED_SPAN_SQL,
  COPY_EVENTS_SQL,
  EVENT_COLUMNS,
  PROJECTION_COLUMNS,
  EVENT_STORE_SCHEMA_SQL,
  VISIBLE,
} from './schema';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly poolSize?: number;
  /** How often an idle subscription looks for events appended by other processes. */
  readonly pollIntervalMs?: number;
  /**
   * A multi-stream append of at least this many events is written by COPY (checked first, in one
   * transaction of a few round trips) instead of one INSERT statement: the import's batches
   * (default 200).
   */
  readonly copyFromEvents?: number;
}

/** A row of `PROJECTION_COLUMNS`. */
interface ProjectionEventRow {
  transaction_id: string;
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: JsonObject;
}

/** A row of `EVENT_COLUMNS`. */
interface EventRow extends ProjectionEventRow {
  metadata: JsonObject;
  /** Whole milliseconds since 1970, as text (int8). */
  recorded_at_ms: string;
}

interface AppendRow {
  outcome: 'ok' | 'refused';
  next_revision: string | null;
  commit_position: string | null;
  prepare_position: string | null;
}

interface StreamAppendRow {
  idx: number;
  /** The stream's revision before the append (the COPY path's check answers it). */
  last_revision?: string | null;
  outcome: 'ok' | 'stored' | 'partial' | 'refused';
  next_revision: string | null;
  commit_position: string | null;
  prepare_position: string | null;
}

const SCHEMA_LOCK_KEY = 7_346_001; // any constant unique to this schema's migration
const UNIQUE_VIOLATION = '23505';
const ANY_ATTEMPTS = 5;
const DEFAULT_COPY_FROM_EVENTS = 200;
/** Room for an event's COPY row to start with (the import's are about 600 bytes), so it seldom grows. */
const COPY_BYTES_PER_EVENT = 1_024;

/** The same question of the log (from a position, up to a number) as a key. */
function askKey(after: Position | null, limit: number): string {
  return `${after?.commit ?? ''}/${after?.prepare ?? ''}/${limit}`;
}

/** One `ask` at a time per key: callers that come while it runs get its answer. */
function inFlightOnce<T>(
  running: Map<string, Promise<T>>,
  key: string,
  ask: () => Promise<T>,
): Promise<T> {
  let answer = running.get(key);
  if (!answer) {
    answer = ask().finally(() => running.delete(key));
    running.set(key, answer);
  }
  return answer;
}

/** Collations that sort text byte by byte (code point by code point, for UTF-8). */
const BYTE_ORDER_COLLATIONS = new Set(['C', 'POSIX', 'C.UTF-8', 'C.utf8', 'ucs_basic']);

/** The first string past every string that starts with `prefix`, byte by byte. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

const MAX_XID8 = 2n ** 64n - 1n;
const MAX_BIGINT = 2n ** 63n - 1n;

export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly pollIntervalMs: number;
  private readonly liveReads = new Map<string, Promise<ProjectionEvent[]>>();
  private readonly counts = new Map<string, Promise<number>>();
  /** Whether stream ids sort byte by byte here, so a prefix is a range of the index (asked once). */
  private streamIdsSortAsBytes: Promise<boolean> | null = null;
  private readonly copyFromEvents: number;
  /** Subscriptions in this process wake on our own appends instead of waiting for a poll. */
  private readonly waiters = new Set<() => void>();
  /** Appends this process has made, counted: a subscription that missed one reads again at once. */
  private appendsMade = 0;

  private constructor(options: PostgresEventStoreOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 20,
      application_name: 'tovholder-event-store',
    };
    this.pool = new Pool(config);
    // An idle client that loses its server must not crash the process.
    this.pool.on('error', () => undefined);
    this.pollIntervalMs = options.pollIntervalMs ?? 25;
    this.copyFromEvents = options.copyFromEvents ?? DEFAULT_COPY_FROM_EVENTS;
  }

  /** The connection pool's use, for the metrics: total, idle and waiting clients. */
  poolUse(): { readonly total: number; readonly idle: number; readonly waiting: number } {
    return {
      total: this.pool.totalCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
    };
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK_KEY]);
      await client.query(EVENT_STORE_SCHEMA_SQL);
    });
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    for (let attempt = 1; ; attempt++) {
      let row: AppendRow;
      try {
        row = await this.appendOn(this.pool, streamId, events, expected);
      } catch (error) {
        const constraint = uniqueViolation(error);
        if (!constraint) throw error;
        // 'any' has no expectation to break: another writer took the revision, so take the next.
        const lostRevision = constraint === 'events_stream_revision';
        if (lostRevision && expected === 'any' && attempt < ANY_ATTEMPTS) continue;
        // A retry of events stored already (or a concurrent copy of it), else a lost race.
        const stored = await this.findStored(streamId, events);
        if (stored) return stored;
        const actual = await this.currentRevision(streamId);
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      if (row.outcome === 'refused') {
        // Refused: a retry of events stored already answers with the stored copy.
        const stored = await this.findStored(streamId, events);
        if (stored) return stored;
      }
      const result = this.interpret(streamId, expected, row);
      this.wakeSubscribers();
      return result;
    }
  }

  /** The append statement on a given connection; tests use it to hold a transaction open. */
  async appendOn(
    queryable: Pool | PoolClient,
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendRow> {
    const mode = typeof expected === 'number' ? 'revision' : expected;
    const revision = typeof expected === 'number' ? expected : null;
    const [only] = events;
    const result = await queryable.query<AppendRow>(
      events.length === 1 && only
        ? {
            name: 'event_store_append_one',
            text: APPEND_ONE_SQL,
            values: [streamId, mode, revision, only.id, only.type, only.data, only.metadata ?? {}],
          }
        : {
            name: 'event_store_append_many',
            text: APPEND_MANY_SQL,
            values: [
              streamId,
              mode,
              revision,
              events.map((event) => event.id),
              events.map((event) => event.type),
              events.map((event) => event.data),
              events.map((event) => event.metadata ?? {}),
            ],
          },
    );
    const row = result.rows[0];
    if (!row) throw new Error('the append statement returned no row');
    return row;
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    checkStreamAppends(appends);
    const byCopy = this.writesByCopy(appends);
    for (let attempt = 1; ; attempt++) {
      let rows: StreamAppendRow[];
      try {
        rows = byCopy
          ? await this.inTransaction((client) => this.copyAppends(client, appends))
          : await this.appendStatement(this.pool, appends);
      } catch (error) {
        // A concurrent appender of one of the streams committed first: the append run again
        // sees what it wrote, and answers (stored, refused, or for 'any' the next revisions).
        if (uniqueViolation(error) && attempt < ANY_ATTEMPTS) continue;
        throw error;
      }
      const results = this.interpretMany(appends, rows);
      this.wakeSubscribers();
      return results;
    }
  }

  /**
   * The multi-stream append on a connection inside a transaction, by the path `appendMany` takes
   * for its size (tests hold the transaction open).
   */
  async appendManyOn(
    client: PoolClient,
    appends: readonly StreamAppend[],
  ): Promise<StreamAppendRow[]> {
    return this.writesByCopy(appends)
      ? this.copyAppends(client, appends)
      : this.appendStatement(client, appends);
  }

  private writesByCopy(appends: readonly StreamAppend[]): boolean {
    let events = 0;
    for (const append of appends) events += append.events.length;
    return events >= this.copyFromEvents;
  }

  /** A multi-stream append as one statement (one round trip). */
  private async appendStatement(
    queryable: Pool | PoolClient,
    appends: readonly StreamAppend[],
  ): Promise<StreamAppendRow[]> {
    const events = streamEvents(appends);
    const result = await queryable.query<StreamAppendRow>({
      name: 'event_store_append_streams',
      text: APPEND_STREAMS_SQL,
      values: [
        ...appendKeys(appends, events),
        events.map(({ event }) => event.type),
        events.map(({ event }) => event.data),
        events.map(({ event }) => event.metadata ?? {}),
      ],
    });
    return result.rows;
  }

  /**
   * A large multi-stream append, on a connection inside a transaction. When every stream is
   * expected new (the import's batches), the events are COPYed straight in under a savepoint:
   * every stream starts at revision 0, so the unique (stream_id, revision) refuses any stream that
   * exists, and only then is the savepoint rolled back and the batch checked. Otherwise, or then,
   * the streams are checked in one statement and, if every stream is as expected (or stored
   * already), the new events COPYed in call order. COPY skips building and parsing the array
   * literals of the one-statement path, which costs more than writing the rows. A concurrent
   * appender still meets the unique constraints, so the COPY fails as a whole and `appendMany`
   * runs it again.
   */
  private async copyAppends(
    client: PoolClient,
    appends: readonly StreamAppend[],
  ): Promise<StreamAppendRow[]> {
    if (appends.every((append) => append.expected === 'no_stream')) {
      await client.query('SAVEPOINT new_streams');
      try {
        return await this.copyNewStreams(client, appends);
      } catch (error) {
        if (!uniqueViolation(error)) throw error;
        await client.query('ROLLBACK TO SAVEPOINT new_streams');
      }
    }
    const events = streamEvents(appends);
    const checked = await client.query<StreamAppendRow>({
      name: 'event_store_check_streams',
      text: CHECK_STREAMS_SQL,
      values: appendKeys(appends, events),
    });
    const rows = checked.rows;
    if (rows.some((row) => row.outcome === 'refused' || row.outcome === 'partial')) return rows;
    const writes: { append: StreamAppend; lastRevision: number }[] = [];
    for (const row of rows) {
      const append = appends[row.idx - 1];
      if (row.outcome !== 'ok' || !append) continue;
      const last = row.last_revision;
      writes.push({
        append,
        lastRevision: last === null || last === undefined ? -1 : Number(last),
      });
    }
    if (writes.length === 0) return rows;
    const newest = await this.copyEvents(client, writes);
    return rows.map((row) => {
      const streamId = appends[row.idx - 1]?.streamId;
      if (row.outcome !== 'ok' || streamId === undefined) return row;
      return { ...row, prepare_position: newest.get(streamId)?.position ?? null };
    });
  }

  /** New streams, COPYed without a check: a stream that exists fails the COPY (unique violation). */
  private async copyNewStreams(
    client: PoolClient,
    appends: readonly StreamAppend[],
  ): Promise<StreamAppendRow[]> {
    const newest = await this.copyEvents(
      client,
      appends.map((append) => ({ append, lastRevision: -1 })),
    );
    return appends.map((append, index) => {
      const copied = newest.get(append.streamId);
      return {
        idx: index + 1,
        outcome: 'ok',
        next_revision: String(append.events.length - 1),
        commit_position: copied?.commit ?? null,
        prepare_position: copied?.position ?? null,
      };
    });
  }

  /**
   * The events of the given streams, each after its last revision, COPYed into the table in call
   * order (the rows written straight into one buffer); answers each stream's newest position.
   */
  private async copyEvents(
    client: PoolClient,
    writes: readonly { readonly append: StreamAppend; readonly lastRevision: number }[],
  ): Promise<Map<string, { commit: string; position: string }>> {
    let events = 0;
    for (const { append } of writes) events += append.events.length;
    const rows = new CopyRows(events * COPY_BYTES_PER_EVENT);
    for (const { append, lastRevision } of writes) {
      const stream = copyText(append.streamId);
      let revision = lastRevision;
      for (const event of append.events) {
        revision += 1;
        rows.value(stream);
        rows.integer(revision);
        rows.value(event.id);
        rows.value(copyText(event.type));
        rows.value(copyJson(event.dataJson ?? JSON.stringify(event.data)));
        rows.value(copyJson(event.metadataJson ?? JSON.stringify(event.metadata ?? {})));
        rows.endRow();
      }
    }
    await pipeline(Readable.from([rows.bytes()]), client.query(copyFrom(COPY_EVENTS_SQL)));
    rows.recycle();
    const spanned = await this.positionsFromSpan(client, writes, events);
    if (spanned) return spanned;
    const copied = await client.query<{ stream_id: string; commit: string; position: string }>(
      COPIED_POSITIONS_SQL,
    );
    return new Map(copied.rows.map((row) => [row.stream_id, row]));
  }

  /**
   * Each stream's newest position counted from the first one the COPY took, when the transaction
   * wrote nothing else and no other writer's position fell between; else null (read them back).
   */
  private async positionsFromSpan(
    client: PoolClient,
    writes: readonly { readonly append: StreamAppend }[],
    events: number,
  ): Promise<Map<string, { commit: string; position: string }> | null> {
    const result = await client.query<{ commit: string; n: string; first: string; last: string }>(
      COPIED_SPAN_SQL,
    );
    const span = result.rows[0];
    if (!span || Number(span.n) !== events) return null;
    const first = BigInt(span.first);
    if (BigInt(span.last) - first + 1n !== BigInt(events)) return null;
    const newest = new Map<string, { commit: string; position: string }>();
    let position = first - 1n;
    for (const { append } of writes) {
      position += BigInt(append.events.length);
      newest.set(append.streamId, { commit: span.commit, position: String(position) });
    }
    return newest;
  }

  /** The statement's rows as results; throws the first append's refusal (nothing was written). */
  interpretMany(
    appends: readonly StreamAppend[],
    rows: readonly StreamAppendRow[],
  ): AppendResult[] {
    const failed = rows.find((row) => row.outcome === 'refused' || row.outcome === 'partial');
    if (failed) {
      const append = appends[failed.idx - 1];
      if (!append) throw new Error('the append statement answered for an unknown stream');
      if (failed.outcome === 'partial') throw new PartialDuplicateAppendError(append.streamId);
      const actual = failed.next_revision === null ? 'no_stream' : Number(failed.next_revision);
      throw new WrongExpectedRevisionError(append.streamId, append.expected, actual);
    }
    if (rows.length !== appends.length) throw new Error('the append statement lost a stream');
    return rows.map((row) => ({
      nextRevision: Number(row.next_revision),
      position: {
        commit: BigInt(row.commit_position ?? 0),
        prepare: BigInt(row.prepare_position ?? 0),
      },
    }));
  }

  interpret(streamId: string, expected: ExpectedRevision, row: AppendRow): AppendResult {
    if (row.outcome === 'refused') {
      const actual = row.next_revision === null ? 'no_stream' : Number(row.next_revision);
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    return {
      nextRevision: Number(row.next_revision),
      position: {
        commit: BigInt(row.commit_position ?? 0),
        prepare: BigInt(row.prepare_position ?? 0),
      },
    };
  }

  private async findStored(
    streamId: string,
    events: readonly NewEvent[],
  ): Promise<AppendResult | null> {
    const result = await this.pool.query<{
      n: string;
      revision: string;
      transaction_id: string;
      position: string;
    }>(
      `SELECT count(*) OVER () AS n, revision, transaction_id, position FROM event_store.events
        WHERE stream_id = $1 AND event_id = ANY ($2::uuid[]) ORDER BY revision DESC LIMIT 1`,
      [streamId, events.map((event) => event.id)],
    );
    const row = result.rows[0];
    if (!row) return null;
    if (Number(row.n) !== events.length) throw new PartialDuplicateAppendError(streamId);
    return {
      nextRevision: Number(row.revision),
      position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.position) },
    };
  }

  private async currentRevision(streamId: string): Promise<number | 'no_stream'> {
    const result = await this.pool.query<{ revision: string }>(
      'SELECT revision FROM event_store.events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1',
      [streamId],
    );
    const row = result.rows[0];
    return row ? Number(row.revision) : 'no_stream';
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE stream_id = $1 ORDER BY revision`,
      [streamId],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(after: Position | null, limit: number): Promise<RecordedEvent[]> {
    const rows = await this.readLog<EventRow>(EVENT_COLUMNS, after, limit);
    return rows.map(toRecordedEvent);
  }

  async readAllWithoutEnvelope(after: Position | null, limit: number): Promise<ProjectionEvent[]> {
    const rows = await this.readLog<ProjectionEventRow>(PROJECTION_COLUMNS, after, limit);
    return rows.map(toProjectionEvent);
  }

  private async readLog<Row extends ProjectionEventRow>(
    columns: string,
    after: Position | null,
    limit: number,
  ): Promise<Row[]> {
    const from = after ?? { commit: 0n, prepare: 0n };
    const result = await this.pool.query<Row>(
      `SELECT ${columns} FROM event_store.events
        WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND ${VISIBLE}
        ORDER BY transaction_id, position LIMIT $3`,
      [from.commit.toString(), from.prepare.toString(), limit],
    );
    return result.rows;
  }

  /**
   * Prefix by prefix (in JavaScript's order of the prefixes), a page of one query each, stream
   * by stream in the index on (stream_id, revision). Where stream ids sort byte by byte (C
   * collations) a prefix is a range of that index; elsewhere its streams need not be next to
   * each other, and the same query filters the index's order instead (right, but it reads past
   * the streams of other prefixes). The range alone, without the LIKE that says the same: with
   * both, PostgreSQL took about half as long again to read a live-shaped log in stream order.
   */
  async readInStreamOrder({
    prefixes,
    upTo,
    after,
    limit,
  }: StreamOrderRead): Promise<ProjectionEvent[]> {
    const ordered = [...new Set(prefixes)].sort();
    if (ordered.some((p, i) => p === '' || ordered.some((q, j) => i !== j && q.startsWith(p)))) {
      throw new Error('readInStreamOrder: each prefix must be non-empty and start no other');
    }
    let index = after ? ordered.findIndex((p) => after.streamId.startsWith(p)) : 0;
    if (index < 0) throw new Error('readInStreamOrder: the cursor is in none of the prefixes');
    const asBytes = await (this.streamIdsSortAsBytes ??= this.sortsAsBytes());
    const events: ProjectionEvent[] = [];
    for (let from = after; index < ordered.length && events.length < limit; index++, from = null) {
      const prefix = ordered[index] ?? '';
      const inPrefix = asBytes ? 'stream_id >= $1 AND stream_id < $7' : 'stream_id LIKE $1';
      // Events at or before a head read are all committed: no visibility check needed.
      const result = await this.pool.query<ProjectionEventRow>(
        `SELECT ${PROJECTION_COLUMNS} FROM event_store.events
          WHERE ${inPrefix} AND (stream_id, revision) > ($2, $3::bigint)
            AND (transaction_id, position) <= ($4::xid8, $5::bigint)
          ORDER BY stream_id, revision LIMIT $6`,
        [
          asBytes ? prefix : `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
          // From the prefix itself, not '': PostgreSQL starts the index scan at this bound.
          from?.streamId ?? prefix,
          from?.revision ?? -1,
          upTo.commit.toString(),
          upTo.prepare.toString(),
          limit - events.length,
          ...(asBytes ? [prefixEnd(prefix)] : []),
        ],
      );
      events.push(...result.rows.map(toProjectionEvent));
    }
    return events;
  }

  private async sortsAsBytes(): Promise<boolean> {
    const result = await this.pool.query<{ collation: string | null }>(
      `SELECT coalesce(
         (SELECT c.collname::text FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
           WHERE a.attrelid = 'event_store.events'::regclass AND a.attname = 'stream_id'
             AND c.collname <> 'default'),
         (SELECT CASE WHEN datlocprovider = 'c' THEN datcollate END FROM pg_database
           WHERE datname = current_database())) AS collation`,
    );
    return BYTE_ORDER_COLLATIONS.has(result.rows[0]?.collation ?? '');
  }

  async *subscribe(
    after: Position | null,
    options: SubscribeOptions = {},
  ): AsyncGenerator<ProjectionEvent[]> {
    const batchSize = options.batchSize ?? 500;
    const signal = options.signal;
    let position = after;
    while (!signal?.aborted) {
      const appendsBefore = this.appendsMade;
      const batch = await this.readLive(position, batchSize);
      const last = batch.at(-1);
      if (last) {
        position = last.position;
        yield batch;
      }
      // An append while the batch was read or applied woke nobody: waiting for the next one (or
      // the poll) would keep its writer's read-back waiting too, when writers wait on read-backs.
      if (batch.length < batchSize && this.appendsMade === appendsBefore) {
        await this.waitForAppend(signal);
      }
    }
  }

  /**
   * `readAllWithoutEnvelope` for subscriptions: the ones an append wakes at the same position
   * (every projector that had nothing to do) share one read instead of asking the same each.
   */
  private readLive(after: Position | null, limit: number): Promise<ProjectionEvent[]> {
    return inFlightOnce(this.liveReads, askKey(after, limit), () =>
      this.readAllWithoutEnvelope(after, limit),
    );
  }

  private waitForAppend(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  }

  private wakeSubscribers(): void {
    this.appendsMade += 1;
    for (const wake of [...this.waiters]) wake();
  }

  async headPosition(): Promise<Position | null> {
    const result = await this.pool.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id, position FROM event_store.events WHERE ${VISIBLE}
        ORDER BY transaction_id DESC, position DESC LIMIT 1`,
    );
    const row = result.rows[0];
    return row ? { commit: BigInt(row.transaction_id), prepare: BigInt(row.position) } : null;
  }

  async hasReached(position: Position): Promise<boolean> {
    // Past the columns' ranges no event can be (and the casts would fail).
    if (position.commit > MAX_XID8 || position.prepare > MAX_BIGINT) return false;
    const result = await this.pool.query<{ found: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM event_store.events
        WHERE (transaction_id, position) >= ($1::xid8, $2::bigint)) AS found`,
      [position.commit.toString(), position.prepare.toString()],
    );
    return result.rows[0]?.found === true;
  }

  /**
   * Number of visible events after a position, counted up to `cap` (for lag and progress).
   * Callers asking the same at once share one count: rebuilds started together each count the
   * whole log for their progress.
   */
  countAfter(after: Position | null, cap: number): Promise<number> {
    return inFlightOnce(this.counts, askKey(after, cap), () => this.count(after, cap));
  }

  private async count(after: Position | null, cap: number): Promise<number> {
    const from = after ?? { commit: 0n, prepare: 0n };
    const result = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM event_store.events
        WHERE (transaction_id, position) > ($1::xid8, $2::bigint) AND ${VISIBLE} LIMIT $3) AS behind`,
      [from.commit.toString(), from.prepare.toString(), cap],
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 FROM event_store.events LIMIT 1');
  }

  /** A connection of the store's pool, for tests that must hold a transaction open. */
  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  async close(): Promise<void> {
    this.wakeSubscribers();
    await this.pool.end();
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/**
 * A multi-stream append's streams (id, expectation mode, exact revision) and its events' stream
 * index and id: the first five arrays of both statements.
 */
function appendKeys(
  appends: readonly StreamAppend[],
  events: readonly { readonly index: number; readonly event: NewEvent }[],
): [string[], string[], (number | null)[], number[], string[]] {
  return [
    appends.map((append) => append.streamId),
    appends.map((append) => (typeof append.expected === 'number' ? 'revision' : append.expected)),
    appends.map((append) => (typeof append.expected === 'number' ? append.expected : null)),
    events.map(({ index }) => index),
    events.map(({ event }) => event.id),
  ];
}

/** The events of a multi-stream append in call order, with their stream's 1-based index. */
function streamEvents(
  appends: readonly StreamAppend[],
): { readonly index: number; readonly event: NewEvent }[] {
  return appends.flatMap((append, index) =>
    append.events.map((event) => ({ index: index + 1, event })),
  );
}

/**
 * An event without its envelope, as a rebuild reads it. `toRecordedEvent` does not build on it:
 * each of readAll's rows stays one object literal.
 */
function toProjectionEvent(row: ProjectionEventRow): ProjectionEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    type: row.type,
    data: row.data,
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.position) },
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: Number(row.revision),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.position) },
    recordedAt: new Date(Number(row.recorded_at_ms)),
  };
}

/** The constraint a unique violation hit, or null for any other error. */
function uniqueViolation(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === UNIQUE_VIOLATION && typeof constraint === 'string' ? constraint : null;
}

/**
 * The event store port: one interface, one contract suite (contract/event-store.contract.ts),
 * two adapters (PostgreSQL, KurrentDB).
 */

/** A place in the global log. Compared as (commit, prepare), like KurrentDB's $all position. */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export type JsonObject = { [key: string]: unknown };

export interface EventMetadata {
  /** Who caused the event: a caseworker id, `system:<process>`, ... */
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly [key: string]: unknown;
}

/** An event about to be appended. `id` makes retries safe: the same id is stored once. */
export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  /**
   * `data` as `JSON.stringify(data)` gives it, when the caller has it already (the import derives
   * event ids from it): a store may write it instead of serializing `data` again.
   */
  readonly dataJson?: string;
  readonly metadata?: EventMetadata;
  /** `metadata` as JSON, when the caller has it (the import builds it cheaply), as `dataJson`. */
  readonly metadataJson?: string;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  /** 0-based revision of the event in its stream. */
  readonly revision: number;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
  readonly position: Position;
  readonly recordedAt: Date;
}

/**
 * What the stream must look like for the append to go through:
 * 'any' (no check), 'no_stream' (must not exist), 'stream_exists' (must exist),
 * or the exact revision of its last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  readonly nextRevision: number;
  /** Global position of the last event appended (or of the stored copy, on a retry). */
  readonly position: Position;
}

/**
 * An event as projectors fold it: without its envelope (metadata, time recorded), which no
 * projection reads, so that their reads of the log (catch-up, rebuild, subscription) neither
 * fetch nor parse it. A `RecordedEvent` is one too.
 */
export type ProjectionEvent = Omit<RecordedEvent, 'metadata' | 'recordedAt'>;

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
}

/** Where a read in stream order stopped: the last event it gave. */
export interface StreamOrderCursor {
  readonly streamId: string;
  readonly revision: number;
}

/** A page of the log up to a position, stream by stream (see `EventStore.readInStreamOrder`). */
export interface StreamOrderRead {
  /** The streams whose ids start with one of these ('case-'). */
  readonly prefixes: readonly string[];
  /** Only events at or before this position (a head the caller read). */
  readonly upTo: Position;
  /** Strictly after this event in stream order; null: from the first stream. */
  readonly after: StreamOrderCursor | null;
  readonly limit: number;
}

export interface SubscribeOptions {
  /** Largest batch handed to the consumer at once. */
  readonly batchSize?: number;
  /** Ends the subscription (the iterator finishes). */
  readonly signal?: AbortSignal;
}

export interface EventStore {
  append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;
  /**
   * Several streams at once, each with its own expectation, in one transaction and one round
   * trip: all or nothing. Each append behaves as `append` would: an append whose event ids are
   * all stored already is a clean retry and is answered with the stored copy (writing nothing),
   * one whose ids are partly stored is refused, as is a broken expectation, and then nothing of
   * the batch is written. A stream may appear once. Results are in the order of `appends`; a
   * result's position is at or after the append's last event.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** All events of a stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** The global log in order, strictly after `after` (null: from the start). */
  readAll(after: Position | null, limit: number): Promise<RecordedEvent[]>;
  /**
   * `readAll` without each event's envelope: what projectors catch up and rebuild from, so that
   * reading the log for them neither fetches nor parses what none of them reads.
   */
  readAllWithoutEnvelope(after: Position | null, limit: number): Promise<ProjectionEvent[]>;
  /**
   * Batches of the global log strictly after `after`: catch-up, then live, no gaps, no
   * reordering. Ends when the signal aborts. For projectors: without the envelope, as
   * `readAllWithoutEnvelope`.
   */
  subscribe(after: Position | null, options?: SubscribeOptions): AsyncIterable<ProjectionEvent[]>;
  /** Position of the newest event readers can see, null when the log is empty. */
  headPosition(): Promise<Position | null>;
  /**
   * Whether the log holds an event at or after this position, visible to readers yet or not:
   * tells a position an append returned from one no append did (a reader waiting for that would
   * wait in vain).
   */
  hasReached(position: Position): Promise<boolean>;
  /**
   * Visible events after a position, counted up to `cap` (projection lag, rebuild progress).
   * Optional: a store that cannot count cheaply leaves it out.
   */
  countAfter?(after: Position | null, cap: number): Promise<number>;
  /**
   * The events up to a position of the streams with the given prefixes, a stream's events
   * together in revision order, stream after stream (in an order of stream ids the store
   * chooses, the same on every page). A rebuild folds a stream's events at once this way,
   * where the log's order spreads them over its whole length (see `Projector.streamOrder`).
   * Optional: a store that cannot read so leaves it out, and rebuilds read the log in order.
   */
  readInStreamOrder?(read: StreamOrderRead): Promise<ProjectionEvent[]>;
  /** Cheap liveness check for health endpoints; throws when the store is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What no store can do in one multi-stream append: an empty append, or one stream twice. */
export function checkStreamAppends(appends: readonly StreamAppend[]): void {
  const streams = new Set<string>();
  for (const append of appends) {
    if (append.events.length === 0) {
      throw new Error(`appendMany: the append to ${append.streamId} has no events`);
    }
    if (streams.has(append.streamId)) {
      throw new Error(`appendMany: stream ${append.streamId} appears more than once`);
    }
    streams.add(append.streamId);
  }
}

/** Nest injection token (a plain symbol keeps this library framework-free). */
export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(
      `Stream ${streamId}: expected ${String(expected)}, but the stream is at ${String(actual)}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** A batch whose event ids are partly stored already: not a clean retry, so refused. */
export class PartialDuplicateAppendError extends Error {
  readonly code = 'EVENT_STORE.PARTIAL_DUPLICATE';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId}: some but not all of the event ids are already stored`);
    this.name = 'PartialDuplicateAppendError';
  }
}

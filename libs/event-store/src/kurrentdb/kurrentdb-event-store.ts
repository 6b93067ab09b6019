import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AppendResult as ClientAppendResult,
  type AppendStreamRequest,
  type AppendStreamState,
  type CurrentStreamState,
  type MultiAppendResult,
} from '@kurrent/kurrentdb-client';
import { inBatches } from '../batches';
import {
  checkStreamAppends,
  PartialDuplicateAppendError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type NewEvent,
  type Position,
  type ProjectionEvent,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeOptions,
} from '../event-store.port';
import { comparePositions } from '../position';

/**
 * The fields of a client-side recorded event this adapter reads. Both the client's stream and
 * $all events satisfy it; a structural type keeps the mapping testable without a server.
 */
export interface KurrentRecordedEventLike {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  /** Optional in the client's types: only servers newer than 22.6 send it on stream reads. */
  readonly position?: Position;
}

/** The port's expected revision in the client's vocabulary (1.x calls it `streamState`). */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      // BigInt(1.5) would throw a bare RangeError, and a negative revision means something else
      // on the wire (-1 is "no stream"), so refuse both with the stream-level meaning spelled out.
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`expected revision must be a non-negative integer, got ${expected}`);
      }
      return BigInt(expected);
  }
}

/** The client's idea of a stream's current state as the port's `actual`. */
export function toActualRevision(current: CurrentStreamState): number | 'no_stream' {
  // Negative revisions come from the server's sentinels (-1 no stream, -5/-6 deleted); the port
  // only knows "there is no stream to append after".
  if (current === NO_STREAM || current < 0n) return 'no_stream';
  return Number(current);
}

/**
 * Translates the client's concurrency error into the port's; anything else is returned as is so
 * the caller can rethrow it untouched.
 */
export function toPortAppendError(
  error: unknown,
  streamId: string,
  expected: ExpectedRevision,
): unknown {
  if (error instanceof WrongExpectedVersionError) {
    return new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualState));
  }
  return error;
}

/**
 * The client's multi-stream append takes metadata as string-to-string properties only, so the
 * port's metadata (which has arrays, e.g. actorRoles) travels whole as JSON in one property and
 * is unpacked on reading; its string values are also kept as they are, for other readers.
 */
export const PACKED_METADATA_PROPERTY = 'tovholder.metadata';

export function toStringProperties(metadata: EventMetadata): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string') properties[key] = value;
  }
  properties[PACKED_METADATA_PROPERTY] = JSON.stringify(metadata);
  return properties;
}

function unpackMetadata(metadata: JsonObject): JsonObject {
  const packed = metadata[PACKED_METADATA_PROPERTY];
  if (typeof packed !== 'string') return metadata;
  const parsed: unknown = JSON.parse(packed);
  return isJsonObject(parsed) ? parsed : metadata;
}

function isJsonObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}

/** Maps a client event to the port's; throws when the server did not say where the event is. */
export function toRecordedEvent(event: KurrentRecordedEventLike): RecordedEvent {
  if (!event.position) {
    throw new Error(
      `KurrentDB returned event ${event.id} of ${event.streamId} without a log position ` +
        '(servers older than 22.6 do not send it on stream reads)',
    );
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: Number(event.revision),
    type: event.type,
    // This store only appends JSON objects; anything else was written by someone else, and is
    // wrapped rather than refused so that projectors can skip it by type instead of stalling.
    data: isJsonObject(event.data) ? event.data : { value: event.data },
    metadata: isJsonObject(event.metadata) ? unpackMetadata(event.metadata) : {},
    position: { commit: event.position.commit, prepare: event.position.prepare },
    recordedAt: event.created,
  };
}

function isSystemEvent(type: string): boolean {
  return type.startsWith('$');
}

/** KurrentDB reads from a position inclusively; the port wants strictly after. */
function isAfter(position: Position, after: Position | null): boolean {
  return after === null || comparePositions(position, after) > 0;
}

function missingResult(): never {
  throw new Error('KurrentDB answered fewer streams than were sent');
}

/**
 * EventStore port on KurrentDB (or EventStoreDB) through the official gRPC client: streams are
 * streams, the global position is the $all position, and system events ($-prefixed types) are
 * hidden from readers.
 */
export class KurrentDbEventStore implements EventStore {
  constructor(private readonly client: KurrentDBClient) {}

  /**
   * `connectionString` as the client takes it, e.g. `kurrentdb://localhost:2113?tls=false` or a
   * cluster's `kurrentdb://host1:2113,host2:2113,host3:2113`. Connects lazily on first use.
   */
  static connect(connectionString: string): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString));
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const streamState = toStreamState(expected);
    const payload = events.map((event) =>
      jsonEvent({
        id: event.id,
        type: event.type,
        data: event.data,
        // Always an object, so readers get `{}` rather than a missing metadata field.
        metadata: event.metadata ?? {},
      }),
    );
    let result: ClientAppendResult;
    try {
      // A retry with the same event ids and expected state is answered by the server as the
      // original write was (idempotent append), so no dedup of our own is needed here.
      result = await this.client.appendToStream(streamId, payload, { streamState });
    } catch (error) {
      throw toPortAppendError(error, streamId, expected);
    }
    const nextRevision = Number(result.nextExpectedRevision);
    const position = result.position ?? (await this.positionOfRevision(streamId, nextRevision));
    return { nextRevision, position };
  }

  /**
   * One `multiStreamAppend` (KurrentDB 25.1+): atomic across the streams. Idempotency is the
   * port's, not left to the server: when the server refuses an expectation, appends whose events
   * are all stored already are answered with the stored copy and the rest is sent again.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    checkStreamAppends(appends);
    try {
      return await this.sendMany(appends);
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const stored = await Promise.all(appends.map((append) => this.storedCopy(append)));
      const remaining = appends.filter((_, index) => !stored[index]);
      if (remaining.length === appends.length) throw this.refusalOf(appends, error);
      const sent = remaining.length > 0 ? await this.sendMany(remaining) : [];
      return stored.map((copy) => copy ?? sent.shift() ?? missingResult());
    }
  }

  private async sendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const requests: AppendStreamRequest[] = appends.map((append) => ({
      streamName: append.streamId,
      expectedState: toStreamState(append.expected),
      events: append.events.map((event) =>
        jsonEvent({
          id: event.id,
          type: event.type,
          data: event.data,
          metadata: toStringProperties(event.metadata ?? {}),
        }),
      ),
    }));
    const reply: MultiAppendResult = await this.client.multiStreamAppend(requests);
    // The reply has one position for the whole transaction: at or after every stream's last event.
    const position = { commit: reply.position, prepare: reply.position };
    return appends.map((append) => {
      const response = reply.responses.find((answer) => answer.streamName === append.streamId);
      if (!response) throw new Error(`KurrentDB did not answer for ${append.streamId}`);
      return { nextRevision: Number(response.revision), position };
    });
  }

  /** The stored copy of an append whose event ids are all stored; null when none is. */
  private async storedCopy(append: StreamAppend): Promise<AppendResult | null> {
    const ids = new Set(append.events.map((event) => event.id));
    const found = (await this.readStream(append.streamId)).filter((event) => ids.has(event.id));
    const last = found.at(-1);
    if (!last) return null;
    if (found.length !== ids.size) throw new PartialDuplicateAppendError(append.streamId);
    return { nextRevision: last.revision, position: last.position };
  }

  private refusalOf(appends: readonly StreamAppend[], error: WrongExpectedVersionError): unknown {
    const append = appends.find((candidate) => candidate.streamId === error.streamName);
    return append ? toPortAppendError(error, append.streamId, append.expected) : error;
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const recorded: RecordedEvent[] = [];
    try {
      // The 1.x client reports a missing stream by throwing while iterating, not on the call.
      for await (const resolved of this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: START,
      })) {
        if (resolved.event) recorded.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return recorded;
  }

  /**
   * Up to `limit` non-system events strictly after `after`. Fewer than `limit` only at the end of
   * the log: pages are re-read until enough events are found.
   */
  async readAll(after: Position | null, limit: number): Promise<RecordedEvent[]> {
    const recorded: RecordedEvent[] = [];
    let from = after;
    while (recorded.length < limit) {
      // One extra, since the event at `from` itself comes back first and is skipped.
      const wanted = limit - recorded.length + (from === null ? 0 : 1);
      let received = 0;
      let last: Position | null = null;
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: from ?? START,
        maxCount: wanted,
        // Filtered server-side: maxCount then counts matching events, so a page of system
        // events ($stats, $epoch, ...) does not eat the limit.
        filter: excludeSystemEvents(),
      })) {
        received++;
        const event = resolved.event;
        if (!event) continue;
        last = event.position;
        if (!isAfter(event.position, from) || isSystemEvent(event.type)) continue;
        recorded.push(toRecordedEvent(event));
        if (recorded.length === limit) break;
      }
      if (received < wanted || last === null) break; // end of the log
      from = last;
    }
    return recorded;
  }

  /** The client parses every event's metadata anyway: nothing to leave out here. */
  readAllWithoutEnvelope(after: Position | null, limit: number): Promise<ProjectionEvent[]> {
    return this.readAll(after, limit);
  }

  async *subscribe(
    after: Position | null,
    options: SubscribeOptions = {},
  ): AsyncGenerator<RecordedEvent[]> {
    const { batchSize = 500, signal } = options;
    if (signal?.aborted) return;
    // Our own controller, so that the subscription also ends when the consumer stops iterating
    // (break/throw) without aborting the caller's signal.
    const stop = new AbortController();
    const onCallerAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    const subscription = this.client.subscribeToAll({
      fromPosition: after ?? START,
      filter: excludeSystemEvents(),
    });
    let unsubscribed: Promise<void> | null = null;
    const unsubscribe = (): Promise<void> =>
      (unsubscribed ??= subscription.unsubscribe().catch(() => undefined));
    // Cancelling the gRPC call ends the stream, which is what wakes a source waiting for the next
    // live event: without it an idle subscription would never notice the abort.
    stop.signal.addEventListener('abort', () => void unsubscribe(), { once: true });

    async function* events(): AsyncGenerator<RecordedEvent> {
      try {
        for await (const resolved of subscription) {
          const event = resolved.event;
          if (!event || isSystemEvent(event.type) || !isAfter(event.position, after)) continue;
          yield toRecordedEvent(event);
        }
      } catch (error) {
        // Errors after we asked to stop are the cancellation itself, not a failure.
        if (!stop.signal.aborted) throw error;
      }
    }

    try {
      yield* inBatches(events(), batchSize, stop.signal);
    } finally {
      signal?.removeEventListener('abort', onCallerAbort);
      stop.abort();
      await unsubscribe();
    }
  }

  async headPosition(): Promise<Position | null> {
    // The filter already drops system events; a few extra are read in case a server ignores it.
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 8,
      filter: excludeSystemEvents(),
    })) {
      const event = resolved.event;
      if (event && !isSystemEvent(event.type)) {
        return { commit: event.position.commit, prepare: event.position.prepare };
      }
    }
    return null;
  }

  async hasReached(position: Position): Promise<boolean> {
    // KurrentDB shows every committed event at once: the head is the newest stored.
    const head = await this.headPosition();
    return head !== null && comparePositions(head, position) >= 0;
  }

  async ping(): Promise<void> {
    // Any read goes through node discovery and a gRPC round trip; an empty result is fine.
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
    })) {
      void resolved;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /**
   * The append reply carries no position when the server has none to give (an idempotent retry
   * it could only match by event number); the stored copy then says where the events are.
   */
  private async positionOfRevision(streamId: string, revision: number): Promise<Position> {
    if (revision >= 0) {
      for await (const resolved of this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(revision),
        maxCount: 1,
      })) {
        if (resolved.event?.position) return resolved.event.position;
      }
    }
    throw new Error(
      `KurrentDB accepted the append to ${streamId} (revision ${revision}) but reported no log ` +
        'position, and the stored event could not be read back to find it',
    );
  }
}

import type { Decider } from '@tovholder/domain';
import {
  formatPosition,
  WrongExpectedRevisionError,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@tovholder/event-store';
import { eventIdsFor } from '../http/idempotency/command-key';
import { aggregateStream, type EventReading } from './aggregate-stream';

export interface CommandOutcome {
  /** Global position of what the command wrote: pass it as `waitForPosition` to read it back. */
  readonly position: string;
  readonly revision: number;
  /** Events this command recorded: 0 when it asked for what was already so. */
  readonly written: number;
}

/** The shape every domain event has: a type and plain data. */
export type DomainEvent = { readonly type: string; readonly data: object };

const ATTEMPTS = 3;

/**
 * The shape of every command handler: read the stream, fold it, decide, append at the revision
 * that was read. When another writer got there first, the command is decided again on the new
 * state, so the caller gets the domain's answer (e.g. PRIMARY_CONTACT_TAKEN with the holder)
 * rather than a bare concurrency error.
 */
export async function executeDecider<
  Command extends { now: Date },
  Event extends DomainEvent,
  State,
>(
  store: EventStore,
  streamId: string,
  kind: { readonly decider: Decider<Command, Event, State>; readonly reading: EventReading<Event> },
  command: Command,
  metadata: EventMetadata,
  /**
   * Deterministic ids for events a scheduled process records, so a re-run is stored once.
   * Default: derived from the request's Idempotency-Key when it has one (a retry is stored once).
   */
  eventId?: (event: Event, index: number) => string,
): Promise<CommandOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await decideAndAppend(store, streamId, kind, command, metadata, eventId);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** The outcome of this append if an earlier run of the same request made it already. */
function alreadyRecorded(
  past: readonly RecordedEvent[],
  idOf: (index: number) => string,
): CommandOutcome | null {
  const byId = new Map(past.map((event) => [event.id, event]));
  let written = 0;
  while (byId.has(idOf(written))) written += 1;
  const lastOfThem = byId.get(idOf(written - 1));
  if (written === 0 || lastOfThem === undefined) return null;
  return {
    position: formatPosition(lastOfThem.position),
    revision: lastOfThem.revision,
    written,
  };
}

async function decideAndAppend<Command extends { now: Date }, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  { decider, reading }: { decider: Decider<Command, Event, State>; reading: EventReading<Event> },
  command: Command,
  metadata: EventMetadata,
  eventId: ((event: Event, index: number) => string) | undefined,
): Promise<CommandOutcome> {
  const { state, events: past, last } = await aggregateStream(store, streamId, decider, reading);
  const derived = eventIdsFor(streamId);
  const recordedBefore =
    eventId === undefined
      ? alreadyRecorded(
          past.map((event) => event.recorded),
          derived.id,
        )
      : null;
  if (recordedBefore !== null) {
    // A retry of a request whose process died after this append: answer what it recorded.
    derived.appended();
    return recordedBefore;
  }
  const events = decider.decide(command, state);
  if (events.length === 0) {
    // Nothing to record (the command asked for what is already so).
    return {
      position: last ? formatPosition(last.position) : '0-0',
      revision: last?.revision ?? -1,
      written: 0,
    };
  }
  const idOf = eventId ?? ((_event: Event, index: number) => derived.id(index));
  const result = await store.append(
    streamId,
    events.map((event, index) => ({
      id: idOf(event, index),
      type: event.type,
      data: { ...event.data },
      // `at` is the command's clock time: the as-of history reads it (tests move the clock).
      metadata: { ...metadata, at: command.now.toISOString() },
    })),
    last ? last.revision : 'no_stream',
  );
  derived.appended();
  return {
    position: formatPosition(result.position),
    revision: result.nextRevision,
    written: events.length,
  };
}

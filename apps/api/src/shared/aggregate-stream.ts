import { fold, type Decider, type UncheckedEvent } from '@tovholder/domain';
import type { EventStore, RecordedEvent } from '@tovholder/event-store';

/** Turns an event stored in an older shape into today's (type and data); others pass through. */
export type Upcaster = (event: UncheckedEvent) => UncheckedEvent;

/** How a feature's events are recognised when read back from the store. */
export interface EventReading<E extends UncheckedEvent> {
  readonly isEvent: (event: UncheckedEvent) => event is E;
  /** Where old event versions are brought up to date before the check; none needed so far. */
  readonly upcast?: Upcaster;
}

/** A stored event that failed its feature's check: the stream holds something the code cannot read. */
export class UnreadableEventError extends Error {
  constructor(streamId: string, revision: number, type: string) {
    super(`Event ${revision} of ${streamId} (type ${type}) is not one this feature can read`);
  }
}

/** A stored event, checked against its feature's union, with the id it was stored under. */
export type StoredEvent<E> = E & { readonly id: string; readonly recorded: RecordedEvent };

/** Checks each stored event against the feature's union (after upcasting), never casting. */
export function checkedEvents<E extends UncheckedEvent>(
  recorded: readonly RecordedEvent[],
  { isEvent, upcast = (event) => event }: EventReading<E>,
): StoredEvent<E>[] {
  return recorded.map((stored) => {
    const event = upcast({ type: stored.type, data: stored.data });
    if (!isEvent(event))
      throw new UnreadableEventError(stored.streamId, stored.revision, stored.type);
    return { ...event, id: stored.id, recorded: stored };
  });
}

/**
 * Like `checkedEvents` for events that carry their id (the read side's record shape): checked in
 * place, without copying, because projectors fold a record's events on every new one.
 */
export function identifiedEvents<
  E extends UncheckedEvent,
  R extends UncheckedEvent & { id: string },
>(events: readonly R[], isEvent: (event: UncheckedEvent) => event is E): readonly (R & E)[] {
  const belongs = (event: R): event is R & E => isEvent(event);
  if (events.every(belongs)) return events;
  const stranger = events.find((event) => !isEvent(event));
  throw new UnreadableEventError('record', -1, stranger?.type ?? '');
}

/** `identifiedEvents` for one event, as a projector applying events one by one needs it. */
export function identifiedEvent<
  E extends UncheckedEvent,
  R extends UncheckedEvent & { id: string },
>(event: R, isEvent: (event: UncheckedEvent) => event is E): R & E {
  if (isEvent(event)) return event;
  throw new UnreadableEventError('record', -1, event.type);
}

export interface AggregateStream<E extends UncheckedEvent, S> {
  readonly state: S;
  readonly events: readonly StoredEvent<E>[];
  /** The stream's last stored event (its revision is what an append must expect). */
  readonly last: RecordedEvent | undefined;
}

/** Reads a stream, checks every event against the feature's union and folds it with the decider. */
export async function aggregateStream<E extends UncheckedEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>,
  reading: EventReading<E>,
): Promise<AggregateStream<E, S>> {
  const recorded = await store.readStream(streamId);
  const events = checkedEvents(recorded, reading);
  return { state: fold(decider, events), events, last: recorded.at(-1) };
}

import { fold, type Decider } from '@tovholder/domain';
import { formatPosition, type EventMetadata, type EventStore } from '@tovholder/event-store';
import { randomUUID } from 'node:crypto';

export interface CommandOutcome {
  /** Global position of what the command wrote: pass it as `waitForPosition` to read it back. */
  readonly position: string;
  readonly revision: number;
}

type DomainEvent = { readonly type: string; readonly data: object };

/**
 * The shape of every command handler: read the stream, fold it, decide, append at the revision
 * that was read. A concurrent writer makes the append fail with WrongExpectedRevisionError.
 */
export async function executeDecider<Command, Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  metadata: EventMetadata,
): Promise<CommandOutcome> {
  const past = await store.readStream(streamId);
  const state = fold(
    decider,
    past.map((recorded) => ({ type: recorded.type, data: recorded.data }) as unknown as Event),
  );
  const events = decider.decide(command, state);
  const last = past.at(-1);
  if (events.length === 0) {
    // Nothing to record (the command asked for what is already so).
    return { position: last ? formatPosition(last.position) : '0-0', revision: last?.revision ?? -1 };
  }
  const result = await store.append(
    streamId,
    events.map((event) => ({
      id: randomUUID(),
      type: event.type,
      data: { ...event.data },
      metadata,
    })),
    last ? last.revision : 'no_stream',
  );
  return { position: formatPosition(result.position), revision: result.nextRevision };
}

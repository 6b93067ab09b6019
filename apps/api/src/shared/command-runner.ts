import { Global, Inject, Injectable, Module } from '@nestjs/common';
import type { Decider, UncheckedEvent } from '@tovholder/domain';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@tovholder/event-store';
import type { Request } from 'express';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { requestMetadata } from '../http/request-metadata';
import type { EventReading } from './aggregate-stream';
import { CLOCK, type Clock } from './clock';
import { executeDecider, type CommandOutcome, type DomainEvent } from './command-execution';

/** One kind of stream: how its id is named, the decider that guards it, how its events are read. */
export interface StreamKind<C, E extends UncheckedEvent, S> {
  readonly streamOf: (id: string) => string;
  readonly decider: Decider<C, E, S>;
  readonly reading: EventReading<E>;
  /** A command on the stream `id`, built (and its facts loaded) by `prepare`. */
  readonly on: (
    id: string,
    prepare: (preparation: Preparation) => C | Promise<C>,
  ) => PendingCommand<C, E, S>;
}

/** What preparing a command may use: the store (other streams' facts), the registries, the time. */
export interface Preparation {
  readonly store: EventStore;
  readonly manager: EntityManager;
  readonly now: Date;
}

/**
 * A command on its way in: the stream it is decided on, and `prepare`, which loads the facts it
 * needs from other streams, checks the records it names and builds the domain command.
 */
export interface PendingCommand<C, E extends UncheckedEvent, S> {
  readonly kind: StreamKind<C, E, S>;
  readonly id: string;
  readonly prepare: (preparation: Preparation) => C | Promise<C>;
  /** Deterministic ids for events a scheduled process records, so a re-run is stored once. */
  readonly eventId?: (event: E, index: number) => string;
}

/**
 * The one path every command takes, from a controller or a scheduled process: prepare, then
 * decide on the stream's state and append at the revision that was read.
 */
@Injectable()
export class CommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `origin` is the HTTP request that asked (its principal goes in the metadata), or metadata. */
  async run<C extends { now: Date }, E extends DomainEvent, S>(
    pending: PendingCommand<C, E, S>,
    origin: Request | EventMetadata,
  ): Promise<CommandOutcome> {
    const metadata = isRequest(origin) ? requestMetadata(origin) : origin;
    const now = this.clock.now();
    const prepared = await pending.prepare({
      store: this.store,
      manager: this.dataSource.manager,
      now,
    });
    const command = withinSkewAsNow(prepared, now, this.config.clockSkewMs);
    return executeDecider(
      this.store,
      pending.kind.streamOf(pending.id),
      pending.kind,
      command,
      metadata,
      pending.eventId,
    );
  }
}

/**
 * A time on the command a little ahead of ours (the caller's clock runs fast) counts as now, so
 * the deciders' "never in the future" allows the configured skew; further ahead is refused.
 */
function withinSkewAsNow<C extends { now: Date }>(command: C, now: Date, skewMs: number): C {
  let adjusted: C | null = null;
  for (const [key, value] of Object.entries(command)) {
    if (!(value instanceof Date)) continue;
    const ahead = value.getTime() - now.getTime();
    if (ahead > 0 && ahead <= skewMs) adjusted = { ...(adjusted ?? command), [key]: now };
  }
  return adjusted ?? command;
}

function isRequest(origin: Request | EventMetadata): origin is Request {
  return typeof (origin as Partial<Request>).header === 'function';
}

@Global()
@Module({ providers: [CommandRunner], exports: [CommandRunner] })
export class CommandsModule {}

/** A stream kind from its parts, its types taken from the decider. */
export const streamKind = <C, E extends UncheckedEvent, S>(
  streamOf: (id: string) => string,
  decider: Decider<C, E, S>,
  isEvent: (event: UncheckedEvent) => event is E,
): StreamKind<C, E, S> => {
  const kind: StreamKind<C, E, S> = {
    streamOf,
    decider,
    reading: { isEvent },
    on: (id, prepare) => ({ kind, id, prepare }),
  };
  return kind;
};

import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  caseDecider,
  caseStream,
  caseworkerDecider,
  caseworkerStream,
  familyDecider,
  familyStream,
  transitionDecider,
  transitionStream,
  type CaseCommand,
  type CaseworkerCommand,
  type Decider,
  type FamilyCommand,
  type TransitionCommand,
} from '@tovholder/domain';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@tovholder/event-store';
import { executeDecider, type CommandOutcome, type DomainEvent } from './command-execution';

/** One command for every stream: decide `command` with `decider` on `streamId`'s events. */
export class Decide<
  C extends { now: Date },
  E extends DomainEvent,
  S,
> extends Command<CommandOutcome> {
  constructor(
    readonly streamId: string,
    readonly decider: Decider<C, E, S>,
    readonly command: C,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

@CommandHandler(Decide)
export class DecideHandler implements ICommandHandler<Decide<{ now: Date }, DomainEvent, unknown>> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({
    streamId,
    decider,
    command,
    metadata,
  }: Decide<{ now: Date }, DomainEvent, unknown>): Promise<CommandOutcome> {
    return executeDecider(this.store, streamId, decider, command, metadata);
  }
}

export const decideOnCase = (command: CaseCommand, metadata: EventMetadata) =>
  new Decide(caseStream(command.caseId), caseDecider, command, metadata);

export const decideOnFamily = (command: FamilyCommand, metadata: EventMetadata) =>
  new Decide(familyStream(command.familyId), familyDecider, command, metadata);

export const decideOnCaseworker = (command: CaseworkerCommand, metadata: EventMetadata) =>
  new Decide(caseworkerStream(command.caseworkerId), caseworkerDecider, command, metadata);

export const decideOnTransition = (command: TransitionCommand, metadata: EventMetadata) =>
  new Decide(transitionStream(command.personId), transitionDecider, command, metadata);

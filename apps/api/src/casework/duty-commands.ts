import { Inject, Injectable, NotFoundException, ParseUUIDPipe } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Decider } from '@tovholder/domain';
import type { Request } from 'express';
import { requestMetadata } from '../http/request-metadata';
import { CLOCK, type Clock } from '../shared/clock';
import type { CommandOutcome, DomainEvent } from '../shared/command-execution';
import { Decide } from '../shared/decide.command';

/** A record id in a path: a malformed one is simply not found. */
export const recordIdPipe = (code: string, message: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new NotFoundException({ code, message }) });

/** Runs a duty's command on its stream, with the request's metadata and the clock's now. */
@Injectable()
export class DutyCommands {
  constructor(
    private readonly commands: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  run<C extends { now: Date }, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    request: Request,
    command: (now: Date) => C,
  ): Promise<CommandOutcome> {
    return this.commands.execute(
      new Decide(streamId, decider, command(this.clock.now()), requestMetadata(request)),
    );
  }
}

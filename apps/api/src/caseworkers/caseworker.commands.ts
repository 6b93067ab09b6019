import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { caseworkerDecider, caseworkerStream, type CaseworkerCommand } from '@tovholder/domain';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@tovholder/event-store';
import { executeDecider, type CommandOutcome } from '../shared/command-execution';

export class ExecuteCaseworkerCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: CaseworkerCommand,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExecuteCaseworkerCommand)
export class ExecuteCaseworkerCommandHandler implements ICommandHandler<ExecuteCaseworkerCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command, metadata }: ExecuteCaseworkerCommand): Promise<CommandOutcome> {
    return executeDecider(
      this.store,
      caseworkerStream(command.caseworkerId),
      caseworkerDecider,
      command,
      metadata,
    );
  }
}

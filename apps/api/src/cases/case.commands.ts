import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStream, type CaseCommand } from '@tovholder/domain';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@tovholder/event-store';
import { executeDecider, type CommandOutcome } from '../shared/command-execution';

export class ExecuteCaseCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: CaseCommand,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExecuteCaseCommand)
export class ExecuteCaseCommandHandler implements ICommandHandler<ExecuteCaseCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command, metadata }: ExecuteCaseCommand): Promise<CommandOutcome> {
    return executeDecider(this.store, caseStream(command.caseId), caseDecider, command, metadata);
  }
}

import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { familyDecider, familyStream, type FamilyCommand } from '@tovholder/domain';
import { EVENT_STORE, type EventMetadata, type EventStore } from '@tovholder/event-store';
import { executeDecider, type CommandOutcome } from '../shared/command-execution';

export class ExecuteFamilyCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: FamilyCommand,
    readonly metadata: EventMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExecuteFamilyCommand)
export class ExecuteFamilyCommandHandler implements ICommandHandler<ExecuteFamilyCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ command, metadata }: ExecuteFamilyCommand): Promise<CommandOutcome> {
    return executeDecider(
      this.store,
      familyStream(command.familyId),
      familyDecider,
      command,
      metadata,
    );
  }
}

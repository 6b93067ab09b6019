import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import type { CommandOutcome } from '../shared/command-execution';

/** What a command on an existing record answers, as documented in the OpenAPI document. */
export class CommandOutcomeDto implements CommandOutcome {
  @ApiProperty({
    description:
      'Global position of what the command wrote: pass it as `waitForPosition` to read it back',
    example: '812-4031',
  })
  readonly position!: string;

  @ApiProperty({ description: "The record's stream revision after the command", example: 3 })
  readonly revision!: number;

  @ApiProperty({
    description: 'Events the command recorded: 0 when it asked for what was already so',
    example: 1,
  })
  readonly written!: number;
}

/** The 200 of a command on an existing record: `CommandOutcomeDto`. */
export const ApiCommandOutcome = (): MethodDecorator =>
  ApiOkResponse({
    type: CommandOutcomeDto,
    description: 'Recorded, or already so: where to read it back',
  });

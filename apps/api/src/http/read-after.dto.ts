import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** Read-your-writes: a query may ask to see at least what a command wrote. */
export class ReadAfterDto {
  @ApiPropertyOptional({
    description:
      'The `position` a command returned. The query waits (bounded) until the view includes it, else 503; a position no command returned (past the log) is a 400.',
    example: '812-4031',
  })
  @IsOptional()
  @Matches(/^\d{1,20}-\d{1,20}$/, {
    message: 'waitForPosition must be a position as returned by a command',
  })
  waitForPosition?: string;
}

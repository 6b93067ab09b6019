import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDate, IsOptional } from 'class-validator';
import { isoDateTimeMessage, ToIsoDateTime } from './fields';

/** When a step happened, if not now (e.g. a meeting last week recorded today). */
export class HappenedAtDto {
  @ApiPropertyOptional({
    example: '2026-09-01T10:00:00Z',
    description: 'When it happened; default now, never in the future',
  })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('at') })
  at?: Date;
}

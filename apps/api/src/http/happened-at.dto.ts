import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional } from 'class-validator';

/** When a step happened, if not now (e.g. a meeting last week recorded today). */
export class HappenedAtDto {
  @ApiPropertyOptional({
    example: '2026-09-01T10:00:00Z',
    description: 'When it happened; default now, never in the future',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'at must be an ISO 8601 date-time' })
  at?: Date;
}

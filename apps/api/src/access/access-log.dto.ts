import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { isoDateTimeMessage, ToIsoDateTime } from '../http/fields';

export class AccessLogQueryDto {
  @ApiPropertyOptional({ description: 'The token subject of whoever read', example: 'cw-anna' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reads of this person’s data' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reads of this case (not of its family)' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Reads of this family’s data' })
  @IsOptional()
  @IsUUID('all', { message: 'familyId must be a UUID' })
  familyId?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z' })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('from') })
  from?: Date;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'Exclusive' })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('to') })
  to?: Date;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export class CitizenReportQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'Default: a year back' })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('from') })
  from?: Date;

  @ApiPropertyOptional({ enum: ['json', 'text'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'text'])
  format: 'json' | 'text' = 'json';
}

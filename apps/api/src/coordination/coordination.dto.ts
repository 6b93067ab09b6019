import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COORDINATION_FLAG_CODES, type CoordinationFlagCode } from '@tovholder/domain';
import { IsDate, IsIn, IsOptional, Matches, ValidateIf } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { PageQueryDto } from '../http/page';
import { ReadAfterDto } from '../http/read-after.dto';
import { isoDateTimeMessage, ToIsoDateTime } from '../http/fields';

export class ListFlagsDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COORDINATION_FLAG_CODES })
  @IsOptional()
  @IsIn(COORDINATION_FLAG_CODES)
  code?: CoordinationFlagCode;

  @ApiPropertyOptional({
    example: 'CHP',
    description: 'Flags of families with open cases in this department',
  })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

export class CaseloadDto extends ReadAfterDto {
  @ApiPropertyOptional({ example: 'CHP' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

export class HistoryDto {
  @ApiProperty({
    example: '2026-03-01T12:00:00Z',
    description: 'The moment to show the family as it was',
  })
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('asOf') })
  asOf!: Date;
}

/** A family's history: as it was (`asOf`, effective time), as it was shown (`knownAt`), or both. */
export class FamilyHistoryDto extends ReadAfterDto {
  @ApiPropertyOptional({
    example: '2026-03-01T12:00:00Z',
    description:
      'How the family was at this moment as we know it now: steps count from when they happened, however late they were recorded. Default: knownAt',
  })
  @ValidateIf((query: FamilyHistoryDto) => query.knownAt === undefined || query.asOf !== undefined)
  @ToIsoDateTime()
  @IsDate({ message: `${isoDateTimeMessage('asOf')} (give asOf, knownAt or both)` })
  asOf?: Date;

  @ApiPropertyOptional({
    example: '2026-03-05T12:00:00Z',
    description:
      'Only what had been recorded by this moment: what Tovholder showed then. With asOf: that moment as it was known at this one',
  })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('knownAt') })
  knownAt?: Date;
}

export class FlagDto {
  @ApiProperty({ enum: COORDINATION_FLAG_CODES })
  code!: CoordinationFlagCode;

  @ApiProperty({ format: 'uuid' })
  familyId!: string;

  @ApiProperty({ format: 'uuid', description: 'The family, or the case the flag is about' })
  subjectId!: string;

  @ApiProperty({
    description: 'When the flag was raised (for deadline flags: when the deadline passed)',
  })
  since!: string;

  @ApiProperty({ type: [String], description: 'Ids of the events that raised it' })
  eventIds!: string[];

  @ApiProperty({ type: [String] })
  departmentIds!: string[];

  @ApiProperty({ type: Object })
  details!: Record<string, string | number>;
}

import { ApiProperty } from '@nestjs/swagger';
import { DEADLINE_UNITS, type DeadlineUnit } from '@tovholder/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsIn,
  IsInt,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

/** Case types are free text in the municipality's own vocabulary; '*' is the fallback. */
/** Never six digits in a row: a CPR number must not pass for a case type (case types reach events). */
export const CASE_TYPE_PATTERN = /^(\*|(?!.*\d{6})[a-z0-9][a-z0-9-]{0,63})$/;

export class PutProcessingDeadlineDto {
  @ApiProperty({ example: 12 })
  @IsInt()
  @Min(1)
  @Max(730)
  amount!: number;

  @ApiProperty({ enum: DEADLINE_UNITS, example: 'weeks' })
  @IsIn(DEADLINE_UNITS)
  unit!: DeadlineUnit;
}

export class ImportedProcessingDeadlineDto extends PutProcessingDeadlineDto {
  @ApiProperty({ example: 'disability-support' })
  @Matches(CASE_TYPE_PATTERN, {
    message: "caseType must be '*' or 1-64 lower-case letters, digits or -",
  })
  caseType!: string;
}

export class ImportProcessingDeadlinesDto {
  @ApiProperty({ type: [ImportedProcessingDeadlineDto] })
  @ValidateNested({ each: true })
  @Type(() => ImportedProcessingDeadlineDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  deadlines!: ImportedProcessingDeadlineDto[];
}

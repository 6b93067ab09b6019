import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SUPERVISION_ANSWERS,
  SUPERVISION_SEED_MAX_LENGTH,
  type SupervisionAnswer,
} from '@tovholder/domain';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { HappenedAtDto } from '../http/happened-at.dto';
import { NoCprNumber } from '../http/fields';

/** Large enough for any team's supervision round; a bigger "sample" is a full review. */
export const MAX_SAMPLE_SIZE = 200;

export class DrawSampleDto {
  @ApiProperty({ example: 'CBU', description: 'The team whose open cases are drawn from' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiProperty({ example: 10, minimum: 1, maximum: MAX_SAMPLE_SIZE })
  @IsInt({ message: 'size must be a whole number' })
  @Min(1)
  @Max(MAX_SAMPLE_SIZE)
  size!: number;

  @ApiPropertyOptional({
    example: '2026-Q3-CBU',
    description:
      'Makes the draw reproducible; default a random UUID. It is recorded with the sample.',
  })
  @IsOptional()
  @IsString()
  @Length(1, SUPERVISION_SEED_MAX_LENGTH)
  @NoCprNumber('seed')
  seed?: string;

  @ApiProperty({ format: 'uuid', description: 'The manager (a caseworker id) who draws it' })
  @IsUUID('all', { message: 'drawnBy must be a UUID' })
  drawnBy!: string;
}

const answer = (field: string) =>
  IsIn(SUPERVISION_ANSWERS, {
    message: `${field} must be one of ${SUPERVISION_ANSWERS.join(', ')}`,
  });

/** One answer per question of the guide (GET /supervision/questions). */
export class SupervisionAnswersDto {
  @ApiProperty({ enum: SUPERVISION_ANSWERS })
  @answer('decisionCorrect')
  decisionCorrect!: SupervisionAnswer;

  @ApiProperty({ enum: SUPERVISION_ANSWERS })
  @answer('reasonsAdequate')
  reasonsAdequate!: SupervisionAnswer;

  @ApiProperty({ enum: SUPERVISION_ANSWERS })
  @answer('hearingDone')
  hearingDone!: SupervisionAnswer;

  @ApiProperty({ enum: SUPERVISION_ANSWERS })
  @answer('consentObtained')
  consentObtained!: SupervisionAnswer;

  @ApiProperty({ enum: SUPERVISION_ANSWERS })
  @answer('appealGuidanceGiven')
  appealGuidanceGiven!: SupervisionAnswer;

  @ApiProperty({ enum: SUPERVISION_ANSWERS })
  @answer('notesAdequate')
  notesAdequate!: SupervisionAnswer;
}

export class RecordReviewDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'A case in the sample' })
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId!: string;

  @ApiProperty({ format: 'uuid', description: 'The reviewing manager (a caseworker id)' })
  @IsUUID('all', { message: 'reviewerId must be a UUID' })
  reviewerId!: string;

  @ApiProperty({ type: SupervisionAnswersDto })
  @IsDefined({ message: 'answers is required' })
  @IsObject({ message: 'answers must be an object with one answer per question' })
  @ValidateNested()
  @Type(() => SupervisionAnswersDto)
  answers!: SupervisionAnswersDto;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  FILE_ACCESS_DELAY_REASONS,
  FILE_ACCESS_OUTCOMES,
  type ContactChannel,
  type FileAccessDelayReason,
  type FileAccessOutcome,
} from '@tovholder/domain';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { ISO_DATE_PATTERN, isoDateMessage } from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';

export class RequestFileAccessDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The requester (from the person registry)' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @ApiProperty({ example: 'CBU' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The case asked about, if any' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'e-mail' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;
}

export class FileAccessDelayLetterDto extends HappenedAtDto {
  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'digital-post' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiProperty({ enum: FILE_ACCESS_DELAY_REASONS })
  @IsIn(FILE_ACCESS_DELAY_REASONS)
  reason!: FileAccessDelayReason;

  @ApiProperty({
    example: '2026-04-30',
    description: 'When the requester can expect the answer: after the 7-working-day deadline',
  })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('expectedBy') })
  expectedBy!: string;
}

export class AnswerFileAccessDto extends HappenedAtDto {
  @ApiProperty({ enum: FILE_ACCESS_OUTCOMES })
  @IsIn(FILE_ACCESS_OUTCOMES)
  outcome!: FileAccessOutcome;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'digital-post' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  INQUIRY_POSTPONEMENT_REASONS,
  type ContactChannel,
  type InquiryPostponementReason,
} from '@tovholder/domain';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { ISO_DATE_PATTERN, isoDateMessage } from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';

export class RecordInquiryDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The citizen (from the person registry)' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @ApiProperty({ example: 'CBU' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The case it is about, if any' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'e-mail' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;
}

export class AcknowledgeInquiryDto extends HappenedAtDto {
  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'digital-post' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiProperty({
    example: '2026-12-15',
    description: 'The date the citizen is told to expect the answer',
  })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('answerPromisedBy') })
  answerPromisedBy!: string;
}

export class PostponeInquiryDto extends HappenedAtDto {
  @ApiProperty({ example: '2027-01-10', description: 'The new date the citizen is told' })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('answerPromisedBy') })
  answerPromisedBy!: string;

  @ApiProperty({ enum: INQUIRY_POSTPONEMENT_REASONS })
  @IsIn(INQUIRY_POSTPONEMENT_REASONS)
  reason!: InquiryPostponementReason;
}

export class AnswerInquiryDto extends HappenedAtDto {
  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'digital-post' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;
}

import { ApiProperty } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  INQUIRY_POSTPONEMENT_REASONS,
  type ContactChannel,
  type InquiryPostponementReason,
} from '@tovholder/domain';
import { IsIn, Matches } from 'class-validator';
import { ISO_DATE_PATTERN, isoDateMessage } from '../http/fields';
import { CitizenRequestDto } from '../casework/citizen-request.dto';
import { HappenedAtDto } from '../http/happened-at.dto';

/** The citizen's inquiry. */
export class RecordInquiryDto extends CitizenRequestDto {}

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

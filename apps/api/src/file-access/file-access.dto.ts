import { ApiProperty } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  FILE_ACCESS_DELAY_REASONS,
  FILE_ACCESS_OUTCOMES,
  type ContactChannel,
  type FileAccessDelayReason,
  type FileAccessOutcome,
} from '@tovholder/domain';
import { IsIn, Matches } from 'class-validator';
import { ISO_DATE_PATTERN, isoDateMessage } from '../http/fields';
import { CitizenRequestDto } from '../casework/citizen-request.dto';
import { HappenedAtDto } from '../http/happened-at.dto';

/** The citizen's request for access to the file. */
export class RequestFileAccessDto extends CitizenRequestDto {}

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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  APPLICATION_LETTER_CHANNELS,
  BOARD_RULING_OUTCOMES,
  CONSENT_STATUSES,
  DECISION_ITEMS,
  DECISION_OUTCOMES,
  DELAY_REASONS,
  HEARING_NOT_NEEDED_REASONS,
  HEARING_STATUSES,
  REASSESSMENT_OUTCOMES,
  type BoardRulingOutcome,
  type ConsentStatus,
  type DecisionItem,
  type DecisionOutcome,
  type DelayReason,
  type HearingNotNeededReason,
  type HearingStatus,
  type ReassessmentOutcome,
} from '@tovholder/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ISO_DATE_PATTERN, isoDateMessage } from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';

type LetterChannel = (typeof APPLICATION_LETTER_CHANNELS)[number];

export class ReceiveApplicationDto extends HappenedAtDto {
  @ApiProperty({
    example: '2026-11-02',
    description: 'The day the application reached the municipality (the deadline runs from it)',
  })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('applicationDate') })
  applicationDate!: string;
}

export class DelayNoticeDto extends HappenedAtDto {
  @ApiProperty({ enum: APPLICATION_LETTER_CHANNELS })
  @IsIn(APPLICATION_LETTER_CHANNELS)
  channel!: LetterChannel;

  @ApiProperty({
    example: '2027-02-01',
    description: 'When the citizen can now expect the decision',
  })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('expectedDecisionBy') })
  expectedDecisionBy!: string;

  @ApiProperty({ enum: DELAY_REASONS })
  @IsIn(DELAY_REASONS)
  reason!: DelayReason;
}

export class DecisionChecklistDto {
  @ApiProperty({ description: 'Reasons given (Forvaltningsloven §§ 22, 24)' })
  @IsBoolean()
  reasonsGiven!: boolean;

  @ApiProperty({ enum: HEARING_STATUSES, description: 'Hearing of the party (§ 19)' })
  @IsIn(HEARING_STATUSES)
  hearing!: HearingStatus;

  @ApiPropertyOptional({
    enum: HEARING_NOT_NEEDED_REASONS,
    description: "Why no hearing was needed; required when hearing is 'not-needed'",
  })
  @IsOptional()
  @IsIn(HEARING_NOT_NEEDED_REASONS)
  hearingNotNeededReason?: HearingNotNeededReason;

  @ApiProperty({ description: 'Guidance on how to appeal included (§ 25)' })
  @IsBoolean()
  appealGuidanceIncluded!: boolean;

  @ApiProperty({ enum: CONSENT_STATUSES, description: 'Consent where information was collected' })
  @IsIn(CONSENT_STATUSES)
  consent!: ConsentStatus;
}

export class IssueApplicationDecisionDto extends HappenedAtDto {
  @ApiProperty({ enum: DECISION_OUTCOMES })
  @IsIn(DECISION_OUTCOMES)
  outcome!: DecisionOutcome;

  @ApiProperty({ enum: APPLICATION_LETTER_CHANNELS })
  @IsIn(APPLICATION_LETTER_CHANNELS)
  channel!: LetterChannel;

  @ApiProperty({ type: DecisionChecklistDto })
  @IsDefined({ message: 'checklist is required' })
  @IsObject({ message: 'checklist must be an object' })
  @ValidateNested()
  @Type(() => DecisionChecklistDto)
  checklist!: DecisionChecklistDto;
}

export class SupplementDecisionDto extends HappenedAtDto {
  @ApiProperty({ enum: DECISION_ITEMS, isArray: true, example: ['appeal-guidance'] })
  @IsIn(DECISION_ITEMS, { each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(DECISION_ITEMS.length)
  supplied!: DecisionItem[];

  @ApiProperty({ enum: APPLICATION_LETTER_CHANNELS })
  @IsIn(APPLICATION_LETTER_CHANNELS)
  channel!: LetterChannel;
}

export class ReassessmentDto extends HappenedAtDto {
  @ApiProperty({ enum: REASSESSMENT_OUTCOMES })
  @IsIn(REASSESSMENT_OUTCOMES)
  outcome!: ReassessmentOutcome;
}

export class BoardRulingDto extends HappenedAtDto {
  @ApiProperty({ enum: BOARD_RULING_OUTCOMES })
  @IsIn(BOARD_RULING_OUTCOMES)
  outcome!: BoardRulingOutcome;
}

export class ApologyDto extends HappenedAtDto {
  @ApiProperty({ enum: APPLICATION_LETTER_CHANNELS })
  @IsIn(APPLICATION_LETTER_CHANNELS)
  channel!: LetterChannel;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  DIALOGUE_PARTIES,
  TRANSITION_CLOSE_REASONS,
  TRANSITION_FLAG_CODES,
  TRANSITION_TRACKS,
  type DialogueParty,
  type TransitionCloseReason,
  type TransitionFlagCode,
  type TransitionTrack,
} from '@tovholder/domain';
import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { HappenedAtDto } from '../http/happened-at.dto';
import { ISO_DATE_PATTERN, isoDateMessage, NoCprNumber } from '../http/fields';
import { PageQueryDto } from '../http/page';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class StartPreparationDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The caseworker starting the preparation' })
  @IsUUID('all', { message: 'caseworkerId must be a UUID' })
  caseworkerId!: string;

  @ApiProperty({ enum: DIALOGUE_PARTIES, isArray: true, example: ['young-person', 'parents'] })
  @IsIn(DIALOGUE_PARTIES, { each: true })
  @ArrayMaxSize(2)
  inDialogueWith!: DialogueParty[];
}

export class ChooseTrackDto extends HappenedAtDto {
  @ApiProperty({ enum: TRANSITION_TRACKS, example: 'residential-home-vum' })
  @IsIn(TRANSITION_TRACKS)
  track!: TransitionTrack;

  @ApiPropertyOptional({ description: "Required for 'other'; no names or CPR numbers" })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @NoCprNumber('note')
  note?: string;
}

export class AssignAdultCaseworkerDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'caseworkerId must be a UUID' })
  caseworkerId!: string;

  @ApiProperty({ example: 'CHP', description: 'The adult-side department' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;
}

export class StepDto extends HappenedAtDto {}

export class IssueDecisionDto extends HappenedAtDto {
  @ApiProperty({
    example: '2028-06-15',
    description: 'The day the decision takes effect (the 18th birthday at the latest)',
  })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('effectiveFrom') })
  effectiveFrom!: string;
}

export class CloseTransitionDto extends HappenedAtDto {
  @ApiProperty({ enum: TRANSITION_CLOSE_REASONS })
  @IsIn(TRANSITION_CLOSE_REASONS)
  reason!: TransitionCloseReason;

  @ApiPropertyOptional({ description: "Required for 'other'; no names or CPR numbers" })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @NoCprNumber('note')
  note?: string;
}

export class ListTransitionsDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: [16, 18],
    default: 16,
    description: 'Which birthday the month range is about',
  })
  @IsOptional()
  @Type(() => Number)
  @IsIn([16, 18], { message: 'turning must be 16 or 18' })
  turning?: 16 | 18;

  @ApiPropertyOptional({ example: '2026-09' })
  @IsOptional()
  @Matches(MONTH, { message: 'fromMonth must be a month YYYY-MM' })
  fromMonth?: string;

  @ApiPropertyOptional({ example: '2027-02' })
  @IsOptional()
  @Matches(MONTH, { message: 'toMonth must be a month YYYY-MM' })
  toMonth?: string;

  @ApiPropertyOptional({ enum: TRANSITION_FLAG_CODES })
  @IsOptional()
  @IsIn(TRANSITION_FLAG_CODES)
  flag?: TransitionFlagCode;

  @ApiPropertyOptional({ example: 'CHP' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;

  @ApiPropertyOptional({ enum: TRANSITION_TRACKS })
  @IsOptional()
  @IsIn(TRANSITION_TRACKS)
  track?: TransitionTrack;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SHORT_TEXT_MAX_LENGTH } from '@tovholder/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import {
  ISO_DATE_PATTERN,
  isoDateMessage,
  isoDateTimeMessage,
  NoCprNumber,
  ToIsoDateTime,
} from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';
import { PageQueryDto } from '../http/page';

// Validation messages never quote the value: minutes text may hold personal data.
const TEXT_DESCRIPTION = `At most ${SHORT_TEXT_MAX_LENGTH} characters; the matter only, never a CPR number`;
const tooLong = (field: string) => `${field} must be at most ${SHORT_TEXT_MAX_LENGTH} characters`;
const MAX_DECISIONS = 50;

/**
 * `<section>:<subject id>` (agenda.ts), the subject id a UUID, maybe after a record kind. Strict:
 * the id reaches events, and a UUID's digits can look like a CPR number to the free-text guard.
 */
const AGENDA_ITEM_ID_PATTERN =
  /^[a-z][a-z-]*(?::[a-z][a-z-]*)?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PlanMeetingDto {
  @ApiProperty({
    example: '2026-04-09',
    description: 'The meeting day: a working day, today or later',
  })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('date') })
  date!: string;

  @ApiPropertyOptional({ example: 'CBU', description: 'Default: MEETING_CHAIR_DEPARTMENT' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `chairDepartmentId ${DEPARTMENT_ID_MESSAGE}` })
  chairDepartmentId?: string;

  @ApiPropertyOptional({
    example: ['CBU', 'CHP', 'JOBCENTER'],
    description: "Default: MEETING_DEPARTMENTS; the chair's department is always included",
  })
  @IsOptional()
  @IsArray({ message: 'departmentIds must be a list' })
  @ArrayMinSize(1, { message: 'departmentIds must name at least one department' })
  @ArrayMaxSize(50, { message: 'departmentIds must name at most 50 departments' })
  @Matches(DEPARTMENT_ID_PATTERN, {
    each: true,
    message: `each of departmentIds ${DEPARTMENT_ID_MESSAGE}`,
  })
  departmentIds?: string[];

  @ApiPropertyOptional({
    example: '2026-04-01T21:59:59.999Z',
    description:
      'Matters known after this instant wait for the next meeting. Default: the end of the day AGENDA_CUT_OFF_WORKING_DAYS working days before the meeting',
  })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('agendaCutOffAt') })
  agendaCutOffAt?: Date;
}

export class FreezeAgendaDto {
  @ApiPropertyOptional({ description: 'Freeze before the cut-off (recorded as early)' })
  @IsOptional()
  @IsBoolean({ message: 'force must be true or false' })
  force?: boolean;
}

export class ItemMinutesDto extends HappenedAtDto {
  @ApiProperty({ example: 'CHP takes the primary contact', description: TEXT_DESCRIPTION })
  @IsString({ message: 'outcome must be text' })
  @MaxLength(SHORT_TEXT_MAX_LENGTH, { message: tooLong('outcome') })
  @NoCprNumber('outcome')
  outcome!: string;

  @ApiProperty({ type: [String], example: ['Primary contact from CHP by Friday'] })
  @IsArray({ message: 'decisions must be a list of texts' })
  @ArrayMaxSize(MAX_DECISIONS, { message: `decisions must hold at most ${MAX_DECISIONS} texts` })
  @IsString({ each: true, message: 'each decision must be text' })
  @MaxLength(SHORT_TEXT_MAX_LENGTH, { each: true, message: tooLong('each decision') })
  @NoCprNumber('each of decisions', { each: true })
  decisions!: string[];
}

export class CorrectMinutesDto extends ItemMinutesDto {
  @ApiProperty({ example: 'The department was named wrongly', description: TEXT_DESCRIPTION })
  @IsString({ message: 'reason must be text' })
  @MaxLength(SHORT_TEXT_MAX_LENGTH, { message: tooLong('reason') })
  @NoCprNumber('reason')
  reason!: string;
}

/** Exactly one of the two (checked by the controller: the message then names `owner`). */
export class AgreementOwnerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'An active caseworker' })
  @IsOptional()
  @IsUUID('all', { message: 'owner.caseworkerId must be a UUID' })
  caseworkerId?: string;

  @ApiPropertyOptional({ example: 'CHP' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `owner.departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

export class MakeAgreementDto extends HappenedAtDto {
  @ApiProperty({
    example: 'primary-contact-missing:6f1c…',
    description:
      "An item on the frozen agenda, or 'other:<uuid>' for a matter raised at the meeting",
  })
  @IsString({ message: 'itemId must be text' })
  @MaxLength(200, { message: 'itemId must be at most 200 characters' })
  @Matches(AGENDA_ITEM_ID_PATTERN, { message: 'itemId must be an agenda item id <section>:<id>' })
  itemId!: string;

  @ApiProperty({ example: 'Appoint a primary contact from CHP', description: TEXT_DESCRIPTION })
  @IsString({ message: 'what must be text' })
  @MaxLength(SHORT_TEXT_MAX_LENGTH, { message: tooLong('what') })
  @NoCprNumber('what')
  what!: string;

  @ApiProperty({ type: AgreementOwnerDto, description: '{ caseworkerId } or { departmentId }' })
  @IsObject({ message: 'owner must be { caseworkerId } or { departmentId }' })
  @ValidateNested()
  @Type(() => AgreementOwnerDto)
  owner!: AgreementOwnerDto;

  @ApiProperty({ example: '2026-04-30', description: 'The last day on time' })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('dueDate') })
  dueDate!: string;
}

export class ApproveMinutesDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The caseworker who approves (must be active)' })
  @IsUUID('all', { message: 'caseworkerId must be a UUID' })
  caseworkerId!: string;
}

export class CompleteAgreementDto extends HappenedAtDto {
  @ApiPropertyOptional({ description: TEXT_DESCRIPTION })
  @IsOptional()
  @IsString({ message: 'note must be text' })
  @MaxLength(SHORT_TEXT_MAX_LENGTH, { message: tooLong('note') })
  @NoCprNumber('note')
  note?: string;
}

export class CancelAgreementDto extends HappenedAtDto {
  @ApiProperty({ example: 'The family moved away', description: TEXT_DESCRIPTION })
  @IsString({ message: 'reason must be text' })
  @MaxLength(SHORT_TEXT_MAX_LENGTH, { message: tooLong('reason') })
  @NoCprNumber('reason')
  reason!: string;
}

export class ListMeetingsDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Meetings on or after this day' })
  @IsOptional()
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('fromDate') })
  fromDate?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Meetings on or before this day' })
  @IsOptional()
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('toDate') })
  toDate?: string;
}

export const AGREEMENT_LIST_STATUSES = ['open', 'overdue'] as const;
export type AgreementListStatus = (typeof AGREEMENT_LIST_STATUSES)[number];

export class ListAgreementsDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: AGREEMENT_LIST_STATUSES,
    default: 'open',
    description: "'open': every open agreement; 'overdue': only those past their due date",
  })
  @IsOptional()
  @IsIn(AGREEMENT_LIST_STATUSES, { message: "status must be 'open' or 'overdue'" })
  status: AgreementListStatus = 'open';

  @ApiPropertyOptional({
    example: 'CHP',
    description: 'Agreements the department carries out: owned by it or by one of its caseworkers',
  })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

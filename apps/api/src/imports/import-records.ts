import {
  APPLICATION_LETTER_CHANNELS,
  COMPLAINT_TOPICS,
  CONTACT_CHANNELS,
  DELAY_REASONS,
  FAMILY_ROLES,
  INQUIRY_POSTPONEMENT_REASONS,
  type ComplaintTopic,
  type ContactChannel,
  type DelayReason,
  type FamilyRole,
  type InquiryPostponementReason,
} from '@tovholder/domain';
import { SHORT_TEXT_MAX_LENGTH } from '@tovholder/domain/shared/free-text';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { DEPARTMENT_AREAS, type DepartmentArea } from '../departments/default-departments';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { ISO_DATE_PATTERN, isoDateMessage } from '../http/fields';
import { SourceKeyDto } from '../source-keys/source-key';

/**
 * One line of an import file each. The classes are validated with class-validator exactly as the
 * API validates its bodies (whitelist, no unknown fields), and docs/import.schema.json describes
 * the same shapes for the municipality's exporters.
 */
export const RECORD_KINDS = [
  'department',
  'caseworker',
  'person',
  'family',
  'case',
  'inquiry',
  'application',
  'complaint',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

const TIMESTAMP = { strict: true, strictSeparator: true } as const;
const timestamp = (field: string) => ({ message: `${field} must be an ISO 8601 date and time` });

export class DepartmentRecord {
  @IsIn(['department'])
  kind!: 'department';

  @Matches(DEPARTMENT_ID_PATTERN, { message: `id ${DEPARTMENT_ID_MESSAGE}` })
  id!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsIn(DEPARTMENT_AREAS)
  area!: DepartmentArea;
}

export class CaseworkerRecord {
  @IsIn(['caseworker'])
  kind!: 'caseworker';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsISO8601(TIMESTAMP, timestamp('registeredAt'))
  registeredAt!: string;
}

export class PersonRecord {
  @IsIn(['person'])
  kind!: 'person';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @IsString({ message: 'cpr must be a string' })
  cpr!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsOptional()
  @IsBoolean()
  exemptFromDigitalPost?: boolean;
}

export class FamilyMemberRecord {
  @ValidateNested()
  @Type(() => SourceKeyDto)
  person!: SourceKeyDto;

  @IsIn(FAMILY_ROLES)
  role!: FamilyRole;

  @IsISO8601(TIMESTAMP, timestamp('addedAt'))
  addedAt!: string;
}

/** One holder of a case or a family in a succession: a reason for a change, when it was told. */
export class SuccessionRecord {
  @ValidateNested()
  @Type(() => SourceKeyDto)
  caseworker!: SourceKeyDto;

  @IsOptional()
  @IsString()
  @Length(1, SHORT_TEXT_MAX_LENGTH)
  reason?: string;

  @IsOptional()
  @IsISO8601(TIMESTAMP, timestamp('toldAt'))
  toldAt?: string;

  @IsOptional()
  @IsIn(CONTACT_CHANNELS)
  toldChannel?: ContactChannel;
}

/** One holder of the family's primary contact, from `since` until the next one. */
export class PrimaryContactRecord extends SuccessionRecord {
  @IsISO8601(TIMESTAMP, timestamp('since'))
  since!: string;
}

export class FamilyRecord {
  @IsIn(['family'])
  kind!: 'family';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @IsISO8601(TIMESTAMP, timestamp('registeredAt'))
  registeredAt!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FamilyMemberRecord)
  members!: FamilyMemberRecord[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PrimaryContactRecord)
  primaryContacts?: PrimaryContactRecord[];
}

/** One caseworker on the case from `from`; the first is assigned, the later ones are changes. */
export class CaseworkerPeriodRecord extends SuccessionRecord {
  @IsISO8601(TIMESTAMP, timestamp('from'))
  from!: string;
}

export class CaseRecord {
  @IsIn(['case'])
  kind!: 'case';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @ValidateNested()
  @Type(() => SourceKeyDto)
  person!: SourceKeyDto;

  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @IsString()
  @Length(1, 64)
  caseType!: string;

  @IsISO8601(TIMESTAMP, timestamp('openedAt'))
  openedAt!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CaseworkerPeriodRecord)
  caseworkers?: CaseworkerPeriodRecord[];

  @IsOptional()
  @IsISO8601(TIMESTAMP, timestamp('closedAt'))
  closedAt?: string;

  @IsOptional()
  @IsString()
  @Length(1, SHORT_TEXT_MAX_LENGTH)
  closeReason?: string;
}

/** The acknowledgement of an inquiry: how the citizen was told, and the answer date promised. */
export class InquiryAcknowledgementRecord {
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('answerPromisedBy') })
  answerPromisedBy!: string;

  @IsISO8601(TIMESTAMP, timestamp('at'))
  at!: string;
}

export class InquiryPostponementRecord {
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('answerPromisedBy') })
  answerPromisedBy!: string;

  @IsIn(INQUIRY_POSTPONEMENT_REASONS)
  reason!: InquiryPostponementReason;

  @IsISO8601(TIMESTAMP, timestamp('at'))
  at!: string;
}

/** An open inquiry (not yet answered): received, perhaps acknowledged and postponed. */
export class InquiryRecord {
  @IsIn(['inquiry'])
  kind!: 'inquiry';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @ValidateNested()
  @Type(() => SourceKeyDto)
  person!: SourceKeyDto;

  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SourceKeyDto)
  case?: SourceKeyDto;

  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @IsISO8601(TIMESTAMP, timestamp('receivedAt'))
  receivedAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => InquiryAcknowledgementRecord)
  acknowledgement?: InquiryAcknowledgementRecord;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => InquiryPostponementRecord)
  postponements?: InquiryPostponementRecord[];
}

export class DelayNoticeRecord {
  @IsIn(APPLICATION_LETTER_CHANNELS)
  channel!: (typeof APPLICATION_LETTER_CHANNELS)[number];

  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('expectedDecisionBy') })
  expectedDecisionBy!: string;

  @IsIn(DELAY_REASONS)
  reason!: DelayReason;

  @IsISO8601(TIMESTAMP, timestamp('at'))
  at!: string;
}

/** An open application (no decision yet) in a case of the file or of an earlier import. */
export class ApplicationRecord {
  @IsIn(['application'])
  kind!: 'application';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @ValidateNested()
  @Type(() => SourceKeyDto)
  case!: SourceKeyDto;

  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('applicationDate') })
  applicationDate!: string;

  @IsISO8601(TIMESTAMP, timestamp('receivedAt'))
  receivedAt!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DelayNoticeRecord)
  delayNotices?: DelayNoticeRecord[];
}

/** An open complaint (not yet resolved); without a person it is anonymous. */
export class ComplaintRecord {
  @IsIn(['complaint'])
  kind!: 'complaint';

  @ValidateNested()
  @Type(() => SourceKeyDto)
  source!: SourceKeyDto;

  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => SourceKeyDto)
  person?: SourceKeyDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => SourceKeyDto)
  case?: SourceKeyDto;

  @IsIn(COMPLAINT_TOPICS)
  about!: ComplaintTopic;

  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @IsISO8601(TIMESTAMP, timestamp('receivedAt'))
  receivedAt!: string;
}

export type ImportRecord =
  | DepartmentRecord
  | CaseworkerRecord
  | PersonRecord
  | FamilyRecord
  | CaseRecord
  | InquiryRecord
  | ApplicationRecord
  | ComplaintRecord;

export const RECORD_CLASSES: { readonly [K in RecordKind]: new () => ImportRecord } = {
  department: DepartmentRecord,
  caseworker: CaseworkerRecord,
  person: PersonRecord,
  family: FamilyRecord,
  case: CaseRecord,
  inquiry: InquiryRecord,
  application: ApplicationRecord,
  complaint: ComplaintRecord,
};

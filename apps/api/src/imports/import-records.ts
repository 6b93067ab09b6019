import {
  APPLICATION_LETTER_CHANNELS,
  COMPLAINT_TOPICS,
  CONTACT_CHANNELS,
  DELAY_REASONS,
  FAMILY_ROLES,
  INQUIRY_POSTPONEMENT_REASONS,
  DIALOGUE_PARTIES,
  TRANSITION_TRACKS,
  type ComplaintTopic,
  type DialogueParty,
  type TransitionTrack,
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
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  isISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateBy,
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
  'transition',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** A date, a time to the second (a fraction allowed) and a zone: RFC 3339's date-time. */
export const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date and time with its zone, of a real calendar day and clock time. */
export function isImportTimestamp(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    TIMESTAMP_PATTERN.test(value) &&
    (isPlainTimestamp(value) || isISO8601(value, { strict: true, strictSeparator: true }))
  );
}

/**
 * A timestamp of the pattern that every calendar has: year 1000 or later, day 1 to 28, a clock
 * time before 24:00 and a zone within a day. The calendar check (`isISO8601`, which costs the
 * import more than the rest of its validation) accepts every one of these, so it is left for
 * the rest: days 29 to 31, 24:00, early years, which it decides as before.
 */
function isPlainTimestamp(value: string): boolean {
  const number = (at: number): number =>
    (value.charCodeAt(at) - 48) * 10 + (value.charCodeAt(at + 1) - 48);
  const month = number(5);
  const day = number(8);
  if (value.charAt(0) === '0' || month < 1 || month > 12 || day < 1 || day > 28) return false;
  if (number(11) > 23 || number(14) > 59 || number(17) > 59) return false;
  if (value.endsWith('Z')) return true;
  const zone = value.length - 6;
  return number(zone + 1) <= 23 && number(zone + 4) <= 59;
}

const Timestamp = (field: string): PropertyDecorator =>
  ValidateBy(
    { name: 'isImportTimestamp', validator: { validate: isImportTimestamp } },
    {
      message: `${field} must be an ISO 8601 date and time with its zone, e.g. 2019-03-04T09:30:00Z`,
    },
  );

/**
 * A source key: of this record, or of an earlier one it names. Required unless optional
 * (`ValidateNested` alone lets a missing object through).
 */
function SourceKeyField({ optional = false } = {}): PropertyDecorator {
  const steps = [optional ? IsOptional() : IsDefined(), ValidateNested(), Type(() => SourceKeyDto)];
  return (target, property) => {
    for (const step of steps) step(target, property);
  };
}

/** A list of nested records (at most `max`), each validated like a record of its own. */
function RecordList(type: () => new () => object, max: number): PropertyDecorator {
  const steps = [IsArray(), ArrayMaxSize(max), ValidateNested({ each: true }), Type(type)];
  return (target, property) => {
    for (const step of steps) step(target, property);
  };
}

const DepartmentIdField = (): PropertyDecorator =>
  Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` });

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

  @SourceKeyField()
  source!: SourceKeyDto;

  @DepartmentIdField()
  departmentId!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @Timestamp('registeredAt')
  registeredAt!: string;
}

export class PersonRecord {
  @IsIn(['person'])
  kind!: 'person';

  @SourceKeyField()
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
  @SourceKeyField()
  person!: SourceKeyDto;

  @IsIn(FAMILY_ROLES)
  role!: FamilyRole;

  @Timestamp('addedAt')
  addedAt!: string;
}

/** One holder of a case or a family in a succession: a reason for a change, when it was told. */
export class SuccessionRecord {
  @SourceKeyField()
  caseworker!: SourceKeyDto;

  @IsOptional()
  @IsString()
  @Length(1, SHORT_TEXT_MAX_LENGTH)
  reason?: string;

  @IsOptional()
  @Timestamp('toldAt')
  toldAt?: string;

  @IsOptional()
  @IsIn(CONTACT_CHANNELS)
  toldChannel?: ContactChannel;
}

/** One holder of the family's primary contact, from `since` until the next one. */
export class PrimaryContactRecord extends SuccessionRecord {
  @Timestamp('since')
  since!: string;
}

export class FamilyRecord {
  @IsIn(['family'])
  kind!: 'family';

  @SourceKeyField()
  source!: SourceKeyDto;

  @Timestamp('registeredAt')
  registeredAt!: string;

  @ArrayMinSize(1)
  @RecordList(() => FamilyMemberRecord, 50)
  members!: FamilyMemberRecord[];

  @IsOptional()
  @RecordList(() => PrimaryContactRecord, 200)
  primaryContacts?: PrimaryContactRecord[];
}

/** One caseworker on the case from `from`; the first is assigned, the later ones are changes. */
export class CaseworkerPeriodRecord extends SuccessionRecord {
  @Timestamp('from')
  from!: string;
}

export class CaseRecord {
  @IsIn(['case'])
  kind!: 'case';

  @SourceKeyField()
  source!: SourceKeyDto;

  @SourceKeyField()
  person!: SourceKeyDto;

  @DepartmentIdField()
  departmentId!: string;

  @IsString()
  @Length(1, 64)
  caseType!: string;

  @Timestamp('openedAt')
  openedAt!: string;

  @IsOptional()
  @RecordList(() => CaseworkerPeriodRecord, 200)
  caseworkers?: CaseworkerPeriodRecord[];

  @IsOptional()
  @Timestamp('closedAt')
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

  @Timestamp('at')
  at!: string;
}

export class InquiryPostponementRecord {
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('answerPromisedBy') })
  answerPromisedBy!: string;

  @IsIn(INQUIRY_POSTPONEMENT_REASONS)
  reason!: InquiryPostponementReason;

  @Timestamp('at')
  at!: string;
}

/** An open inquiry (not yet answered): received, perhaps acknowledged and postponed. */
export class InquiryRecord {
  @IsIn(['inquiry'])
  kind!: 'inquiry';

  @SourceKeyField()
  source!: SourceKeyDto;

  @SourceKeyField()
  person!: SourceKeyDto;

  @DepartmentIdField()
  departmentId!: string;

  @SourceKeyField({ optional: true })
  case?: SourceKeyDto;

  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @Timestamp('receivedAt')
  receivedAt!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => InquiryAcknowledgementRecord)
  acknowledgement?: InquiryAcknowledgementRecord;

  @IsOptional()
  @RecordList(() => InquiryPostponementRecord, 50)
  postponements?: InquiryPostponementRecord[];
}

export class DelayNoticeRecord {
  @IsIn(APPLICATION_LETTER_CHANNELS)
  channel!: (typeof APPLICATION_LETTER_CHANNELS)[number];

  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('expectedDecisionBy') })
  expectedDecisionBy!: string;

  @IsIn(DELAY_REASONS)
  reason!: DelayReason;

  @Timestamp('at')
  at!: string;
}

/** An open application (no decision yet) in a case of the file or of an earlier import. */
export class ApplicationRecord {
  @IsIn(['application'])
  kind!: 'application';

  @SourceKeyField()
  source!: SourceKeyDto;

  @SourceKeyField()
  case!: SourceKeyDto;

  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('applicationDate') })
  applicationDate!: string;

  @Timestamp('receivedAt')
  receivedAt!: string;

  @IsOptional()
  @RecordList(() => DelayNoticeRecord, 50)
  delayNotices?: DelayNoticeRecord[];
}

/** An open complaint (not yet resolved); without a person it is anonymous. */
export class ComplaintRecord {
  @IsIn(['complaint'])
  kind!: 'complaint';

  @SourceKeyField()
  source!: SourceKeyDto;

  @DepartmentIdField()
  departmentId!: string;

  @SourceKeyField({ optional: true })
  person?: SourceKeyDto;

  @SourceKeyField({ optional: true })
  case?: SourceKeyDto;

  @IsIn(COMPLAINT_TOPICS)
  about!: ComplaintTopic;

  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @Timestamp('receivedAt')
  receivedAt!: string;
}

export class TrackChoiceRecord {
  @IsIn(TRANSITION_TRACKS)
  track!: TransitionTrack;

  /** Required for track 'other' (the decider says so). */
  @IsOptional()
  @IsString()
  @Length(1, SHORT_TEXT_MAX_LENGTH)
  note?: string;

  @Timestamp('chosenAt')
  chosenAt!: string;
}

export class AdultCaseworkerRecord {
  @SourceKeyField()
  caseworker!: SourceKeyDto;

  @DepartmentIdField()
  departmentId!: string;

  @Timestamp('assignedAt')
  assignedAt!: string;
}

/**
 * A young person's transition to the adult side, started and not yet handed over: who started
 * it and with whom, the track, the adult caseworker and assessment so far. The 16th birthday's
 * due event is the scheduler's: it records it after the import, as for anyone in scope.
 */
export class TransitionRecord {
  @IsIn(['transition'])
  kind!: 'transition';

  @SourceKeyField()
  source!: SourceKeyDto;

  @SourceKeyField()
  person!: SourceKeyDto;

  @SourceKeyField()
  startedBy!: SourceKeyDto;

  @Timestamp('startedAt')
  startedAt!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(DIALOGUE_PARTIES, { each: true })
  inDialogueWith!: DialogueParty[];

  @IsOptional()
  @ValidateNested()
  @Type(() => TrackChoiceRecord)
  track?: TrackChoiceRecord;

  @IsOptional()
  @ValidateNested()
  @Type(() => AdultCaseworkerRecord)
  adultCaseworker?: AdultCaseworkerRecord;

  @IsOptional()
  @Timestamp('adultAssessmentStartedAt')
  adultAssessmentStartedAt?: string;
}

export type ImportRecord =
  | DepartmentRecord
  | CaseworkerRecord
  | PersonRecord
  | FamilyRecord
  | CaseRecord
  | InquiryRecord
  | ApplicationRecord
  | ComplaintRecord
  | TransitionRecord;

export const RECORD_CLASSES: { readonly [K in RecordKind]: new () => ImportRecord } = {
  department: DepartmentRecord,
  caseworker: CaseworkerRecord,
  person: PersonRecord,
  family: FamilyRecord,
  case: CaseRecord,
  inquiry: InquiryRecord,
  application: ApplicationRecord,
  complaint: ComplaintRecord,
  transition: TransitionRecord,
};

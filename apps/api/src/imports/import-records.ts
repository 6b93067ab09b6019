import {
  CONTACT_CHANNELS,
  FAMILY_ROLES,
  type ContactChannel,
  type FamilyRole,
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
import { SourceKeyDto } from '../source-keys/source-key';

/**
 * One line of an import file each. The classes are validated with class-validator exactly as the
 * API validates its bodies (whitelist, no unknown fields), and docs/import.schema.json describes
 * the same shapes for the municipality's exporters.
 */
export const RECORD_KINDS = ['department', 'caseworker', 'person', 'family', 'case'] as const;
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

export type ImportRecord =
  DepartmentRecord | CaseworkerRecord | PersonRecord | FamilyRecord | CaseRecord;

export const RECORD_CLASSES: { readonly [K in RecordKind]: new () => ImportRecord } = {
  department: DepartmentRecord,
  caseworker: CaseworkerRecord,
  person: PersonRecord,
  family: FamilyRecord,
  case: CaseRecord,
};

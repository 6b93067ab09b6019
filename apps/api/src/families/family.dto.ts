import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_CHANNELS,
  FAMILY_ROLES,
  SHARING_BASES,
  type ContactChannel,
  type FamilyRole,
  type SharingBasis,
} from '@tovholder/domain';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { HappenedAtDto } from '../http/happened-at.dto';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { isoDateTimeMessage, NoCprNumber, ToIsoDateTime } from '../http/fields';

export class AddFamilyMemberDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'Internal person id from POST /persons' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @ApiProperty({ enum: FAMILY_ROLES, example: 'child' })
  @IsIn(FAMILY_ROLES)
  role!: FamilyRole;
}

export class AssignPrimaryContactDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'caseworkerId must be a UUID' })
  caseworkerId!: string;
}

export class HandOverPrimaryContactDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The caseworker who takes over' })
  @IsUUID('all', { message: 'toCaseworkerId must be a UUID' })
  toCaseworkerId!: string;

  @ApiProperty({ example: 'Anna moves to the adult team; Bo knows the family from the youth unit' })
  @IsString()
  @Length(1, 500)
  @NoCprNumber('reason')
  reason!: string;
}

export class ReleasePrimaryContactDto extends HappenedAtDto {
  @ApiProperty({ example: 'Only one department is involved now' })
  @IsString()
  @Length(1, 500)
  @NoCprNumber('reason')
  reason!: string;
}

export class RecordToldDto {
  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'phone' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;

  @ApiPropertyOptional({
    description: 'When the family/citizen was told; default now',
    example: '2026-03-02T10:00:00Z',
  })
  @IsOptional()
  @ToIsoDateTime()
  @IsDate({ message: isoDateTimeMessage('toldAt') })
  toldAt?: Date;
}

export class FamilyCreatedDto {
  @ApiProperty({ format: 'uuid' })
  familyId!: string;

  @ApiProperty({ example: '812-4031' })
  position!: string;
}

export class WithdrawConsentDto extends HappenedAtDto {
  @ApiProperty({
    type: [String],
    example: ['CHP', 'JOBCENTER'],
    description: 'The departments whose case details are (or are no longer) shared',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'departmentIds must name at least one department' })
  @ArrayMaxSize(20)
  @Matches(DEPARTMENT_ID_PATTERN, {
    each: true,
    message: `each of departmentIds ${DEPARTMENT_ID_MESSAGE}`,
  })
  departmentIds!: string[];
}

export class GiveConsentDto extends WithdrawConsentDto {
  @ApiProperty({ enum: SHARING_BASES, example: 'consent' })
  @IsIn(SHARING_BASES)
  basis!: SharingBasis;

  @ApiPropertyOptional({
    example: 'serviceloven § 49 b',
    description: 'For a legal basis: the provision relied on. No personal data.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NoCprNumber('reference')
  reference?: string;
}

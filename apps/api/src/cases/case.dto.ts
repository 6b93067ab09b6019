import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { RecordToldDto } from '../families/family.dto';
import { HappenedAtDto } from '../http/happened-at.dto';
import { PageQueryDto } from '../http/page';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { NoCprNumber } from '../http/fields';

/** Never six digits in a row: a CPR number must not pass for a case type (it reaches events). */
const CASE_TYPE_PATTERN = /^(?!.*\d{6})[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const CASE_TYPE_MESSAGE =
  'must be 1-64 letters, digits, - or _, with no more than five digits in a row';

export class OpenCaseDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'Internal person id from the person registry' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @ApiProperty({ example: 'CHP', description: "Department id (the municipality's own codes)" })
  @IsString()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiProperty({ example: 'disability-support' })
  @IsString()
  @Length(1, 64)
  @Matches(CASE_TYPE_PATTERN, { message: `caseType ${CASE_TYPE_MESSAGE}` })
  caseType!: string;
}

export class AssignCaseworkerDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'caseworkerId must be a UUID' })
  caseworkerId!: string;
}

export class ChangeCaseworkerDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The caseworker who takes the case over' })
  @IsUUID('all', { message: 'toCaseworkerId must be a UUID' })
  toCaseworkerId!: string;

  @ApiProperty({ example: 'Caseworker on long leave' })
  @IsString()
  @Length(1, 500)
  @NoCprNumber('reason')
  reason!: string;

  @ApiPropertyOptional({
    type: RecordToldDto,
    description:
      'Set when the citizen was told already; otherwise record it later (…/caseworker/told) within the notice period',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecordToldDto)
  citizenTold?: RecordToldDto;
}

export class CloseCaseDto extends HappenedAtDto {
  @ApiProperty({ example: 'Support ended: goals reached' })
  @IsString()
  @Length(1, 500)
  @NoCprNumber('reason')
  reason!: string;
}

export class ListCasesDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'CHP' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;

  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';
}

export class CommandAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  caseId!: string;

  @ApiProperty({
    example: '812-4031',
    description: 'Global position written; use as waitForPosition',
  })
  position!: string;
}

export class CasePageDto {
  @ApiProperty({ type: () => [Object] })
  items!: unknown[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  limit!: number;

  @ApiProperty()
  offset!: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { PageQueryDto } from '../http/page';
import { DUTY_KINDS, type DutyKindName } from './duty-kinds';

export class ListDutyFlagsDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DUTY_KINDS })
  @IsOptional()
  @IsIn(DUTY_KINDS)
  kind?: DutyKindName;

  @ApiPropertyOptional({ example: 'ACK_OVERDUE' })
  @IsOptional()
  @Matches(/^[A-Z_]{1,40}$/, { message: 'code must be a flag code such as ACK_OVERDUE' })
  code?: string;

  @ApiPropertyOptional({ enum: ['warning', 'overdue'] })
  @IsOptional()
  @IsIn(['warning', 'overdue'])
  severity?: 'warning' | 'overdue';

  @ApiPropertyOptional({ example: 'CBU' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;
}

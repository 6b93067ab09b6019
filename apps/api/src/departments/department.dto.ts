import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { DEPARTMENT_AREAS, type DepartmentArea } from './default-departments';
import { NoCprNumber } from '../http/fields';

/** Never six digits in a row: a CPR number must not pass for a department id (ids reach events). */
export const DEPARTMENT_ID_PATTERN = /^(?!.*\d{6})[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const DEPARTMENT_ID_MESSAGE =
  'must be 1-64 letters, digits, - or _, with no more than five digits in a row';

export class PutDepartmentDto {
  @ApiProperty({ example: 'Center for Handicap og Psykiatri' })
  @IsString()
  @Length(1, 200)
  @NoCprNumber('name')
  name!: string;

  @ApiProperty({ enum: DEPARTMENT_AREAS, example: 'adult-disability' })
  @IsIn(DEPARTMENT_AREAS)
  area!: DepartmentArea;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ImportedDepartmentDto extends PutDepartmentDto {
  @ApiProperty({ example: 'CHP' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `id ${DEPARTMENT_ID_MESSAGE}` })
  id!: string;
}

export class ImportDepartmentsDto {
  @ApiProperty({
    type: [ImportedDepartmentDto],
    description: "The municipality's departments; ids not listed are left as they are",
  })
  @ValidateNested({ each: true })
  @Type(() => ImportedDepartmentDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  departments!: ImportedDepartmentDto[];
}

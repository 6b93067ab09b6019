import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { NoCprNumber } from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';

export class RegisterCaseworkerDto extends HappenedAtDto {
  @ApiProperty({ example: 'CHP' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiProperty({
    example: 'Anna Jensen',
    description: 'Kept in the caseworker directory, never in events',
  })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class DeactivateCaseworkerDto extends HappenedAtDto {
  @ApiProperty({ example: 'Long leave from 1 March' })
  @IsString()
  @Length(1, 500)
  @NoCprNumber('reason')
  reason!: string;
}

export class CaseworkerCreatedDto {
  @ApiProperty({ format: 'uuid' })
  caseworkerId!: string;

  @ApiProperty({ example: '812-4031' })
  position!: string;
}

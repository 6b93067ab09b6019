import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { ISO_MONTH_PATTERN, isoMonthMessage } from '../http/fields';
import { ReadAfterDto } from '../http/read-after.dto';

/** At most three years per request: enough for year-on-year, small enough to stay fast. */
export const MAX_MONTHS = 36;

export class ManagementFiguresQueryDto extends ReadAfterDto {
  @ApiProperty({ example: '2026-01', description: 'First month (Danish calendar month)' })
  @Matches(ISO_MONTH_PATTERN, { message: isoMonthMessage('fromMonth') })
  fromMonth!: string;

  @ApiProperty({
    example: '2026-12',
    description: `Last month, included; at most ${MAX_MONTHS} months from fromMonth`,
  })
  @Matches(ISO_MONTH_PATTERN, { message: isoMonthMessage('toMonth') })
  toMonth!: string;

  @ApiPropertyOptional({ example: 'CBU', description: 'One department; default all' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

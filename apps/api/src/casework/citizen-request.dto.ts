import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONTACT_CHANNELS, type ContactChannel } from '@tovholder/domain';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { HappenedAtDto } from '../http/happened-at.dto';

/** What a citizen's inquiry or request says about itself: who, to whom, about which case, how. */
export class CitizenRequestDto extends HappenedAtDto {
  @ApiProperty({ format: 'uuid', description: 'The citizen (from the person registry)' })
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId!: string;

  @ApiProperty({ example: 'CBU' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The case it is about, if any' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'e-mail' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  COMPLAINT_OUTCOMES,
  COMPLAINT_TOPICS,
  CONTACT_CHANNELS,
  type ComplaintOutcome,
  type ComplaintTopic,
  type ContactChannel,
} from '@tovholder/domain';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { HappenedAtDto } from '../http/happened-at.dto';

export class RegisterComplaintDto extends HappenedAtDto {
  @ApiProperty({ example: 'CBU', description: 'The department the complaint is about' })
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The case complained about, if any' })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The complainant (from the person registry); absent for an anonymous complaint',
  })
  @IsOptional()
  @IsUUID('all', { message: 'personId must be a UUID' })
  personId?: string;

  @ApiProperty({ enum: COMPLAINT_TOPICS })
  @IsIn(COMPLAINT_TOPICS)
  about!: ComplaintTopic;

  @ApiProperty({ enum: CONTACT_CHANNELS, example: 'digital-post' })
  @IsIn(CONTACT_CHANNELS)
  channel!: ContactChannel;
}

export class ResolveComplaintDto extends HappenedAtDto {
  @ApiProperty({ enum: COMPLAINT_OUTCOMES })
  @IsIn(COMPLAINT_OUTCOMES)
  outcome!: ComplaintOutcome;
}

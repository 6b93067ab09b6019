import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RESPONSIBLE_ROLES, type ResponsibleRole } from '@tovholder/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { PageQueryDto } from '../http/page';

export const ALERT_STATUSES = ['open', 'acknowledged', 'closed', 'all'] as const;
export type AlertStatusFilter = (typeof ALERT_STATUSES)[number];

export class ListAlertsDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['me', 'all'],
    default: 'me',
    description:
      "me: the token's caseworker (and their department's desk), or a team leader's department; all: every alert the caller may see",
  })
  @IsOptional()
  @IsIn(['me', 'all'])
  responsible: 'me' | 'all' = 'me';

  @ApiPropertyOptional({ enum: ALERT_STATUSES, default: 'open' })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status: AlertStatusFilter = 'open';

  @ApiPropertyOptional({ example: 'ACK_OVERDUE' })
  @IsOptional()
  @Matches(/^[A-Z_]{1,40}$/, { message: 'code must be a flag code such as ACK_OVERDUE' })
  code?: string;
}

export class AlertFeedDto {
  @ApiPropertyOptional({
    description: 'The `next` cursor of the previous page; none: from the start',
  })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a cursor as returned in next' })
  after?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;
}

export class DigestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'System callers: whose digest' })
  @IsOptional()
  @IsUUID('all', { message: 'caseworkerId must be a UUID' })
  caseworkerId?: string;

  @ApiPropertyOptional({
    example: 'CBU',
    description: "System callers: a department's team leader",
  })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

export class CreateSubscriptionDto {
  @ApiProperty({ example: 'https://case-system.example/webhooks/tovholder' })
  @IsUrl(
    { protocols: ['http', 'https'], require_tld: false, require_protocol: true },
    { message: 'url must be an http(s) URL' },
  )
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url!: string;

  @ApiPropertyOptional({ example: ['CBU'], description: 'Only alerts for these departments' })
  @IsOptional()
  @IsArray({ message: 'departmentIds must be a list' })
  @ArrayMaxSize(100)
  @Matches(DEPARTMENT_ID_PATTERN, { each: true, message: `departmentIds ${DEPARTMENT_ID_MESSAGE}` })
  departmentIds?: string[];

  @ApiPropertyOptional({ example: ['ACK_OVERDUE'], description: 'Only these flag codes' })
  @IsOptional()
  @IsArray({ message: 'codes must be a list' })
  @ArrayMaxSize(100)
  @Matches(/^[A-Z_]{1,40}$/, { each: true, message: 'codes must be flag codes' })
  codes?: string[];

  @ApiPropertyOptional({ enum: RESPONSIBLE_ROLES, isArray: true })
  @IsOptional()
  @IsArray({ message: 'responsibleRoles must be a list' })
  @IsIn(RESPONSIBLE_ROLES, {
    each: true,
    message: `responsibleRoles must be of ${RESPONSIBLE_ROLES.join(', ')}`,
  })
  responsibleRoles?: ResponsibleRole[];

  @ApiPropertyOptional({
    description:
      'whsec_ + base64 of 24-64 random bytes; none: one is generated. Returned only in this answer, never again',
  })
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/, {
    message: 'secret must be whsec_ followed by base64 of 24 to 64 bytes',
  })
  secret?: string;
}

export class ListDeliveriesDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'parked'], default: 'parked' })
  @IsOptional()
  @IsIn(['pending', 'delivered', 'parked'])
  status: 'pending' | 'delivered' | 'parked' = 'parked';
}

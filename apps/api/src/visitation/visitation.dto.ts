import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  VISITATION_DESTINATIONS,
  VISITATION_REASON_CODES,
  type VisitationDestination,
  type VisitationReasonCode,
} from '@tovholder/domain';
import { IsIn, IsOptional, IsString, isUUID, Matches, ValidateBy } from 'class-validator';
import { DEPARTMENT_ID_MESSAGE, DEPARTMENT_ID_PATTERN } from '../departments/department.dto';
import { ISO_DATE_PATTERN, isoDateMessage, NoCprNumber } from '../http/fields';
import { HappenedAtDto } from '../http/happened-at.dto';
import { PageQueryDto } from '../http/page';

/**
 * `caseworkerId` is given exactly when the destination is 'caseworker' (the domain refuses the
 * rest too, but only here can the refusal name the field).
 */
function CaseworkerIdExactlyForCaseworker(): PropertyDecorator {
  const routesToCaseworker = (object: object): boolean =>
    (object as RouteReferralDto).destination === 'caseworker';
  return ValidateBy({
    name: 'caseworkerIdExactlyForCaseworker',
    validator: {
      validate: (value: unknown, args) =>
        args !== undefined && routesToCaseworker(args.object)
          ? typeof value === 'string' && isUUID(value)
          : value === undefined || value === null,
      defaultMessage: (args) =>
        args !== undefined && routesToCaseworker(args.object)
          ? "caseworkerId must be a UUID: routing to 'caseworker' assigns one"
          : "caseworkerId is given only when destination is 'caseworker'",
    },
  });
}

export class RouteReferralDto extends HappenedAtDto {
  @ApiProperty({ enum: VISITATION_DESTINATIONS, example: 'caseworker' })
  @IsIn(VISITATION_DESTINATIONS)
  destination!: VisitationDestination;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "The caseworker the case gets; required for 'caseworker', refused otherwise",
  })
  @CaseworkerIdExactlyForCaseworker()
  caseworkerId?: string;

  @ApiProperty({ enum: VISITATION_REASON_CODES, example: 'clearly-in-target-group' })
  @IsIn(VISITATION_REASON_CODES)
  reasonCode!: VisitationReasonCode;

  @ApiPropertyOptional({
    description: "Required for reason 'other'; short, no names or CPR numbers",
  })
  @IsOptional()
  @IsString({ message: 'note must be a text' })
  @NoCprNumber('note')
  note?: string;

  @ApiProperty({ example: '2026-03-10', description: 'The day of the visitation meeting' })
  @Matches(ISO_DATE_PATTERN, { message: isoDateMessage('meetingDate') })
  meetingDate!: string;
}

export class WithdrawReferralDto extends HappenedAtDto {
  @ApiProperty({ description: 'Why the referral is withdrawn; short, no names or CPR numbers' })
  @IsString({ message: 'reason must be a text' })
  @NoCprNumber('reason')
  reason!: string;
}

export class VisitationQueueDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'CHP', description: 'The referring department' })
  @IsOptional()
  @Matches(DEPARTMENT_ID_PATTERN, { message: `departmentId ${DEPARTMENT_ID_MESSAGE}` })
  departmentId?: string;
}

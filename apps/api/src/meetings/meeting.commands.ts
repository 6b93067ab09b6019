import { BadRequestException } from '@nestjs/common';
import {
  isMeetingEvent,
  meetingDecider,
  meetingStream,
  type AgreementOwnerInput,
} from '@tovholder/domain';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { requireDepartment } from '../departments/departments';
import { streamKind, type Preparation } from '../shared/command-runner';
import type { AgreementOwnerDto } from './meeting.dto';

export const MEETINGS = streamKind(meetingStream, meetingDecider, isMeetingEvent);

/** An agreement has exactly one owner: a caseworker or a department. */
export function requireOneOwner(owner: AgreementOwnerDto): void {
  if ((owner.caseworkerId === undefined) === (owner.departmentId === undefined)) {
    throw new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: 'Some fields are missing or invalid',
      errors: [{ field: 'owner', reason: 'owner must give either caseworkerId or departmentId' }],
    });
  }
}

/** A department owner must exist; a caseworker owner's facts go to the decider, which checks them. */
export async function agreementOwner(
  { store, manager }: Preparation,
  owner: AgreementOwnerDto,
): Promise<AgreementOwnerInput> {
  if (owner.caseworkerId !== undefined) {
    return { kind: 'caseworker', caseworker: await loadCaseworkerFacts(store, owner.caseworkerId) };
  }
  const departmentId = owner.departmentId ?? '';
  await requireDepartment(manager, departmentId);
  return { kind: 'department', departmentId };
}

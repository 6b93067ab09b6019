import { caseworkerDecider, caseworkerStream, isCaseworkerEvent } from '@tovholder/domain';
import { requireDepartment } from '../departments/departments';
import type { HappenedAtDto } from '../http/happened-at.dto';
import { streamKind } from '../shared/command-runner';
import { CaseworkerNameEntity } from './caseworker-name.entity';
import type { DeactivateCaseworkerDto, RegisterCaseworkerDto } from './caseworker.dto';

export const CASEWORKERS = streamKind(caseworkerStream, caseworkerDecider, isCaseworkerEvent);

/** The department must be one the municipality has; the name goes in the registry, not the event. */
export const registerCaseworker = (caseworkerId: string, body: RegisterCaseworkerDto) =>
  CASEWORKERS.on(caseworkerId, async ({ manager, now }) => {
    await requireDepartment(manager, body.departmentId);
    await manager.insert(CaseworkerNameEntity, { caseworkerId, name: body.name });
    return {
      type: 'RegisterCaseworker',
      caseworkerId,
      departmentId: body.departmentId,
      at: body.at,
      now,
    };
  });

export const deactivateCaseworker = (caseworkerId: string, body: DeactivateCaseworkerDto) =>
  CASEWORKERS.on(caseworkerId, ({ now }) => ({
    type: 'DeactivateCaseworker',
    caseworkerId,
    reason: body.reason,
    at: body.at,
    now,
  }));

export const reactivateCaseworker = (caseworkerId: string, body: HappenedAtDto) =>
  CASEWORKERS.on(caseworkerId, ({ now }) => ({
    type: 'ReactivateCaseworker',
    caseworkerId,
    at: body.at,
    now,
  }));

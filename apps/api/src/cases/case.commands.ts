import { caseDecider, caseStream, isCaseEvent } from '@tovholder/domain';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { requireDepartment } from '../departments/departments';
import type { RecordToldDto } from '../families/family.dto';
import { requirePerson } from '../persons/persons';
import { streamKind } from '../shared/command-runner';
import type {
  AssignCaseworkerDto,
  ChangeCaseworkerDto,
  CloseCaseDto,
  OpenCaseDto,
} from './case.dto';

export const CASES = streamKind(caseStream, caseDecider, isCaseEvent);

/** The person and department must be registered. */
export const openCase = (caseId: string, body: OpenCaseDto) =>
  CASES.on(caseId, async ({ manager, now }) => {
    await requirePerson(manager, body.personId);
    await requireDepartment(manager, body.departmentId);
    return { type: 'OpenCase', caseId, ...body, now };
  });

/** The decider needs to know whether the caseworker exists and is active. */
export const assignCaseworker = (caseId: string, body: AssignCaseworkerDto) =>
  CASES.on(caseId, async ({ store, now }) => ({
    type: 'AssignCaseworker',
    caseId,
    caseworker: await loadCaseworkerFacts(store, body.caseworkerId),
    at: body.at,
    now,
  }));

export const changeCaseworker = (caseId: string, body: ChangeCaseworkerDto) =>
  CASES.on(caseId, async ({ store, now }) => ({
    type: 'ChangeCaseworker',
    caseId,
    to: await loadCaseworkerFacts(store, body.toCaseworkerId),
    reason: body.reason,
    at: body.at,
    citizenTold: body.citizenTold
      ? { channel: body.citizenTold.channel, at: body.citizenTold.toldAt ?? now }
      : null,
    now,
  }));

export const recordCitizenTold = (caseId: string, body: RecordToldDto) =>
  CASES.on(caseId, ({ now }) => ({
    type: 'RecordCitizenTold',
    caseId,
    channel: body.channel,
    toldAt: body.toldAt ?? now,
    now,
  }));

export const closeCase = (caseId: string, body: CloseCaseDto) =>
  CASES.on(caseId, ({ now }) => ({
    type: 'CloseCase',
    caseId,
    reason: body.reason,
    at: body.at,
    now,
  }));

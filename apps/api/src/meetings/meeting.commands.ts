import { BadRequestException, NotFoundException } from '@nestjs/common';
import {
  InvalidCommandError,
  MEETING_ERRORS,
  agendaCutOffFor,
  isMeetingEvent,
  meetingDecider,
  meetingStream,
  type AgendaItem,
  type AgreementOwnerInput,
} from '@tovholder/domain';
import { isIsoDate } from '@tovholder/domain/shared/calendar-dates';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import type { AppConfig } from '../config/app-config';
import { requireDepartment } from '../departments/departments';
import { aggregateStream } from '../shared/aggregate-stream';
import { streamKind, type Preparation } from '../shared/command-runner';
import { agendaRulesFrom, type AgendaBuilder } from './agenda-builder.service';
import type {
  AgreementOwnerDto,
  ApproveMinutesDto,
  CancelAgreementDto,
  CompleteAgreementDto,
  CorrectMinutesDto,
  FreezeAgendaDto,
  ItemMinutesDto,
  MakeAgreementDto,
  PlanMeetingDto,
} from './meeting.dto';
import { MEETING_NOT_FOUND } from './meetings.queries';

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
async function agreementOwner(
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

/** The meeting as planned: the departments by default from the configuration, all registered. */
export function planMeeting(meetingId: string, body: PlanMeetingDto, config: AppConfig) {
  // The default cut-off counts working days back from the date: it must be a real day first.
  if (!isIsoDate(body.date)) {
    throw new InvalidCommandError(MEETING_ERRORS.invalidDate, 'date is not a real date', {
      field: 'date',
    });
  }
  const defaults = config.meetings;
  const chairDepartmentId = body.chairDepartmentId ?? defaults.chairDepartmentId;
  const departmentIds = body.departmentIds ?? [...defaults.departmentIds];
  const agendaCutOffAt = body.agendaCutOffAt ?? agendaCutOffFor(body.date, agendaRulesFrom(config));
  const pending = MEETINGS.on(meetingId, async ({ manager, now }) => {
    for (const departmentId of new Set([chairDepartmentId, ...departmentIds])) {
      await requireDepartment(manager, departmentId);
    }
    return {
      type: 'PlanMeeting',
      meetingId,
      date: body.date,
      chairDepartmentId,
      departmentIds,
      agendaCutOffAt,
      now,
    };
  });
  return { pending, agendaCutOffAt };
}

/**
 * The agenda composed from the read models and frozen. It is composed only when the freeze can
 * succeed (otherwise the decider refuses with its reason), at the same `now` the decider gets,
 * so it cannot see the cut-off passed when this did not. `agenda` holds what was composed.
 */
export function freezeAgenda(meetingId: string, body: FreezeAgendaDto, agendas: AgendaBuilder) {
  const agenda: { items: AgendaItem[]; previousMeetingId: string | null } = {
    items: [],
    previousMeetingId: null,
  };
  const pending = MEETINGS.on(meetingId, async ({ store, now }) => {
    // From the stream, not the read model: a meeting planned a moment ago can be frozen.
    const { state } = await aggregateStream(
      store,
      MEETINGS.streamOf(meetingId),
      MEETINGS.decider,
      MEETINGS.reading,
    );
    const planned = state.planned;
    if (planned === null) throw new NotFoundException(MEETING_NOT_FOUND);
    const refused =
      state.agenda !== null ||
      (body.force !== true && now.getTime() < new Date(planned.agendaCutOffAt).getTime());
    if (!refused) {
      await agendas.catchUpWithLog();
      const built = await agendas.build({
        meetingId,
        date: planned.date,
        departmentIds: planned.departmentIds,
      });
      agenda.items = built.items;
      agenda.previousMeetingId = built.previousMeetingId;
    }
    return {
      type: 'FreezeAgenda',
      meetingId,
      previousMeetingId: agenda.previousMeetingId,
      items: agenda.items,
      force: body.force,
      now,
    };
  });
  return { pending, agenda };
}

export const recordMinutes = (meetingId: string, itemId: string, body: ItemMinutesDto) =>
  MEETINGS.on(meetingId, ({ now }) => ({
    type: 'RecordItemMinutes',
    meetingId,
    itemId,
    outcome: body.outcome,
    decisions: body.decisions,
    at: body.at,
    now,
  }));

/** The owner is checked first (exactly one), before anything is read. */
export function makeAgreement(meetingId: string, agreementId: string, body: MakeAgreementDto) {
  requireOneOwner(body.owner);
  return MEETINGS.on(meetingId, async (preparation) => ({
    type: 'MakeAgreement',
    meetingId,
    agreementId,
    itemId: body.itemId,
    what: body.what,
    owner: await agreementOwner(preparation, body.owner),
    dueDate: body.dueDate,
    at: body.at,
    now: preparation.now,
  }));
}

/** The decider needs to know whether the approving caseworker exists and is active. */
export const approveMinutes = (meetingId: string, body: ApproveMinutesDto) =>
  MEETINGS.on(meetingId, async ({ store, now }) => ({
    type: 'ApproveMinutes',
    meetingId,
    by: await loadCaseworkerFacts(store, body.caseworkerId),
    at: body.at,
    now,
  }));

export const correctMinutes = (meetingId: string, itemId: string, body: CorrectMinutesDto) =>
  MEETINGS.on(meetingId, ({ now }) => ({
    type: 'CorrectMinutes',
    meetingId,
    itemId,
    outcome: body.outcome,
    decisions: body.decisions,
    reason: body.reason,
    at: body.at,
    now,
  }));

export const completeAgreement = (
  meetingId: string,
  agreementId: string,
  body: CompleteAgreementDto,
) =>
  MEETINGS.on(meetingId, ({ now }) => ({
    type: 'CompleteAgreement',
    meetingId,
    agreementId,
    note: body.note,
    at: body.at,
    now,
  }));

export const cancelAgreement = (meetingId: string, agreementId: string, body: CancelAgreementDto) =>
  MEETINGS.on(meetingId, ({ now }) => ({
    type: 'CancelAgreement',
    meetingId,
    agreementId,
    reason: body.reason,
    at: body.at,
    now,
  }));

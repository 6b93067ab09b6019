import { commandChecks, requireNotBefore } from '../shared/command-checks';
import { requireActiveCaseworker } from '../caseworkers/caseworker.decider';
import { isIsoDate, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf, endOfCopenhagenDay } from '../shared/copenhagen-time';
import { isWorkingDay } from '../shared/danish-holidays';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import { SHORT_TEXT_MAX_LENGTH, shortTextProblem } from '../shared/free-text';
import type { AgreementOwnerInput, MeetingCommand } from './meeting.commands';
import {
  AGENDA_SECTIONS,
  AGENDA_SECTION_SUBJECT,
  OTHER_ITEM_PREFIX,
  type AgendaItem,
  type AgreementOwner,
  type MeetingEvent,
} from './meeting.events';

export type AgreementStatus = 'open' | 'done' | 'cancelled';

export interface MeetingAgreementState {
  readonly itemId: string;
  readonly what: string;
  readonly owner: AgreementOwner;
  readonly dueDate: IsoDate;
  readonly status: AgreementStatus;
  readonly madeAt: string;
}

export interface MeetingState {
  readonly planned: {
    readonly date: IsoDate;
    readonly departmentIds: readonly string[];
    readonly agendaCutOffAt: string;
  } | null;
  readonly agenda: {
    readonly frozenAt: string;
    /** itemId → item. */
    readonly items: ReadonlyMap<string, AgendaItem>;
  } | null;
  /** itemId → the latest minutes (recorded or corrected). */
  readonly minutes: ReadonlyMap<
    string,
    { readonly outcome: string; readonly decisions: readonly string[] }
  >;
  /** agreementId → agreement. */
  readonly agreements: ReadonlyMap<string, MeetingAgreementState>;
  readonly approvedAt: string | null;
}

export const MEETING_ERRORS = {
  notFound: 'MEETING.NOT_FOUND',
  alreadyPlanned: 'MEETING.ALREADY_PLANNED',
  missingId: 'MEETING.MISSING_ID',
  invalidTime: 'MEETING.INVALID_TIME',
  invalidDate: 'MEETING.INVALID_DATE',
  dateInThePast: 'MEETING.DATE_IN_THE_PAST',
  notAWorkingDay: 'MEETING.NOT_A_WORKING_DAY',
  noDepartments: 'MEETING.NO_DEPARTMENTS',
  cutOffAfterMeeting: 'MEETING.CUT_OFF_AFTER_MEETING',
  agendaAlreadyFrozen: 'MEETING.AGENDA_ALREADY_FROZEN',
  beforeCutOff: 'MEETING.BEFORE_CUT_OFF',
  invalidAgendaItem: 'MEETING.INVALID_AGENDA_ITEM',
  agendaNotFrozen: 'MEETING.AGENDA_NOT_FROZEN',
  notHeldYet: 'MEETING.NOT_HELD_YET',
  unknownItem: 'MEETING.UNKNOWN_ITEM',
  invalidText: 'MEETING.INVALID_TEXT',
  textMayContainCpr: 'MEETING.TEXT_MAY_CONTAIN_CPR',
  minutesApproved: 'MEETING.MINUTES_APPROVED',
  minutesNotApproved: 'MEETING.MINUTES_NOT_APPROVED',
  invalidOwner: 'MEETING.INVALID_OWNER',
  invalidDueDate: 'MEETING.INVALID_DUE_DATE',
  dueDateBeforeMeeting: 'MEETING.DUE_DATE_BEFORE_MEETING',
  agreementIdReused: 'MEETING.AGREEMENT_ID_REUSED',
  agreementNotFound: 'MEETING.AGREEMENT_NOT_FOUND',
  agreementNotOpen: 'MEETING.AGREEMENT_NOT_OPEN',
  inTheFuture: 'MEETING.IN_THE_FUTURE',
  beforeMeeting: 'MEETING.BEFORE_MEETING',
  beforeApproval: 'MEETING.BEFORE_APPROVAL',
  beforeAgreement: 'MEETING.BEFORE_AGREEMENT',
} as const;

const OTHER_ITEM_ID = /^other:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Planned = NonNullable<MeetingState['planned']>;
type Agenda = NonNullable<MeetingState['agenda']>;

const { validTime, requireId, occurredAt } = commandChecks(MEETING_ERRORS);

function requirePlanned(command: { meetingId: string }, state: MeetingState): Planned {
  if (state.planned === null) {
    throw new NotFoundError(MEETING_ERRORS.notFound, 'No meeting with this id', {
      meetingId: command.meetingId,
    });
  }
  return state.planned;
}

function requireFrozen(state: MeetingState): Agenda {
  if (state.agenda === null) {
    throw new ConflictError(
      MEETING_ERRORS.agendaNotFrozen,
      'The agenda has not been frozen: the meeting has no items yet',
    );
  }
  return state.agenda;
}

function requireNotApproved(state: MeetingState): void {
  if (state.approvedAt !== null) {
    throw new ConflictError(
      MEETING_ERRORS.minutesApproved,
      'The minutes are approved: change them by a correction',
      { approvedAt: state.approvedAt },
    );
  }
}

/** Minutes describe a meeting that has taken place: not before its day (Danish time). */
function requireHeld(planned: Planned, now: Date): void {
  if (copenhagenDateOf(now) < planned.date) {
    throw new ConflictError(MEETING_ERRORS.notHeldYet, 'The meeting has not been held yet', {
      date: planned.date,
    });
  }
}

/**
 * When a step at or after the meeting happened (`at`, default `now`): what the minutes record
 * happened at the meeting or later, so never before its day (Danish time) nor in the future.
 */
function stepAt(planned: Planned, at: Date | undefined, now: Date): string {
  const when = occurredAt(at, now, 'at');
  if (copenhagenDateOf(when) < planned.date) {
    throw new InvalidCommandError(MEETING_ERRORS.beforeMeeting, 'at is before the meeting day', {
      field: 'at',
      date: planned.date,
    });
  }
  return when.toISOString();
}

/** When an agreement was carried out or cancelled (`at`, default `now`): not before it was made. */
function agreementStepAt(agreement: MeetingAgreementState, at: Date | undefined, now: Date) {
  return requireNotBefore(occurredAt(at, now, 'at'), agreement.madeAt, {
    code: MEETING_ERRORS.beforeAgreement,
    message: 'at is before the agreement was made',
    details: { field: 'at', madeAt: agreement.madeAt },
  });
}

/** The agenda item, or null for an `other:<uuid>` item raised at the meeting. */
function requireItem(agenda: Agenda, itemId: string): AgendaItem | null {
  const item = typeof itemId === 'string' ? agenda.items.get(itemId) : undefined;
  if (item !== undefined) return item;
  if (typeof itemId === 'string' && OTHER_ITEM_ID.test(itemId)) return null;
  throw new NotFoundError(
    MEETING_ERRORS.unknownItem,
    `Not an item on the frozen agenda, nor '${OTHER_ITEM_PREFIX}<uuid>'`,
    { itemId: typeof itemId === 'string' ? itemId : null },
  );
}

/** A trimmed short text; refuses empty, too long, or anything like a CPR number. */
function checkedText(value: unknown, field: string): string {
  const problem = shortTextProblem(value);
  if (problem === 'may-contain-cpr') {
    throw new InvalidCommandError(
      MEETING_ERRORS.textMayContainCpr,
      'The text looks like it contains a CPR number; minutes never hold one',
      { field },
    );
  }
  if (problem !== null) {
    throw new InvalidCommandError(
      MEETING_ERRORS.invalidText,
      'A non-empty text of limited length is required',
      { field, problem, maxLength: SHORT_TEXT_MAX_LENGTH },
    );
  }
  return (value as string).trim();
}

function checkedDecisions(decisions: readonly string[]): string[] {
  if (!Array.isArray(decisions)) {
    throw new InvalidCommandError(MEETING_ERRORS.invalidText, 'Decisions are a list of texts', {
      field: 'decisions',
    });
  }
  return decisions.map((decision, index) => checkedText(decision, `decisions[${index}]`));
}

function sameMinutes(
  known: { readonly outcome: string; readonly decisions: readonly string[] } | undefined,
  outcome: string,
  decisions: readonly string[],
): boolean {
  return (
    known !== undefined &&
    known.outcome === outcome &&
    known.decisions.length === decisions.length &&
    known.decisions.every((decision, index) => decision === decisions[index])
  );
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function checkedDepartments(departmentIds: readonly string[], chair: string): string[] {
  const given: readonly unknown[] = Array.isArray(departmentIds) ? departmentIds : [];
  if (given.length === 0) {
    throw new InvalidCommandError(
      MEETING_ERRORS.noDepartments,
      'A coordination meeting has participating departments',
    );
  }
  const ids = given.map((id, index) => requireId(id, `departmentIds[${index}]`));
  return sortedUnique([...ids, chair]);
}

/** Checks the shape of a composed agenda item and returns it with sorted id lists. */
function checkedAgendaItem(item: AgendaItem, index: number): AgendaItem {
  const refuse = (problem: string): never => {
    throw new InvalidCommandError(MEETING_ERRORS.invalidAgendaItem, 'Malformed agenda item', {
      index,
      problem,
    });
  };
  if (typeof item !== 'object' || item === null) return refuse('not-an-object');
  if (!(AGENDA_SECTIONS as readonly string[]).includes(item.section)) return refuse('section');
  const subject = item.subject as Partial<AgendaItem['subject']> | null;
  if (subject?.kind !== AGENDA_SECTION_SUBJECT[item.section]) return refuse('subject-kind');
  if (typeof subject.id !== 'string' || subject.id === '') return refuse('subject-id');
  if (item.itemId !== `${item.section}:${subject.id}`) return refuse('item-id');
  const idOrNull = (value: unknown) =>
    value === null || (typeof value === 'string' && value !== '');
  if (!idOrNull(item.familyId) || !idOrNull(item.personId)) return refuse('family-or-person');
  if (item.dueDate !== null && !isIsoDate(item.dueDate)) return refuse('due-date');
  if (typeof item.isNew !== 'boolean') return refuse('is-new');
  const idList = (values: unknown) =>
    Array.isArray(values) && values.every((v) => typeof v === 'string' && v !== '');
  if (!idList(item.flagCodes)) return refuse('flag-codes');
  if (!idList(item.departmentIds) || item.departmentIds.length === 0) {
    return refuse('department-ids');
  }
  return {
    itemId: item.itemId,
    section: item.section,
    subject: { kind: subject.kind, id: subject.id },
    familyId: item.familyId,
    personId: item.personId,
    dueDate: item.dueDate,
    flagCodes: sortedUnique(item.flagCodes),
    isNew: item.isNew,
    departmentIds: sortedUnique(item.departmentIds),
  };
}

function checkedOwner(owner: AgreementOwnerInput, at: string): AgreementOwner {
  const given = owner as Partial<{ kind: string; caseworker: unknown; departmentId: unknown }>;
  if (given?.kind === 'caseworker' && typeof given.caseworker === 'object') {
    const caseworker = (owner as Extract<AgreementOwnerInput, { kind: 'caseworker' }>).caseworker;
    requireId(caseworker?.caseworkerId, 'owner.caseworker');
    requireActiveCaseworker(caseworker, at);
    return { kind: 'caseworker', caseworkerId: caseworker.caseworkerId };
  }
  if (given?.kind === 'department' && typeof given.departmentId === 'string') {
    return { kind: 'department', departmentId: requireId(given.departmentId, 'owner') };
  }
  throw new InvalidCommandError(
    MEETING_ERRORS.invalidOwner,
    'An agreement is owned by a caseworker or a department',
  );
}

function sameOwner(a: AgreementOwner, b: AgreementOwner): boolean {
  return a.kind === 'caseworker'
    ? b.kind === 'caseworker' && a.caseworkerId === b.caseworkerId
    : b.kind === 'department' && a.departmentId === b.departmentId;
}

function requireAgreement(state: MeetingState, agreementId: string): MeetingAgreementState {
  const agreement = state.agreements.get(agreementId);
  if (agreement === undefined) {
    throw new NotFoundError(MEETING_ERRORS.agreementNotFound, 'No agreement with this id', {
      agreementId,
    });
  }
  if (agreement.status !== 'open') {
    throw new ConflictError(MEETING_ERRORS.agreementNotOpen, 'The agreement is closed', {
      agreementId,
      status: agreement.status,
    });
  }
  return agreement;
}

/**
 * One coordination meeting. Decisions, in brief:
 *
 * - Planned once, for a working day today or later, with the agenda's cut-off no later than the
 *   end of the meeting day (Danish time).
 * - The agenda is frozen once, not before the cut-off unless forced (recorded as `early`).
 * - Minutes and agreements need the frozen agenda and the meeting day, name an item on it or an
 *   `other:<uuid>` item, and stop at approval (MINUTES_APPROVED); after approval only
 *   CorrectMinutes changes minutes. Agreements are followed up (completed or cancelled, once)
 *   before or after approval.
 * - Harmless retries record nothing: the same minutes again, the same agreement again.
 */
export const meetingDecider: Decider<MeetingCommand, MeetingEvent, MeetingState> = {
  initialState: {
    planned: null,
    agenda: null,
    minutes: new Map(),
    agreements: new Map(),
    approvedAt: null,
  },

  decide(command, state) {
    const meetingId = command.meetingId;
    const now = validTime(command.now, 'now');
    const at = now.toISOString();
    switch (command.type) {
      case 'PlanMeeting': {
        if (state.planned !== null) {
          throw new ConflictError(MEETING_ERRORS.alreadyPlanned, 'The meeting is planned already', {
            meetingId,
          });
        }
        requireId(meetingId, 'meetingId');
        const chairDepartmentId = requireId(command.chairDepartmentId, 'chairDepartmentId');
        const departmentIds = checkedDepartments(command.departmentIds, chairDepartmentId);
        if (!isIsoDate(command.date)) {
          throw new InvalidCommandError(
            MEETING_ERRORS.invalidDate,
            "The meeting date must be a real date, 'YYYY-MM-DD'",
          );
        }
        if (command.date < copenhagenDateOf(now)) {
          throw new InvalidCommandError(
            MEETING_ERRORS.dateInThePast,
            'A meeting is planned for today or later',
          );
        }
        if (!isWorkingDay(command.date, command.calendar)) {
          throw new InvalidCommandError(
            MEETING_ERRORS.notAWorkingDay,
            'The meeting date is a weekend day, a public holiday or a closing day',
            { date: command.date },
          );
        }
        const cutOff = validTime(command.agendaCutOffAt, 'agendaCutOffAt');
        if (cutOff.getTime() > endOfCopenhagenDay(command.date).getTime()) {
          throw new InvalidCommandError(
            MEETING_ERRORS.cutOffAfterMeeting,
            "The agenda's cut-off is at the latest the end of the meeting day",
          );
        }
        return [
          {
            type: 'MeetingPlanned',
            data: {
              meetingId,
              date: command.date,
              chairDepartmentId,
              departmentIds,
              agendaCutOffAt: cutOff.toISOString(),
              plannedAt: at,
            },
          },
        ];
      }
      case 'FreezeAgenda': {
        const planned = requirePlanned(command, state);
        if (state.agenda !== null) {
          throw new ConflictError(
            MEETING_ERRORS.agendaAlreadyFrozen,
            'The agenda is frozen already',
            { frozenAt: state.agenda.frozenAt },
          );
        }
        const early = now.getTime() < new Date(planned.agendaCutOffAt).getTime();
        if (early && command.force !== true) {
          throw new ConflictError(
            MEETING_ERRORS.beforeCutOff,
            "The agenda's cut-off has not passed: freeze early only by force",
            { agendaCutOffAt: planned.agendaCutOffAt },
          );
        }
        const previousMeetingId =
          command.previousMeetingId === null
            ? null
            : requireId(command.previousMeetingId, 'previousMeetingId');
        if (!Array.isArray(command.items)) {
          throw new InvalidCommandError(MEETING_ERRORS.invalidAgendaItem, 'Items are a list');
        }
        const items = command.items.map(checkedAgendaItem);
        const seen = new Set<string>();
        items.forEach((item, index) => {
          if (seen.has(item.itemId)) {
            throw new InvalidCommandError(
              MEETING_ERRORS.invalidAgendaItem,
              'An item is on the agenda once',
              { index, problem: 'duplicate', itemId: item.itemId },
            );
          }
          seen.add(item.itemId);
        });
        return [
          {
            type: 'AgendaFrozen',
            data: { meetingId, frozenAt: at, early, previousMeetingId, items },
          },
        ];
      }
      case 'RecordItemMinutes': {
        const planned = requirePlanned(command, state);
        const agenda = requireFrozen(state);
        requireNotApproved(state);
        requireHeld(planned, now);
        const recordedAt = stepAt(planned, command.at, now);
        requireItem(agenda, command.itemId);
        const outcome = checkedText(command.outcome, 'outcome');
        const decisions = checkedDecisions(command.decisions);
        if (sameMinutes(state.minutes.get(command.itemId), outcome, decisions)) return [];
        return [
          {
            type: 'ItemMinutesRecorded',
            data: { meetingId, itemId: command.itemId, outcome, decisions, recordedAt },
          },
        ];
      }
      case 'MakeAgreement': {
        const planned = requirePlanned(command, state);
        const agenda = requireFrozen(state);
        requireNotApproved(state);
        requireHeld(planned, now);
        const madeAt = stepAt(planned, command.at, now);
        const agreementId = requireId(command.agreementId, 'agreementId');
        const item = requireItem(agenda, command.itemId);
        const what = checkedText(command.what, 'what');
        const owner = checkedOwner(command.owner, madeAt);
        if (!isIsoDate(command.dueDate)) {
          throw new InvalidCommandError(
            MEETING_ERRORS.invalidDueDate,
            "The due date must be a real date, 'YYYY-MM-DD'",
          );
        }
        if (command.dueDate < planned.date) {
          throw new InvalidCommandError(
            MEETING_ERRORS.dueDateBeforeMeeting,
            'An agreement cannot be due before the meeting that made it',
            { date: planned.date },
          );
        }
        const known = state.agreements.get(agreementId);
        if (known !== undefined) {
          const retry =
            known.itemId === command.itemId &&
            known.what === what &&
            known.dueDate === command.dueDate &&
            sameOwner(known.owner, owner);
          if (retry) return [];
          throw new ConflictError(
            MEETING_ERRORS.agreementIdReused,
            'An agreement with this id was made with other content',
            { agreementId },
          );
        }
        return [
          {
            type: 'AgreementMade',
            data: {
              meetingId,
              agreementId,
              itemId: command.itemId,
              what,
              owner,
              dueDate: command.dueDate,
              familyId: item?.familyId ?? null,
              personId: item?.personId ?? null,
              madeAt,
            },
          },
        ];
      }
      case 'ApproveMinutes': {
        const planned = requirePlanned(command, state);
        requireFrozen(state);
        requireNotApproved(state);
        requireHeld(planned, now);
        const approvedAt = stepAt(planned, command.at, now);
        requireActiveCaseworker(command.by, approvedAt);
        return [
          {
            type: 'MinutesApproved',
            data: { meetingId, approvedAt, approvedBy: command.by.caseworkerId },
          },
        ];
      }
      case 'CorrectMinutes': {
        requirePlanned(command, state);
        const agenda = requireFrozen(state);
        if (state.approvedAt === null) {
          throw new ConflictError(
            MEETING_ERRORS.minutesNotApproved,
            'Minutes not yet approved are changed by recording them again',
          );
        }
        const correctedAt = requireNotBefore(occurredAt(command.at, now, 'at'), state.approvedAt, {
          code: MEETING_ERRORS.beforeApproval,
          message: 'at is before the minutes were approved',
          details: { field: 'at', approvedAt: state.approvedAt },
        });
        requireItem(agenda, command.itemId);
        const outcome = checkedText(command.outcome, 'outcome');
        const decisions = checkedDecisions(command.decisions);
        const reason = checkedText(command.reason, 'reason');
        if (sameMinutes(state.minutes.get(command.itemId), outcome, decisions)) return [];
        return [
          {
            type: 'MinutesCorrected',
            data: {
              meetingId,
              itemId: command.itemId,
              outcome,
              decisions,
              reason,
              correctedAt,
            },
          },
        ];
      }
      case 'CompleteAgreement': {
        requirePlanned(command, state);
        const agreement = requireAgreement(state, command.agreementId);
        const completedAt = agreementStepAt(agreement, command.at, now);
        const note =
          typeof command.note === 'string' && command.note.trim() !== ''
            ? checkedText(command.note, 'note')
            : undefined;
        return [
          {
            type: 'AgreementCompleted',
            data: {
              meetingId,
              agreementId: command.agreementId,
              completedAt,
              ...(note === undefined ? {} : { note }),
            },
          },
        ];
      }
      case 'CancelAgreement': {
        requirePlanned(command, state);
        const agreement = requireAgreement(state, command.agreementId);
        const cancelledAt = agreementStepAt(agreement, command.at, now);
        const reason = checkedText(command.reason, 'reason');
        return [
          {
            type: 'AgreementCancelled',
            data: { meetingId, agreementId: command.agreementId, reason, cancelledAt },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'MeetingPlanned':
        return {
          ...state,
          planned: {
            date: event.data.date,
            departmentIds: event.data.departmentIds,
            agendaCutOffAt: event.data.agendaCutOffAt,
          },
        };
      case 'AgendaFrozen':
        return {
          ...state,
          agenda: {
            frozenAt: event.data.frozenAt,
            items: new Map(event.data.items.map((item) => [item.itemId, item])),
          },
        };
      case 'ItemMinutesRecorded':
      case 'MinutesCorrected':
        return {
          ...state,
          minutes: new Map(state.minutes).set(event.data.itemId, {
            outcome: event.data.outcome,
            decisions: event.data.decisions,
          }),
        };
      case 'AgreementMade':
        return {
          ...state,
          agreements: new Map(state.agreements).set(event.data.agreementId, {
            itemId: event.data.itemId,
            what: event.data.what,
            owner: event.data.owner,
            dueDate: event.data.dueDate,
            status: 'open',
            madeAt: event.data.madeAt,
          }),
        };
      case 'MinutesApproved':
        return { ...state, approvedAt: event.data.approvedAt };
      case 'AgreementCompleted':
      case 'AgreementCancelled': {
        const agreement = state.agreements.get(event.data.agreementId);
        if (agreement === undefined) return state;
        const status: AgreementStatus = event.type === 'AgreementCompleted' ? 'done' : 'cancelled';
        return {
          ...state,
          agreements: new Map(state.agreements).set(event.data.agreementId, {
            ...agreement,
            status,
          }),
        };
      }
      default:
        return assertNever(event);
    }
  },
};

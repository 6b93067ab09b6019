import { requireActiveCaseworker } from '../caseworkers/caseworker.decider';
import { assertNever, type Decider } from '../shared/decider';
import { commandChecks } from '../shared/command-checks';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';

export interface OpenCaseState {
  readonly status: 'open';
  readonly openedAt: string;
  /** When the latest step that moved the case (opened, caseworker assigned or changed) happened. */
  readonly lastStepAt: string;
  readonly departmentId: string;
  readonly caseworkerId: string | null;
  /** A change the citizen has not been told of yet. */
  readonly untoldChangeAt: string | null;
}

export type CaseState =
  | { readonly status: 'none' }
  | OpenCaseState
  | { readonly status: 'closed'; readonly closedAt: string };

export const CASE_ERRORS = {
  alreadyExists: 'CASE.ALREADY_EXISTS',
  notFound: 'CASE.NOT_FOUND',
  alreadyClosed: 'CASE.ALREADY_CLOSED',
  caseworkerAlreadyAssigned: 'CASE.CASEWORKER_ALREADY_ASSIGNED',
  noCaseworker: 'CASE.NO_CASEWORKER',
  sameCaseworker: 'CASE.SAME_CASEWORKER',
  nothingToTell: 'CASE.NO_UNTOLD_CHANGE',
  toldInFuture: 'CASE.TOLD_IN_THE_FUTURE',
  invalidTime: 'CASE.INVALID_TIME',
  inTheFuture: 'CASE.IN_THE_FUTURE',
  beforeOpened: 'CASE.BEFORE_OPENED',
  beforePreviousStep: 'CASE.BEFORE_PREVIOUS_STEP',
  toldBeforeChange: 'CASE.TOLD_BEFORE_CHANGE',
  missingId: 'CASE.MISSING_ID',
} as const;

const { occurredAt } = commandChecks(CASE_ERRORS);

/**
 * The order of a case's steps matters (who had the case when), so a step may not be dated
 * before the case opened, nor before the latest step that moved it: a late recording of an
 * earlier caseworker change would rewrite who had the case afterwards.
 */
function requireInOrder(open: OpenCaseState, at: string): void {
  if (at < open.openedAt) {
    throw new InvalidCommandError(CASE_ERRORS.beforeOpened, 'at is before the case was opened', {
      field: 'at',
      openedAt: open.openedAt,
    });
  }
  if (at < open.lastStepAt) {
    throw new InvalidCommandError(
      CASE_ERRORS.beforePreviousStep,
      "at is before the case's latest step",
      { field: 'at', lastStepAt: open.lastStepAt },
    );
  }
}

function requireOpen(command: { caseId: string }, state: CaseState): OpenCaseState {
  if (state.status === 'none') {
    throw new NotFoundError(CASE_ERRORS.notFound, 'No case with this id', {
      caseId: command.caseId,
    });
  }
  if (state.status === 'closed') {
    throw new ConflictError(CASE_ERRORS.alreadyClosed, 'The case is closed', {
      caseId: command.caseId,
      closedAt: state.closedAt,
    });
  }
  return state;
}

/** The citizen is told of a change after it happened, not before. */
function requireToldAfter(toldAt: Date, changedAt: string, field: string): void {
  if (toldAt.toISOString() < changedAt) {
    throw new InvalidCommandError(
      CASE_ERRORS.toldBeforeChange,
      'The citizen cannot have been told before the change',
      { field, changedAt },
    );
  }
}

function requireNotInFuture(toldAt: Date, now: Date): void {
  if (toldAt.getTime() > now.getTime()) {
    throw new InvalidCommandError(
      CASE_ERRORS.toldInFuture,
      'The citizen cannot have been told in the future',
    );
  }
}

const later = (a: string, b: string): string => (a > b ? a : b);

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const at =
      command.type === 'RecordCitizenTold'
        ? command.now.toISOString()
        : occurredAt(command.at, command.now, 'at').toISOString();
    switch (command.type) {
      case 'OpenCase':
        if (state.status !== 'none') {
          throw new ConflictError(CASE_ERRORS.alreadyExists, 'A case with this id exists already', {
            caseId: command.caseId,
          });
        }
        return [
          {
            type: 'CaseOpened',
            data: {
              caseId: command.caseId,
              personId: command.personId,
              departmentId: command.departmentId,
              caseType: command.caseType,
              openedAt: at,
            },
          },
        ];
      case 'AssignCaseworker': {
        const open = requireOpen(command, state);
        if (open.caseworkerId !== null) {
          if (open.caseworkerId === command.caseworker.caseworkerId) return [];
          throw new ConflictError(
            CASE_ERRORS.caseworkerAlreadyAssigned,
            'The case has a caseworker; change caseworker instead, so the citizen is told',
            { caseworkerId: open.caseworkerId },
          );
        }
        requireActiveCaseworker(command.caseworker, at);
        requireInOrder(open, at);
        return [
          {
            type: 'CaseworkerAssigned',
            data: {
              caseId: command.caseId,
              caseworkerId: command.caseworker.caseworkerId,
              assignedAt: at,
            },
          },
        ];
      }
      case 'ChangeCaseworker': {
        const open = requireOpen(command, state);
        if (open.caseworkerId === null) {
          throw new ConflictError(
            CASE_ERRORS.noCaseworker,
            'The case has no caseworker to change from; assign one',
          );
        }
        if (open.caseworkerId === command.to.caseworkerId) {
          throw new ConflictError(
            CASE_ERRORS.sameCaseworker,
            'This caseworker has the case already',
          );
        }
        requireActiveCaseworker(command.to, at);
        requireInOrder(open, at);
        const changed: CaseEvent = {
          type: 'CaseworkerChanged',
          data: {
            caseId: command.caseId,
            fromCaseworkerId: open.caseworkerId,
            toCaseworkerId: command.to.caseworkerId,
            reason: command.reason,
            changedAt: at,
          },
        };
        if (!command.citizenTold) return [changed];
        // Told in the same breath (e.g. at the meeting that decided it): no order between the two.
        requireNotInFuture(command.citizenTold.at, command.now);
        return [
          changed,
          {
            type: 'CitizenToldOfCaseworkerChange',
            data: {
              caseId: command.caseId,
              caseworkerId: command.to.caseworkerId,
              channel: command.citizenTold.channel,
              toldAt: command.citizenTold.at.toISOString(),
            },
          },
        ];
      }
      case 'RecordCitizenTold': {
        const open = requireOpen(command, state);
        if (open.untoldChangeAt === null || open.caseworkerId === null) {
          throw new ConflictError(
            CASE_ERRORS.nothingToTell,
            'There is no caseworker change the citizen has not been told of',
          );
        }
        requireNotInFuture(command.toldAt, command.now);
        requireToldAfter(command.toldAt, open.untoldChangeAt, 'toldAt');
        return [
          {
            type: 'CitizenToldOfCaseworkerChange',
            data: {
              caseId: command.caseId,
              caseworkerId: open.caseworkerId,
              channel: command.channel,
              toldAt: command.toldAt.toISOString(),
            },
          },
        ];
      }
      case 'CloseCase':
        requireInOrder(requireOpen(command, state), at);
        return [
          {
            type: 'CaseClosed',
            data: { caseId: command.caseId, reason: command.reason, closedAt: at },
          },
        ];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CaseOpened':
        return {
          status: 'open',
          openedAt: event.data.openedAt,
          lastStepAt: event.data.openedAt,
          departmentId: event.data.departmentId,
          caseworkerId: null,
          untoldChangeAt: null,
        };
      case 'CaseworkerAssigned':
        return state.status === 'open'
          ? {
              ...state,
              caseworkerId: event.data.caseworkerId,
              lastStepAt: later(state.lastStepAt, event.data.assignedAt),
            }
          : state;
      case 'CaseworkerChanged':
        return state.status === 'open'
          ? {
              ...state,
              caseworkerId: event.data.toCaseworkerId,
              untoldChangeAt: event.data.changedAt,
              lastStepAt: later(state.lastStepAt, event.data.changedAt),
            }
          : state;
      case 'CitizenToldOfCaseworkerChange':
        return state.status === 'open' ? { ...state, untoldChangeAt: null } : state;
      case 'CaseClosed':
        return { status: 'closed', closedAt: event.data.closedAt };
      default:
        return assertNever(event);
    }
  },
};

import { requireActiveCaseworker } from '../caseworkers/caseworker.decider';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';

export interface OpenCaseState {
  readonly status: 'open';
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
} as const;

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

function requireNotInFuture(toldAt: Date, now: Date): void {
  if (toldAt.getTime() > now.getTime()) {
    throw new InvalidCommandError(
      CASE_ERRORS.toldInFuture,
      'The citizen cannot have been told in the future',
    );
  }
}

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const at = command.now.toISOString();
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
        requireActiveCaseworker(command.caseworker);
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
        requireActiveCaseworker(command.to);
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
        requireOpen(command, state);
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
          departmentId: event.data.departmentId,
          caseworkerId: null,
          untoldChangeAt: null,
        };
      case 'CaseworkerAssigned':
        return state.status === 'open'
          ? { ...state, caseworkerId: event.data.caseworkerId }
          : state;
      case 'CaseworkerChanged':
        return state.status === 'open'
          ? {
              ...state,
              caseworkerId: event.data.toCaseworkerId,
              untoldChangeAt: event.data.changedAt,
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

import { ConflictError, NotFoundError } from '../shared/domain-error';
import { assertNever, type Decider } from '../shared/decider';
import type { CaseCommand } from './case.commands';
import type { CaseEvent } from './case.events';

export type CaseState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly departmentId: string; readonly openedAt: string }
  | { readonly status: 'closed'; readonly departmentId: string; readonly closedAt: string };

export const CASE_ERRORS = {
  alreadyExists: 'CASE.ALREADY_EXISTS',
  notFound: 'CASE.NOT_FOUND',
  alreadyClosed: 'CASE.ALREADY_CLOSED',
} as const;

export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  initialState: { status: 'none' },

  decide(command, state) {
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
              openedAt: command.now.toISOString(),
            },
          },
        ];
      case 'CloseCase':
        if (state.status === 'none') {
          throw new NotFoundError(CASE_ERRORS.notFound, 'No case with this id', {
            caseId: command.caseId,
          });
        }
        if (state.status === 'closed') {
          throw new ConflictError(CASE_ERRORS.alreadyClosed, 'The case is closed already', {
            caseId: command.caseId,
            closedAt: state.closedAt,
          });
        }
        return [
          {
            type: 'CaseClosed',
            data: {
              caseId: command.caseId,
              reason: command.reason,
              closedAt: command.now.toISOString(),
            },
          },
        ];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CaseOpened':
        return { status: 'open', departmentId: event.data.departmentId, openedAt: event.data.openedAt };
      case 'CaseClosed':
        return {
          status: 'closed',
          departmentId: state.status === 'none' ? '' : state.departmentId,
          closedAt: event.data.closedAt,
        };
      default:
        return assertNever(event);
    }
  },
};

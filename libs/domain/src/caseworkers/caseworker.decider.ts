import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, NotFoundError } from '../shared/domain-error';
import type { CaseworkerEvent } from './caseworker.events';

export type CaseworkerCommand =
  | {
      readonly type: 'RegisterCaseworker';
      readonly caseworkerId: string;
      readonly departmentId: string;
      readonly now: Date;
    }
  | {
      readonly type: 'DeactivateCaseworker';
      readonly caseworkerId: string;
      readonly reason: string;
      readonly now: Date;
    }
  | { readonly type: 'ReactivateCaseworker'; readonly caseworkerId: string; readonly now: Date };

export type CaseworkerState =
  | { readonly status: 'none' }
  | { readonly status: 'active' | 'inactive'; readonly departmentId: string };

export const CASEWORKER_ERRORS = {
  alreadyExists: 'CASEWORKER.ALREADY_EXISTS',
  notFound: 'CASEWORKER.NOT_FOUND',
  inactive: 'CASEWORKER.INACTIVE',
  alreadyInactive: 'CASEWORKER.ALREADY_INACTIVE',
  alreadyActive: 'CASEWORKER.ALREADY_ACTIVE',
} as const;

export const caseworkerDecider: Decider<CaseworkerCommand, CaseworkerEvent, CaseworkerState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const at = command.now.toISOString();
    if (command.type === 'RegisterCaseworker') {
      if (state.status !== 'none') {
        throw new ConflictError(
          CASEWORKER_ERRORS.alreadyExists,
          'A caseworker with this id exists already',
        );
      }
      return [
        {
          type: 'CaseworkerRegistered',
          data: {
            caseworkerId: command.caseworkerId,
            departmentId: command.departmentId,
            registeredAt: at,
          },
        },
      ];
    }
    if (state.status === 'none') {
      throw new NotFoundError(CASEWORKER_ERRORS.notFound, 'No caseworker with this id', {
        caseworkerId: command.caseworkerId,
      });
    }
    switch (command.type) {
      case 'DeactivateCaseworker':
        if (state.status === 'inactive') {
          throw new ConflictError(
            CASEWORKER_ERRORS.alreadyInactive,
            'The caseworker is inactive already',
          );
        }
        return [
          {
            type: 'CaseworkerDeactivated',
            data: { caseworkerId: command.caseworkerId, reason: command.reason, deactivatedAt: at },
          },
        ];
      case 'ReactivateCaseworker':
        if (state.status === 'active') {
          throw new ConflictError(
            CASEWORKER_ERRORS.alreadyActive,
            'The caseworker is active already',
          );
        }
        return [
          {
            type: 'CaseworkerReactivated',
            data: { caseworkerId: command.caseworkerId, reactivatedAt: at },
          },
        ];
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CaseworkerRegistered':
        return { status: 'active', departmentId: event.data.departmentId };
      case 'CaseworkerDeactivated':
        return state.status === 'none' ? state : { ...state, status: 'inactive' };
      case 'CaseworkerReactivated':
        return state.status === 'none' ? state : { ...state, status: 'active' };
      default:
        return assertNever(event);
    }
  },
};

/** What other deciders need to know about a caseworker, looked up by the command handler. */
export interface CaseworkerFacts {
  readonly caseworkerId: string;
  readonly status: CaseworkerState['status'];
}

/** Shared guard: only an existing, active caseworker can take on a case or a family. */
export function requireActiveCaseworker(facts: CaseworkerFacts): void {
  if (facts.status === 'none') {
    throw new NotFoundError(CASEWORKER_ERRORS.notFound, 'No caseworker with this id', {
      caseworkerId: facts.caseworkerId,
    });
  }
  if (facts.status === 'inactive') {
    throw new ConflictError(CASEWORKER_ERRORS.inactive, 'The caseworker is deactivated', {
      caseworkerId: facts.caseworkerId,
    });
  }
}

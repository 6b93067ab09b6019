import { commandChecks } from '../shared/command-checks';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { CaseworkerEvent } from './caseworker.events';

export type CaseworkerCommand =
  | {
      readonly type: 'RegisterCaseworker';
      readonly caseworkerId: string;
      readonly departmentId: string;
      /** When it happened (default `now`); never after `now`. */
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'DeactivateCaseworker';
      readonly caseworkerId: string;
      readonly reason: string;
      readonly at?: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'ReactivateCaseworker';
      readonly caseworkerId: string;
      readonly at?: Date;
      readonly now: Date;
    };

export type CaseworkerState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'inactive';
      readonly departmentId: string;
      /** When the latest step (registration, deactivation, reactivation) happened. */
      readonly lastStepAt: string;
      readonly inactive: readonly InactiveSpan[];
    };

/** A time the caseworker was deactivated, until their reactivation (null: not reactivated). */
export interface InactiveSpan {
  readonly from: string;
  readonly until: string | null;
}

export const CASEWORKER_ERRORS = {
  alreadyExists: 'CASEWORKER.ALREADY_EXISTS',
  notFound: 'CASEWORKER.NOT_FOUND',
  inactive: 'CASEWORKER.INACTIVE',
  alreadyInactive: 'CASEWORKER.ALREADY_INACTIVE',
  alreadyActive: 'CASEWORKER.ALREADY_ACTIVE',
  invalidTime: 'CASEWORKER.INVALID_TIME',
  inTheFuture: 'CASEWORKER.IN_THE_FUTURE',
  beforePreviousStep: 'CASEWORKER.BEFORE_PREVIOUS_STEP',
  missingId: 'CASEWORKER.MISSING_ID',
} as const;

const { occurredAt } = commandChecks(CASEWORKER_ERRORS);

/**
 * Whether a caseworker was active decides who could take a case when, so a deactivation or a
 * reactivation may not be dated before the caseworker's latest step.
 */
function requireInOrder(lastStepAt: string, at: string): void {
  if (at < lastStepAt) {
    throw new InvalidCommandError(
      CASEWORKER_ERRORS.beforePreviousStep,
      "at is before the caseworker's latest step",
      { field: 'at', lastStepAt },
    );
  }
}

export const caseworkerDecider: Decider<CaseworkerCommand, CaseworkerEvent, CaseworkerState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const at = occurredAt(command.at, command.now, 'at').toISOString();
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
        requireInOrder(state.lastStepAt, at);
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
        requireInOrder(state.lastStepAt, at);
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
        return {
          status: 'active',
          departmentId: event.data.departmentId,
          lastStepAt: event.data.registeredAt,
          inactive: [],
        };
      case 'CaseworkerDeactivated':
        return state.status === 'none'
          ? state
          : {
              ...state,
              status: 'inactive',
              lastStepAt: event.data.deactivatedAt,
              inactive: [...state.inactive, { from: event.data.deactivatedAt, until: null }],
            };
      case 'CaseworkerReactivated':
        return state.status === 'none'
          ? state
          : {
              ...state,
              status: 'active',
              lastStepAt: event.data.reactivatedAt,
              inactive: state.inactive.map((span) =>
                span.until === null ? { ...span, until: event.data.reactivatedAt } : span,
              ),
            };
      default:
        return assertNever(event);
    }
  },
};

/** What other deciders need to know about a caseworker, looked up by the command handler. */
export interface CaseworkerFacts {
  readonly caseworkerId: string;
  readonly registered: boolean;
  /** Steps may be recorded late, so whether the caseworker was active is asked at a step's time. */
  readonly inactive: readonly InactiveSpan[];
}

export function caseworkerFactsOf(caseworkerId: string, state: CaseworkerState): CaseworkerFacts {
  return state.status === 'none'
    ? { caseworkerId, registered: false, inactive: [] }
    : { caseworkerId, registered: true, inactive: state.inactive };
}

/**
 * Shared guard: only an existing caseworker, active at the step's time `at`, can take on a case or
 * a family. A step recorded late for a caseworker who has left since is accepted; one dated
 * while they were deactivated is not.
 */
export function requireActiveCaseworker(facts: CaseworkerFacts, at: string): void {
  if (!facts.registered) {
    throw new NotFoundError(CASEWORKER_ERRORS.notFound, 'No caseworker with this id', {
      caseworkerId: facts.caseworkerId,
    });
  }
  const span = facts.inactive.find((s) => s.from <= at && (s.until === null || at < s.until));
  if (span) {
    throw new ConflictError(
      CASEWORKER_ERRORS.inactive,
      span.until === null
        ? 'The caseworker is deactivated'
        : 'The caseworker was deactivated at that time',
      { caseworkerId: facts.caseworkerId, deactivatedAt: span.from },
    );
  }
}

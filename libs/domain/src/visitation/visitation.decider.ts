import { commandChecks, requireNotBefore } from '../shared/command-checks';
import { requireActiveCaseworker } from '../caseworkers/caseworker.decider';
import { SHORT_TEXT_MAX_LENGTH, shortTextProblem } from '../shared/free-text';
import { isIsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { RouteReferral, VisitationCommand } from './visitation.commands';
import {
  VISITATION_DESTINATIONS,
  VISITATION_REASON_CODES,
  type VisitationDestination,
  type VisitationEvent,
  type VisitationReasonCode,
} from './visitation.events';

/** What a routing decided: the same again is a retry, anything else a second routing. */
interface RoutingContent {
  readonly destination: VisitationDestination;
  readonly caseworkerId: string | null;
  readonly reasonCode: VisitationReasonCode;
  readonly note: string | null;
  readonly meetingDate: string;
}

export interface VisitationState {
  readonly referral: {
    readonly caseId: string;
    readonly personId: string;
    readonly departmentId: string;
    readonly referredAt: string;
  } | null;
  readonly routedAt: string | null;
  readonly routing: RoutingContent | null;
  readonly withdrawnAt: string | null;
}

export const VISITATION_ERRORS = {
  notFound: 'VISITATION.NOT_FOUND',
  alreadyReferred: 'VISITATION.ALREADY_REFERRED',
  missingId: 'VISITATION.MISSING_ID',
  invalidTime: 'VISITATION.INVALID_TIME',
  inTheFuture: 'VISITATION.IN_THE_FUTURE',
  alreadyRouted: 'VISITATION.ALREADY_ROUTED',
  withdrawn: 'VISITATION.WITHDRAWN',
  unknownDestination: 'VISITATION.UNKNOWN_DESTINATION',
  unknownReason: 'VISITATION.UNKNOWN_REASON',
  caseworkerRequired: 'VISITATION.CASEWORKER_REQUIRED',
  caseworkerNotAllowed: 'VISITATION.CASEWORKER_NOT_ALLOWED',
  noteRequired: 'VISITATION.NOTE_REQUIRED',
  invalidText: 'VISITATION.INVALID_TEXT',
  textMayContainCpr: 'VISITATION.TEXT_MAY_CONTAIN_CPR',
  invalidMeetingDate: 'VISITATION.INVALID_MEETING_DATE',
  beforeReferral: 'VISITATION.BEFORE_REFERRAL',
  meetingAfterRouting: 'VISITATION.MEETING_AFTER_ROUTING',
} as const;

type Referral = NonNullable<VisitationState['referral']>;

const checks = commandChecks(VISITATION_ERRORS, { nowField: 'now' });
const { requireId } = checks;

/** When it happened: `at` (default `now`), not after `now` and not before the referral. */
function occurredAt(at: Date | undefined, now: Date, field: string, referral?: Referral): Date {
  const when = checks.occurredAt(at, now, field);
  if (referral !== undefined) {
    requireNotBefore(when, referral.referredAt, {
      code: VISITATION_ERRORS.beforeReferral,
      message: 'This cannot have happened before the referral',
      details: { field, referredAt: referral.referredAt },
    });
  }
  return when;
}

/** The referral, still waiting: neither routed nor withdrawn. */
function requireWaiting(command: { referralId: string }, state: VisitationState): Referral {
  if (state.referral === null) {
    throw new NotFoundError(VISITATION_ERRORS.notFound, 'No referral with this id', {
      referralId: command.referralId,
    });
  }
  if (state.routedAt !== null) {
    throw new ConflictError(VISITATION_ERRORS.alreadyRouted, 'The referral has been routed', {
      routedAt: state.routedAt,
    });
  }
  if (state.withdrawnAt !== null) {
    throw new ConflictError(VISITATION_ERRORS.withdrawn, 'The referral has been withdrawn', {
      withdrawnAt: state.withdrawnAt,
    });
  }
  return state.referral;
}

/** A trimmed short text; undefined when blank and not required. */
function checkedText(value: unknown, field: string, required: boolean): string | undefined {
  const problem = shortTextProblem(value);
  if (problem === 'empty') {
    if (!required) return undefined;
    throw new InvalidCommandError(
      field === 'note' ? VISITATION_ERRORS.noteRequired : VISITATION_ERRORS.invalidText,
      'A text is required here',
      { field },
    );
  }
  if (problem === 'may-contain-cpr') {
    throw new InvalidCommandError(
      VISITATION_ERRORS.textMayContainCpr,
      'The text looks like it contains a CPR number; events never hold one',
      { field },
    );
  }
  if (problem === 'too-long') {
    throw new InvalidCommandError(VISITATION_ERRORS.invalidText, 'The text is too long', {
      field,
      maxLength: SHORT_TEXT_MAX_LENGTH,
    });
  }
  return (value as string).trim();
}

/** A routing command asking for what was routed already (its time aside, as for a referral). */
function isSameRouting(routing: RoutingContent, command: RouteReferral): boolean {
  const note =
    typeof command.note === 'string' && command.note.trim() !== '' ? command.note.trim() : null;
  return (
    routing.destination === command.destination &&
    routing.caseworkerId === (command.caseworker?.caseworkerId ?? null) &&
    routing.reasonCode === command.reasonCode &&
    routing.note === note &&
    routing.meetingDate === command.meetingDate
  );
}

/**
 * One referral of a new adult case to the weekly visitation meeting. Decisions, in brief:
 *
 * - A referral is made once (the same referral again records nothing; other content conflicts).
 * - It ends once: routed (to one destination, by a meeting held on or after the referral's day)
 *   or withdrawn. Neither can be dated before the referral or in the future. The same routing
 *   again records nothing: routing to a caseworker is followed by a command on the case's stream,
 *   and a retry of the two must get past the first. Another routing conflicts.
 * - Routing to 'caseworker' assigns an active caseworker there and then; other destinations
 *   take none. Reason 'other' needs a note.
 */
export const visitationDecider: Decider<VisitationCommand, VisitationEvent, VisitationState> = {
  initialState: { referral: null, routedAt: null, routing: null, withdrawnAt: null },

  decide(command, state) {
    const referralId = command.referralId;
    switch (command.type) {
      case 'ReferToVisitation': {
        requireId(referralId, 'referralId');
        const caseId = requireId(command.caseId, 'caseId');
        const personId = requireId(command.personId, 'personId');
        const departmentId = requireId(command.departmentId, 'departmentId');
        const referredAt = occurredAt(command.referredAt, command.now, 'referredAt');
        const known = state.referral;
        if (known !== null) {
          const retry =
            known.caseId === caseId &&
            known.personId === personId &&
            known.departmentId === departmentId;
          if (retry) return [];
          throw new ConflictError(
            VISITATION_ERRORS.alreadyReferred,
            'A referral with this id exists with other content',
            { referralId },
          );
        }
        return [
          {
            type: 'CaseReferredToVisitation',
            data: {
              referralId,
              caseId,
              personId,
              departmentId,
              referredAt: referredAt.toISOString(),
            },
          },
        ];
      }
      case 'RouteReferral': {
        if (state.routing !== null && isSameRouting(state.routing, command)) return [];
        const referral = requireWaiting(command, state);
        if (!(VISITATION_DESTINATIONS as readonly string[]).includes(command.destination)) {
          throw new InvalidCommandError(
            VISITATION_ERRORS.unknownDestination,
            'Unknown destination',
            { allowed: VISITATION_DESTINATIONS.join(',') },
          );
        }
        if (!(VISITATION_REASON_CODES as readonly string[]).includes(command.reasonCode)) {
          throw new InvalidCommandError(VISITATION_ERRORS.unknownReason, 'Unknown reason code', {
            allowed: VISITATION_REASON_CODES.join(','),
          });
        }
        const routedAt = occurredAt(command.routedAt, command.now, 'routedAt', referral);
        let caseworkerId: string | null = null;
        if (command.destination === 'caseworker') {
          if (command.caseworker === null || command.caseworker === undefined) {
            throw new InvalidCommandError(
              VISITATION_ERRORS.caseworkerRequired,
              "Routing to 'caseworker' assigns one",
            );
          }
          caseworkerId = requireId(command.caseworker.caseworkerId, 'caseworker');
          requireActiveCaseworker(command.caseworker, routedAt.toISOString());
        } else if (command.caseworker !== null && command.caseworker !== undefined) {
          throw new InvalidCommandError(
            VISITATION_ERRORS.caseworkerNotAllowed,
            "Only routing to 'caseworker' assigns one",
            { destination: command.destination },
          );
        }
        const note = checkedText(command.note, 'note', command.reasonCode === 'other');
        if (!isIsoDate(command.meetingDate)) {
          throw new InvalidCommandError(
            VISITATION_ERRORS.invalidMeetingDate,
            "The meeting date must be a real date, 'YYYY-MM-DD'",
          );
        }
        if (command.meetingDate < copenhagenDateOf(new Date(referral.referredAt))) {
          throw new InvalidCommandError(
            VISITATION_ERRORS.beforeReferral,
            'The meeting cannot have been before the referral',
            { field: 'meetingDate', referredAt: referral.referredAt },
          );
        }
        if (command.meetingDate > copenhagenDateOf(routedAt)) {
          throw new InvalidCommandError(
            VISITATION_ERRORS.meetingAfterRouting,
            'The routing is recorded at or after the meeting that decided it',
          );
        }
        return [
          {
            type: 'ReferralRouted',
            data: {
              referralId,
              destination: command.destination,
              caseworkerId,
              reasonCode: command.reasonCode,
              ...(note === undefined ? {} : { note }),
              meetingDate: command.meetingDate,
              routedAt: routedAt.toISOString(),
            },
          },
        ];
      }
      case 'WithdrawReferral': {
        const referral = requireWaiting(command, state);
        const reason = checkedText(command.reason, 'reason', true) as string;
        const withdrawnAt = occurredAt(command.withdrawnAt, command.now, 'withdrawnAt', referral);
        return [
          {
            type: 'ReferralWithdrawn',
            data: { referralId, reason, withdrawnAt: withdrawnAt.toISOString() },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'CaseReferredToVisitation': {
        const { caseId, personId, departmentId, referredAt } = event.data;
        return { ...state, referral: { caseId, personId, departmentId, referredAt } };
      }
      case 'ReferralRouted': {
        const { destination, caseworkerId, reasonCode, note, meetingDate, routedAt } = event.data;
        const routing = { destination, caseworkerId, reasonCode, note: note ?? null, meetingDate };
        return { ...state, routedAt, routing };
      }
      case 'ReferralWithdrawn':
        return { ...state, withdrawnAt: event.data.withdrawnAt };
      default:
        return assertNever(event);
    }
  },
};

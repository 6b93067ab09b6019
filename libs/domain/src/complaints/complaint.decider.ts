import { CONTACT_CHANNELS } from '../cases/case.events';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { ComplaintCommand } from './complaint.commands';
import {
  COMPLAINT_OUTCOMES,
  COMPLAINT_TOPICS,
  type ComplaintEvent,
  type ComplaintOutcome,
} from './complaint.events';

export type ComplaintState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly receivedAt: string }
  | {
      readonly status: 'resolved';
      readonly receivedAt: string;
      readonly outcome: ComplaintOutcome;
      readonly resolvedAt: string;
    };

export const COMPLAINT_ERRORS = {
  alreadyExists: 'COMPLAINT.ALREADY_EXISTS',
  notFound: 'COMPLAINT.NOT_FOUND',
  alreadyResolved: 'COMPLAINT.ALREADY_RESOLVED',
  missingId: 'COMPLAINT.MISSING_ID',
  unknownTopic: 'COMPLAINT.UNKNOWN_TOPIC',
  unknownChannel: 'COMPLAINT.UNKNOWN_CHANNEL',
  unknownOutcome: 'COMPLAINT.UNKNOWN_OUTCOME',
  resolvedBeforeReceived: 'COMPLAINT.RESOLVED_BEFORE_RECEIVED',
  inTheFuture: 'COMPLAINT.IN_THE_FUTURE',
  invalidTime: 'COMPLAINT.INVALID_TIME',
} as const;

/** When it happened: `at` (default `now`), which may not be after `now`. */
function occurredAt(at: Date | undefined, now: Date, field: string): Date {
  const when = at ?? now;
  for (const time of [when, now]) {
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new InvalidCommandError(COMPLAINT_ERRORS.invalidTime, 'Expected a valid time', {
        field,
      });
    }
  }
  if (when.getTime() > now.getTime()) {
    throw new InvalidCommandError(
      COMPLAINT_ERRORS.inTheFuture,
      'This cannot have happened in the future',
      { field },
    );
  }
  return when;
}

function requireId(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidCommandError(COMPLAINT_ERRORS.missingId, 'An id is required', { field });
  }
  return value;
}

function optionalId(value: string | null, field: string): string | null {
  return value === null ? null : requireId(value, field);
}

function requireOneOf<T extends string>(
  allowed: readonly T[],
  value: T,
  code: string,
  what: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidCommandError(code, `Unknown ${what}`, { allowed: allowed.join(',') });
  }
  return value;
}

/**
 * One complaint: registered once, resolved once. A resolution cannot predate the receipt or lie
 * in the future.
 */
export const complaintDecider: Decider<ComplaintCommand, ComplaintEvent, ComplaintState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const complaintId = command.complaintId;
    switch (command.type) {
      case 'RegisterComplaint': {
        if (state.status !== 'none') {
          throw new ConflictError(
            COMPLAINT_ERRORS.alreadyExists,
            'A complaint with this id exists already',
            { complaintId },
          );
        }
        const receivedAt = occurredAt(command.receivedAt, command.now, 'receivedAt');
        return [
          {
            type: 'ComplaintRegistered',
            data: {
              complaintId: requireId(complaintId, 'complaintId'),
              departmentId: requireId(command.departmentId, 'departmentId'),
              caseId: optionalId(command.caseId, 'caseId'),
              personId: optionalId(command.personId, 'personId'),
              about: requireOneOf(
                COMPLAINT_TOPICS,
                command.about,
                COMPLAINT_ERRORS.unknownTopic,
                'topic',
              ),
              channel: requireOneOf(
                CONTACT_CHANNELS,
                command.channel,
                COMPLAINT_ERRORS.unknownChannel,
                'channel',
              ),
              receivedAt: receivedAt.toISOString(),
            },
          },
        ];
      }
      case 'ResolveComplaint': {
        if (state.status === 'none') {
          throw new NotFoundError(COMPLAINT_ERRORS.notFound, 'No complaint with this id', {
            complaintId,
          });
        }
        if (state.status === 'resolved') {
          throw new ConflictError(
            COMPLAINT_ERRORS.alreadyResolved,
            'The complaint has been resolved already',
            { complaintId, resolvedAt: state.resolvedAt },
          );
        }
        const outcome = requireOneOf(
          COMPLAINT_OUTCOMES,
          command.outcome,
          COMPLAINT_ERRORS.unknownOutcome,
          'outcome',
        );
        const resolvedAt = occurredAt(command.resolvedAt, command.now, 'resolvedAt');
        if (resolvedAt.getTime() < new Date(state.receivedAt).getTime()) {
          throw new InvalidCommandError(
            COMPLAINT_ERRORS.resolvedBeforeReceived,
            'A complaint cannot be resolved before it was received',
            { receivedAt: state.receivedAt },
          );
        }
        return [
          {
            type: 'ComplaintResolved',
            data: { complaintId, outcome, resolvedAt: resolvedAt.toISOString() },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ComplaintRegistered':
        return { status: 'open', receivedAt: event.data.receivedAt };
      case 'ComplaintResolved':
        return state.status === 'none'
          ? state
          : {
              status: 'resolved',
              receivedAt: state.receivedAt,
              outcome: event.data.outcome,
              resolvedAt: event.data.resolvedAt,
            };
      default:
        return assertNever(event);
    }
  },
};

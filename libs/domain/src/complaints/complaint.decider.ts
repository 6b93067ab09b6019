import { CONTACT_CHANNELS } from '../cases/case.events';
import { commandChecks, requireNotBefore, requireOneOf } from '../shared/command-checks';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, NotFoundError } from '../shared/domain-error';
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

const { occurredAt, requireId, optionalId } = commandChecks(COMPLAINT_ERRORS);

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
        const resolved = occurredAt(command.resolvedAt, command.now, 'resolvedAt');
        const resolvedAt = requireNotBefore(resolved, state.receivedAt, {
          code: COMPLAINT_ERRORS.resolvedBeforeReceived,
          message: 'A complaint cannot be resolved before it was received',
          details: { receivedAt: state.receivedAt },
        });
        return [{ type: 'ComplaintResolved', data: { complaintId, outcome, resolvedAt } }];
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

import { CONTACT_CHANNELS } from '../cases/case.events';
import { commandChecks, requireNotBefore, requireOneOf } from '../shared/command-checks';
import { isIsoDate, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import { DEFAULT_FILE_ACCESS_RULES, fileAccessDeadline } from './file-access-flags';
import type { FileAccessCommand } from './file-access.commands';
import {
  FILE_ACCESS_DELAY_REASONS,
  FILE_ACCESS_OUTCOMES,
  type FileAccessEvent,
} from './file-access.events';

export type FileAccessState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open' | 'answered';
      readonly receivedAt: string;
      /** The date promised by the latest delay letter. */
      readonly expectedBy: IsoDate | null;
      readonly answeredAt: string | null;
    };

export const FILE_ACCESS_ERRORS = {
  alreadyExists: 'FILE_ACCESS.ALREADY_EXISTS',
  notFound: 'FILE_ACCESS.NOT_FOUND',
  alreadyAnswered: 'FILE_ACCESS.ALREADY_ANSWERED',
  missingId: 'FILE_ACCESS.MISSING_ID',
  unknownChannel: 'FILE_ACCESS.UNKNOWN_CHANNEL',
  unknownReason: 'FILE_ACCESS.UNKNOWN_DELAY_REASON',
  unknownOutcome: 'FILE_ACCESS.UNKNOWN_OUTCOME',
  invalidExpectedBy: 'FILE_ACCESS.INVALID_EXPECTED_BY',
  expectedByTooEarly: 'FILE_ACCESS.EXPECTED_BY_TOO_EARLY',
  beforeReceipt: 'FILE_ACCESS.BEFORE_RECEIPT',
  inTheFuture: 'FILE_ACCESS.IN_THE_FUTURE',
  invalidTime: 'FILE_ACCESS.INVALID_TIME',
} as const;

const { occurredAt, requireId, optionalId } = commandChecks(FILE_ACCESS_ERRORS);

function notBeforeReceipt(when: Date, receivedAt: string, field: string): string {
  return requireNotBefore(when, receivedAt, {
    code: FILE_ACCESS_ERRORS.beforeReceipt,
    message: 'This cannot have happened before the request was received',
    details: { field, receivedAt },
  });
}

/**
 * One request for access to a file. Received once; delay letters only before the answer, each
 * promising a date after the normal deadline, after the date of any earlier letter and not
 * before the day it is sent; answered once. Nothing happens before the receipt or in the future.
 */
export const fileAccessDecider: Decider<FileAccessCommand, FileAccessEvent, FileAccessState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const requestId = command.requestId;
    if (command.type === 'RequestFileAccess') {
      if (state.status !== 'none') {
        throw new ConflictError(
          FILE_ACCESS_ERRORS.alreadyExists,
          'A file-access request with this id exists already',
          { requestId },
        );
      }
      const receivedAt = occurredAt(command.receivedAt, command.now, 'receivedAt');
      return [
        {
          type: 'FileAccessRequested',
          data: {
            requestId: requireId(requestId, 'requestId'),
            personId: requireId(command.personId, 'personId'),
            departmentId: requireId(command.departmentId, 'departmentId'),
            caseId: optionalId(command.caseId, 'caseId'),
            channel: requireOneOf(
              CONTACT_CHANNELS,
              command.channel,
              FILE_ACCESS_ERRORS.unknownChannel,
              'channel',
            ),
            receivedAt: receivedAt.toISOString(),
          },
        },
      ];
    }
    if (state.status === 'none') {
      throw new NotFoundError(FILE_ACCESS_ERRORS.notFound, 'No file-access request with this id', {
        requestId,
      });
    }
    if (state.status === 'answered') {
      throw new ConflictError(
        FILE_ACCESS_ERRORS.alreadyAnswered,
        'The request has been answered already',
        { requestId, answeredAt: state.answeredAt },
      );
    }
    const channel = requireOneOf(
      CONTACT_CHANNELS,
      command.channel,
      FILE_ACCESS_ERRORS.unknownChannel,
      'channel',
    );
    switch (command.type) {
      case 'SendFileAccessDelayLetter': {
        const reason = requireOneOf(
          FILE_ACCESS_DELAY_REASONS,
          command.reason,
          FILE_ACCESS_ERRORS.unknownReason,
          'delay reason',
        );
        if (!isIsoDate(command.expectedBy)) {
          throw new InvalidCommandError(
            FILE_ACCESS_ERRORS.invalidExpectedBy,
            "The expected date must be a real date, 'YYYY-MM-DD'",
          );
        }
        const sent = occurredAt(command.sentAt, command.now, 'sentAt');
        const sentAt = notBeforeReceipt(sent, state.receivedAt, 'sentAt');
        const deadline = fileAccessDeadline(
          state.receivedAt,
          command.rules ?? DEFAULT_FILE_ACCESS_RULES,
        );
        const mustBeAfter =
          state.expectedBy !== null && state.expectedBy > deadline ? state.expectedBy : deadline;
        const sentOn = copenhagenDateOf(sent);
        if (command.expectedBy <= mustBeAfter || command.expectedBy < sentOn) {
          throw new InvalidCommandError(
            FILE_ACCESS_ERRORS.expectedByTooEarly,
            'The expected date must be after the deadline, after any earlier promised date and ' +
              'not before the day the letter is sent',
            { mustBeAfter, notBefore: sentOn },
          );
        }
        return [
          {
            type: 'FileAccessDelayLetterSent',
            data: { requestId, channel, sentAt, reason, expectedBy: command.expectedBy },
          },
        ];
      }
      case 'AnswerFileAccess': {
        const outcome = requireOneOf(
          FILE_ACCESS_OUTCOMES,
          command.outcome,
          FILE_ACCESS_ERRORS.unknownOutcome,
          'outcome',
        );
        const answered = occurredAt(command.answeredAt, command.now, 'answeredAt');
        return [
          {
            type: 'FileAccessAnswered',
            data: {
              requestId,
              outcome,
              channel,
              answeredAt: notBeforeReceipt(answered, state.receivedAt, 'answeredAt'),
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'FileAccessRequested':
        return {
          status: 'open',
          receivedAt: event.data.receivedAt,
          expectedBy: null,
          answeredAt: null,
        };
      case 'FileAccessDelayLetterSent':
        return state.status === 'none' ? state : { ...state, expectedBy: event.data.expectedBy };
      case 'FileAccessAnswered':
        return state.status === 'none'
          ? state
          : { ...state, status: 'answered', answeredAt: event.data.answeredAt };
      default:
        return assertNever(event);
    }
  },
};

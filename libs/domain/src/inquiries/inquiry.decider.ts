import { CONTACT_CHANNELS, type ContactChannel } from '../cases/case.events';
import { commandChecks, requireNotBefore, requireOneOf } from '../shared/command-checks';
import { isIsoDate, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { InquiryCommand } from './inquiry.commands';
import { INQUIRY_POSTPONEMENT_REASONS, type InquiryEvent } from './inquiry.events';

export interface ReceivedInquiryState {
  readonly status: 'received';
  readonly receivedAt: string;
  readonly acknowledgedAt: string | null;
  /** The latest date promised (acknowledgement or postponement). */
  readonly answerPromisedBy: IsoDate | null;
  /** The latest step recorded; a later step may not be dated before it. */
  readonly lastStepAt: string;
  readonly answeredAt: string | null;
}

export type InquiryState = { readonly status: 'none' } | ReceivedInquiryState;

export const INQUIRY_ERRORS = {
  notFound: 'INQUIRY.NOT_FOUND',
  alreadyExists: 'INQUIRY.ALREADY_EXISTS',
  alreadyAcknowledged: 'INQUIRY.ALREADY_ACKNOWLEDGED',
  alreadyAnswered: 'INQUIRY.ALREADY_ANSWERED',
  notAcknowledged: 'INQUIRY.NOT_ACKNOWLEDGED',
  inTheFuture: 'INQUIRY.IN_THE_FUTURE',
  beforeReceipt: 'INQUIRY.BEFORE_RECEIPT',
  beforePreviousStep: 'INQUIRY.BEFORE_PREVIOUS_STEP',
  promiseInThePast: 'INQUIRY.PROMISE_IN_THE_PAST',
  promiseNotLater: 'INQUIRY.PROMISE_NOT_LATER',
  invalidDate: 'INQUIRY.INVALID_DATE',
  invalidTime: 'INQUIRY.INVALID_TIME',
  unknownChannel: 'INQUIRY.UNKNOWN_CHANNEL',
  unknownReason: 'INQUIRY.UNKNOWN_REASON',
  missingId: 'INQUIRY.MISSING_ID',
} as const;

function requireReceived(
  command: { inquiryId: string },
  state: InquiryState,
): ReceivedInquiryState {
  if (state.status === 'none') {
    throw new NotFoundError(INQUIRY_ERRORS.notFound, 'No inquiry with this id', {
      inquiryId: command.inquiryId,
    });
  }
  return state;
}

function requireUnanswered(state: ReceivedInquiryState): void {
  if (state.answeredAt !== null) {
    throw new ConflictError(INQUIRY_ERRORS.alreadyAnswered, 'The inquiry has been answered', {
      answeredAt: state.answeredAt,
    });
  }
}

const { occurredAt, requireId, optionalId } = commandChecks(INQUIRY_ERRORS);

/** `when` may not be before the instant `earliest` (the receipt or the previous step). */
function notBefore(
  when: Date,
  earliest: string,
  code: string,
  field: string,
  message: string,
): void {
  requireNotBefore(when, earliest, { code, message, details: { field, earliest } });
}

function requireChannel(channel: ContactChannel): ContactChannel {
  return requireOneOf(CONTACT_CHANNELS, channel, INQUIRY_ERRORS.unknownChannel, 'channel');
}

/** A real date, not before the Danish day of `told` (a promise cannot lie in the past). */
function requirePromise(promisedBy: IsoDate, told: Date): IsoDate {
  if (!isIsoDate(promisedBy)) {
    throw new InvalidCommandError(
      INQUIRY_ERRORS.invalidDate,
      "The promised date must be a real date, 'YYYY-MM-DD'",
    );
  }
  const toldOn = copenhagenDateOf(told);
  if (promisedBy < toldOn) {
    throw new InvalidCommandError(
      INQUIRY_ERRORS.promiseInThePast,
      'The promised answer date is before the day the citizen is told it',
      { toldOn },
    );
  }
  return promisedBy;
}

/**
 * One citizen inquiry. In brief: it is recorded once; acknowledged at most once, with a promised
 * answer date not before the day of the acknowledgement; the promise can only move later, and
 * only after an acknowledgement; it is answered once. No step may be dated before receipt or
 * before the step recorded before it, nor in the future. After the answer nothing changes.
 */
export const inquiryDecider: Decider<InquiryCommand, InquiryEvent, InquiryState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const inquiryId = command.inquiryId;
    switch (command.type) {
      case 'RecordInquiry': {
        if (state.status !== 'none') {
          throw new ConflictError(INQUIRY_ERRORS.alreadyExists, 'This inquiry exists already', {
            inquiryId,
          });
        }
        const caseId = optionalId(command.caseId, 'caseId');
        return [
          {
            type: 'InquiryReceived',
            data: {
              inquiryId: requireId(inquiryId, 'inquiryId'),
              personId: requireId(command.personId, 'personId'),
              departmentId: requireId(command.departmentId, 'departmentId'),
              caseId,
              channel: requireChannel(command.channel),
              receivedAt: occurredAt(command.receivedAt, command.now, 'receivedAt').toISOString(),
            },
          },
        ];
      }
      case 'AcknowledgeInquiry': {
        const inquiry = requireReceived(command, state);
        requireUnanswered(inquiry);
        if (inquiry.acknowledgedAt !== null) {
          throw new ConflictError(
            INQUIRY_ERRORS.alreadyAcknowledged,
            'The inquiry has been acknowledged already; postpone the answer to promise a new date',
            { acknowledgedAt: inquiry.acknowledgedAt },
          );
        }
        const acknowledgedAt = occurredAt(command.acknowledgedAt, command.now, 'acknowledgedAt');
        notBefore(
          acknowledgedAt,
          inquiry.receivedAt,
          INQUIRY_ERRORS.beforeReceipt,
          'acknowledgedAt',
          'An inquiry cannot be acknowledged before it was received',
        );
        return [
          {
            type: 'InquiryAcknowledged',
            data: {
              inquiryId,
              channel: requireChannel(command.channel),
              acknowledgedAt: acknowledgedAt.toISOString(),
              answerPromisedBy: requirePromise(command.answerPromisedBy, acknowledgedAt),
            },
          },
        ];
      }
      case 'PostponeInquiryAnswer': {
        const inquiry = requireReceived(command, state);
        requireUnanswered(inquiry);
        if (inquiry.acknowledgedAt === null || inquiry.answerPromisedBy === null) {
          throw new ConflictError(
            INQUIRY_ERRORS.notAcknowledged,
            'No answer date has been promised yet; acknowledge the inquiry with one',
          );
        }
        const reason = requireOneOf(
          INQUIRY_POSTPONEMENT_REASONS,
          command.reason,
          INQUIRY_ERRORS.unknownReason,
          'reason',
        );
        const postponedAt = occurredAt(command.postponedAt, command.now, 'postponedAt');
        notBefore(
          postponedAt,
          inquiry.lastStepAt,
          INQUIRY_ERRORS.beforePreviousStep,
          'postponedAt',
          'The postponement is dated before the previous step',
        );
        const answerPromisedBy = requirePromise(command.answerPromisedBy, postponedAt);
        if (answerPromisedBy <= inquiry.answerPromisedBy) {
          throw new InvalidCommandError(
            INQUIRY_ERRORS.promiseNotLater,
            'A postponement promises a later date than the current one',
            { answerPromisedBy: inquiry.answerPromisedBy },
          );
        }
        return [
          {
            type: 'InquiryAnswerPostponed',
            data: {
              inquiryId,
              answerPromisedBy,
              reason,
              postponedAt: postponedAt.toISOString(),
            },
          },
        ];
      }
      case 'AnswerInquiry': {
        const inquiry = requireReceived(command, state);
        requireUnanswered(inquiry);
        const answeredAt = occurredAt(command.answeredAt, command.now, 'answeredAt');
        notBefore(
          answeredAt,
          inquiry.receivedAt,
          INQUIRY_ERRORS.beforeReceipt,
          'answeredAt',
          'An inquiry cannot be answered before it was received',
        );
        notBefore(
          answeredAt,
          inquiry.lastStepAt,
          INQUIRY_ERRORS.beforePreviousStep,
          'answeredAt',
          'The answer is dated before the previous step',
        );
        return [
          {
            type: 'InquiryAnswered',
            data: {
              inquiryId,
              channel: requireChannel(command.channel),
              answeredAt: answeredAt.toISOString(),
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
      case 'InquiryReceived':
        return {
          status: 'received',
          receivedAt: event.data.receivedAt,
          acknowledgedAt: null,
          answerPromisedBy: null,
          lastStepAt: event.data.receivedAt,
          answeredAt: null,
        };
      case 'InquiryAcknowledged':
        return state.status === 'received'
          ? {
              ...state,
              acknowledgedAt: event.data.acknowledgedAt,
              answerPromisedBy: event.data.answerPromisedBy,
              lastStepAt: event.data.acknowledgedAt,
            }
          : state;
      case 'InquiryAnswerPostponed':
        return state.status === 'received'
          ? {
              ...state,
              answerPromisedBy: event.data.answerPromisedBy,
              lastStepAt: event.data.postponedAt,
            }
          : state;
      case 'InquiryAnswered':
        return state.status === 'received'
          ? { ...state, answeredAt: event.data.answeredAt, lastStepAt: event.data.answeredAt }
          : state;
      default:
        return assertNever(event);
    }
  },
};

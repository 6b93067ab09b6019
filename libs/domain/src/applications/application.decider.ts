import { CONTACT_CHANNELS, type ContactChannel } from '../cases/case.events';
import { commandChecks, requireNotBefore, requireOneOf } from '../shared/command-checks';
import { isIsoDate, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { ApplicationCommand } from './application.commands';
import {
  APPLICATION_LETTER_CHANNELS,
  BOARD_RULING_OUTCOMES,
  DECISION_ITEMS,
  DECISION_OUTCOMES,
  DELAY_REASONS,
  REASSESSMENT_OUTCOMES,
  type ApplicationEvent,
  type BoardRulingOutcome,
  type DecisionChecklist,
  type DecisionItem,
  type DecisionOutcome,
  type ReassessmentOutcome,
} from './application.events';
import { checklistProblem, decisionStands, missingDecisionItems } from './decision-checklist';
import { isPublishedDeadline, processingDeadline } from './processing-deadline';

export interface AppealState {
  readonly appealedAt: string;
  readonly reassessment: ReassessmentOutcome | null;
  readonly forwarded: boolean;
  readonly ruling: BoardRulingOutcome | null;
  /** The latest step of the appeal; the next may not be dated before it. */
  readonly lastStepAt: string;
}

export interface DecisionState {
  readonly outcome: DecisionOutcome;
  readonly checklist: DecisionChecklist;
  readonly decidedAt: string;
  readonly supplied: readonly DecisionItem[];
  readonly appeal: AppealState | null;
  readonly apologySentAt: string | null;
}

export interface ReceivedApplicationState {
  readonly status: 'received';
  readonly applicationDate: IsoDate;
  readonly deadline: IsoDate;
  readonly exemptFromDigitalPost: boolean;
  /** The deadline, or the latest date a delay notice gave (timely or not). */
  readonly expectedDecisionBy: IsoDate;
  readonly lastNoticeAt: string | null;
  /** By decision id, in the order issued. */
  readonly decisions: ReadonlyMap<string, DecisionState>;
  /** Until the first decision, and again after the appeals board sent the case back. */
  readonly awaitingDecision: boolean;
  /** When the board sent the case back, while the new decision is awaited. */
  readonly awaitingNewDecisionSince: string | null;
}

export type ApplicationState = { readonly status: 'none' } | ReceivedApplicationState;

export const APPLICATION_ERRORS = {
  notFound: 'APPLICATION.NOT_FOUND',
  alreadyExists: 'APPLICATION.ALREADY_EXISTS',
  missingId: 'APPLICATION.MISSING_ID',
  invalidTime: 'APPLICATION.INVALID_TIME',
  inTheFuture: 'APPLICATION.IN_THE_FUTURE',
  beforePreviousStep: 'APPLICATION.BEFORE_PREVIOUS_STEP',
  invalidDate: 'APPLICATION.INVALID_DATE',
  applicationDateInTheFuture: 'APPLICATION.APPLICATION_DATE_IN_THE_FUTURE',
  invalidPublishedDeadline: 'APPLICATION.INVALID_PUBLISHED_DEADLINE',
  unknownChannel: 'APPLICATION.UNKNOWN_CHANNEL',
  channelNotAllowed: 'APPLICATION.CHANNEL_NOT_ALLOWED',
  exemptFromDigitalPost: 'APPLICATION.EXEMPT_FROM_DIGITAL_POST',
  unknownReason: 'APPLICATION.UNKNOWN_REASON',
  expectedDateNotLater: 'APPLICATION.EXPECTED_DATE_NOT_LATER',
  expectedDateInThePast: 'APPLICATION.EXPECTED_DATE_IN_THE_PAST',
  alreadyDecided: 'APPLICATION.ALREADY_DECIDED',
  decisionIdReused: 'APPLICATION.DECISION_ID_REUSED',
  unknownOutcome: 'APPLICATION.UNKNOWN_OUTCOME',
  invalidChecklist: 'APPLICATION.INVALID_CHECKLIST',
  hearingReasonRequired: 'APPLICATION.HEARING_REASON_REQUIRED',
  decisionNotFound: 'APPLICATION.DECISION_NOT_FOUND',
  decisionReplaced: 'APPLICATION.DECISION_REPLACED',
  nothingSupplied: 'APPLICATION.NOTHING_SUPPLIED',
  unknownItem: 'APPLICATION.UNKNOWN_ITEM',
  itemNotMissing: 'APPLICATION.ITEM_NOT_MISSING',
  alreadyAppealed: 'APPLICATION.ALREADY_APPEALED',
  notAppealed: 'APPLICATION.NOT_APPEALED',
  alreadyReassessed: 'APPLICATION.ALREADY_REASSESSED',
  notUpheldOnReassessment: 'APPLICATION.NOT_UPHELD_ON_REASSESSMENT',
  alreadyForwarded: 'APPLICATION.ALREADY_FORWARDED',
  notForwarded: 'APPLICATION.NOT_FORWARDED',
  alreadyRuled: 'APPLICATION.ALREADY_RULED',
  noApologyDue: 'APPLICATION.NO_APOLOGY_DUE',
  alreadyApologised: 'APPLICATION.ALREADY_APOLOGISED',
} as const;

function requireReceived(
  command: { applicationId: string },
  state: ApplicationState,
): ReceivedApplicationState {
  if (state.status === 'none') {
    throw new NotFoundError(APPLICATION_ERRORS.notFound, 'No application with this id', {
      applicationId: command.applicationId,
    });
  }
  return state;
}

function requireDecision(
  command: { applicationId: string; decisionId: string },
  state: ApplicationState,
): DecisionState {
  const decision = requireReceived(command, state).decisions.get(command.decisionId);
  if (decision === undefined) {
    throw new NotFoundError(APPLICATION_ERRORS.decisionNotFound, 'No decision with this id', {
      decisionId: command.decisionId,
    });
  }
  return decision;
}

function requireAppeal(command: { decisionId: string }, decision: DecisionState): AppealState {
  if (decision.appeal === null) {
    throw new ConflictError(APPLICATION_ERRORS.notAppealed, 'The decision has not been appealed', {
      decisionId: command.decisionId,
    });
  }
  return decision.appeal;
}

const { occurredAt, requireId } = commandChecks(APPLICATION_ERRORS);

/** `when` may not be before the instant `earliest` (a previous step). */
function notBeforePreviousStep(when: Date, earliest: string, field: string): string {
  return requireNotBefore(when, earliest, {
    code: APPLICATION_ERRORS.beforePreviousStep,
    message: 'This is dated before the step it follows',
    details: { field, earliest },
  });
}

/** The Danish day of `when` may not be before the application date. */
function requireOnOrAfterApplicationDate(
  when: Date,
  application: ReceivedApplicationState,
  field: string,
): void {
  if (copenhagenDateOf(when) < application.applicationDate) {
    throw new InvalidCommandError(
      APPLICATION_ERRORS.beforePreviousStep,
      'This is dated before the application date',
      { field, earliest: application.applicationDate },
    );
  }
}

/** Written, and never plain e-mail; no Digital Post to a citizen exempt from it. */
function requireLetterChannel(
  channel: ContactChannel,
  application: ReceivedApplicationState,
): ContactChannel {
  requireOneOf(CONTACT_CHANNELS, channel, APPLICATION_ERRORS.unknownChannel, 'channel');
  if (!(APPLICATION_LETTER_CHANNELS as readonly string[]).includes(channel)) {
    throw new InvalidCommandError(
      APPLICATION_ERRORS.channelNotAllowed,
      'This goes to the citizen in writing, by letter, Digital Post or secure e-mail',
      { allowed: APPLICATION_LETTER_CHANNELS.join(',') },
    );
  }
  if (channel === 'digital-post' && application.exemptFromDigitalPost) {
    throw new InvalidCommandError(
      APPLICATION_ERRORS.exemptFromDigitalPost,
      'The citizen is exempt from Digital Post: send a letter',
    );
  }
  return channel;
}

function requireChecklist(checklist: DecisionChecklist): DecisionChecklist {
  const problem =
    typeof checklist === 'object' && checklist !== null ? checklistProblem(checklist) : 'hearing';
  if (problem === null) {
    return {
      reasonsGiven: checklist.reasonsGiven,
      hearing: checklist.hearing,
      hearingNotNeededReason: checklist.hearingNotNeededReason,
      appealGuidanceIncluded: checklist.appealGuidanceIncluded,
      consent: checklist.consent,
    };
  }
  if (
    problem === 'hearingNotNeededReason' &&
    checklist.hearing === 'not-needed' &&
    (checklist.hearingNotNeededReason ?? null) === null
  ) {
    throw new InvalidCommandError(
      APPLICATION_ERRORS.hearingReasonRequired,
      'Say why no hearing of the party was needed (Forvaltningsloven § 19 stk. 2)',
    );
  }
  throw new InvalidCommandError(APPLICATION_ERRORS.invalidChecklist, 'Invalid decision checklist', {
    field: problem,
  });
}

/** The items, in canonical order without duplicates; each must be missing from the decision. */
function requireSupplied(items: readonly DecisionItem[], decision: DecisionState): DecisionItem[] {
  const given: readonly unknown[] = Array.isArray(items) ? items : [];
  if (given.length === 0) {
    throw new InvalidCommandError(
      APPLICATION_ERRORS.nothingSupplied,
      'Name at least one item that is now supplied',
    );
  }
  for (const item of given) {
    if (typeof item !== 'string' || !(DECISION_ITEMS as readonly string[]).includes(item)) {
      throw new InvalidCommandError(APPLICATION_ERRORS.unknownItem, 'Unknown decision item', {
        allowed: DECISION_ITEMS.join(','),
      });
    }
  }
  const missing = missingDecisionItems(decision, decision.supplied);
  const supplied = DECISION_ITEMS.filter((item) => given.includes(item));
  for (const item of supplied) {
    if (!missing.includes(item)) {
      throw new ConflictError(
        APPLICATION_ERRORS.itemNotMissing,
        'The decision does not lack this item',
        { item, missing: missing.join(',') },
      );
    }
  }
  return supplied;
}

function updateDecision(
  state: ApplicationState,
  decisionId: string,
  update: (decision: DecisionState) => DecisionState,
): ApplicationState {
  if (state.status !== 'received') return state;
  const decision = state.decisions.get(decisionId);
  if (decision === undefined) return state;
  return { ...state, decisions: new Map(state.decisions).set(decisionId, update(decision)) };
}

function updateAppeal(
  state: ApplicationState,
  decisionId: string,
  update: (appeal: AppealState) => AppealState,
): ApplicationState {
  return updateDecision(state, decisionId, (decision) =>
    decision.appeal === null ? decision : { ...decision, appeal: update(decision.appeal) },
  );
}

/**
 * One application. Decisions, in brief:
 *
 * - Received once; the application date is a real day, not after today (Danish time); the
 *   published deadline and the Digital Post exemption are snapshots from the handler.
 * - Delay notices only before the first decision; each gives a later date than the deadline or
 *   the previous notice, and not a date before the day it is sent. Recording a late notice is
 *   allowed (the flags judge it).
 * - A decision, and again only after the appeals board sent the case back. Its checklist says
 *   why no hearing was needed when none was; supplements supply only what is missing.
 * - Appeal per decision, once: appealed → reassessed ('changed' ends it; 'upheld' must be
 *   forwarded) → forwarded → ruled. An apology once after a ruling 'changed' or 'sent-back'.
 * - Messages to the citizen go in writing (letter, Digital Post, secure e-mail), and never by
 *   Digital Post to a citizen exempt from it. No step is dated in the future or before the step
 *   it follows.
 */
export const applicationDecider: Decider<ApplicationCommand, ApplicationEvent, ApplicationState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const applicationId = command.applicationId;
    switch (command.type) {
      case 'ReceiveApplication': {
        if (state.status !== 'none') {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyExists,
            'This application exists already',
            { applicationId },
          );
        }
        const receivedAt = occurredAt(command.at, command.now, 'at');
        if (!isIsoDate(command.applicationDate)) {
          throw new InvalidCommandError(
            APPLICATION_ERRORS.invalidDate,
            "The application date must be a real date, 'YYYY-MM-DD'",
            { field: 'applicationDate' },
          );
        }
        if (command.applicationDate > copenhagenDateOf(receivedAt)) {
          throw new InvalidCommandError(
            APPLICATION_ERRORS.applicationDateInTheFuture,
            'The application date is after today',
          );
        }
        if (!isPublishedDeadline(command.publishedDeadline)) {
          throw new InvalidCommandError(
            APPLICATION_ERRORS.invalidPublishedDeadline,
            'A published deadline is a positive whole amount of days, weeks or months',
          );
        }
        return [
          {
            type: 'ApplicationReceived',
            data: {
              applicationId: requireId(applicationId, 'applicationId'),
              caseId: requireId(command.caseId, 'caseId'),
              personId: requireId(command.personId, 'personId'),
              departmentId: requireId(command.departmentId, 'departmentId'),
              caseType: requireId(command.caseType, 'caseType'),
              applicationDate: command.applicationDate,
              publishedDeadline: {
                amount: command.publishedDeadline.amount,
                unit: command.publishedDeadline.unit,
              },
              exemptFromDigitalPost: command.exemptFromDigitalPost === true,
              receivedAt: receivedAt.toISOString(),
            },
          },
        ];
      }
      case 'SendDelayNotice': {
        const application = requireReceived(command, state);
        if (application.decisions.size > 0) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyDecided,
            'A delay notice comes before the decision',
          );
        }
        const channel = requireLetterChannel(command.channel, application);
        const reason = requireOneOf(
          DELAY_REASONS,
          command.reason,
          APPLICATION_ERRORS.unknownReason,
          'reason',
        );
        const sentAt = occurredAt(command.sentAt, command.now, 'sentAt');
        requireOnOrAfterApplicationDate(sentAt, application, 'sentAt');
        if (application.lastNoticeAt !== null) {
          notBeforePreviousStep(sentAt, application.lastNoticeAt, 'sentAt');
        }
        const expectedDecisionBy = command.expectedDecisionBy;
        if (!isIsoDate(expectedDecisionBy)) {
          throw new InvalidCommandError(
            APPLICATION_ERRORS.invalidDate,
            "The expected decision date must be a real date, 'YYYY-MM-DD'",
            { field: 'expectedDecisionBy' },
          );
        }
        if (expectedDecisionBy <= application.expectedDecisionBy) {
          throw new InvalidCommandError(
            APPLICATION_ERRORS.expectedDateNotLater,
            'A delay notice gives a later date than the deadline or the previous notice',
            { expectedDecisionBy: application.expectedDecisionBy },
          );
        }
        const sentOn = copenhagenDateOf(sentAt);
        if (expectedDecisionBy < sentOn) {
          throw new InvalidCommandError(
            APPLICATION_ERRORS.expectedDateInThePast,
            'The expected decision date is before the day the notice is sent',
            { sentOn },
          );
        }
        return [
          {
            type: 'DelayNoticeSent',
            data: {
              applicationId,
              channel,
              sentAt: sentAt.toISOString(),
              expectedDecisionBy,
              reason,
            },
          },
        ];
      }
      case 'IssueDecision': {
        const application = requireReceived(command, state);
        const decisionId = requireId(command.decisionId, 'decisionId');
        if (application.decisions.has(decisionId)) {
          throw new ConflictError(
            APPLICATION_ERRORS.decisionIdReused,
            'A decision with this id exists already',
            { decisionId },
          );
        }
        if (!application.awaitingDecision) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyDecided,
            'The application is decided; a new decision only after the appeals board sent the case back',
          );
        }
        const outcome = requireOneOf(
          DECISION_OUTCOMES,
          command.outcome,
          APPLICATION_ERRORS.unknownOutcome,
          'outcome',
        );
        const channel = requireLetterChannel(command.channel, application);
        const checklist = requireChecklist(command.checklist);
        const decidedAt = occurredAt(command.decidedAt, command.now, 'decidedAt');
        requireOnOrAfterApplicationDate(decidedAt, application, 'decidedAt');
        if (application.awaitingNewDecisionSince !== null) {
          notBeforePreviousStep(decidedAt, application.awaitingNewDecisionSince, 'decidedAt');
        }
        return [
          {
            type: 'DecisionIssued',
            data: {
              applicationId,
              decisionId,
              outcome,
              decidedAt: decidedAt.toISOString(),
              channel,
              checklist,
            },
          },
        ];
      }
      case 'SupplementDecision': {
        const decision = requireDecision(command, state);
        if (
          !decisionStands(decision.appeal?.reassessment ?? null, decision.appeal?.ruling ?? null)
        ) {
          throw new ConflictError(
            APPLICATION_ERRORS.decisionReplaced,
            'The decision was changed or sent back on appeal: there is nothing to supplement',
            { decisionId: command.decisionId },
          );
        }
        const supplied = requireSupplied(command.supplied, decision);
        const channel = requireLetterChannel(command.channel, requireReceived(command, state));
        const suppliedAt = occurredAt(command.suppliedAt, command.now, 'suppliedAt');
        return [
          {
            type: 'DecisionSupplemented',
            data: {
              applicationId,
              decisionId: command.decisionId,
              supplied,
              suppliedAt: notBeforePreviousStep(suppliedAt, decision.decidedAt, 'suppliedAt'),
              channel,
            },
          },
        ];
      }
      case 'AppealDecision': {
        const decision = requireDecision(command, state);
        if (decision.appeal !== null) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyAppealed,
            'The decision has been appealed already',
            { appealedAt: decision.appeal.appealedAt },
          );
        }
        const appealedAt = occurredAt(command.appealedAt, command.now, 'appealedAt');
        return [
          {
            type: 'DecisionAppealed',
            data: {
              applicationId,
              decisionId: command.decisionId,
              appealedAt: notBeforePreviousStep(appealedAt, decision.decidedAt, 'appealedAt'),
            },
          },
        ];
      }
      case 'ReassessAppeal': {
        const appeal = requireAppeal(command, requireDecision(command, state));
        if (appeal.reassessment !== null) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyReassessed,
            'The appeal has been reassessed already',
            { outcome: appeal.reassessment },
          );
        }
        const outcome = requireOneOf(
          REASSESSMENT_OUTCOMES,
          command.outcome,
          APPLICATION_ERRORS.unknownOutcome,
          'outcome',
        );
        const reassessedAt = occurredAt(command.reassessedAt, command.now, 'reassessedAt');
        return [
          {
            type: 'AppealReassessed',
            data: {
              applicationId,
              decisionId: command.decisionId,
              outcome,
              reassessedAt: notBeforePreviousStep(reassessedAt, appeal.lastStepAt, 'reassessedAt'),
            },
          },
        ];
      }
      case 'ForwardAppeal': {
        const appeal = requireAppeal(command, requireDecision(command, state));
        if (appeal.reassessment !== 'upheld') {
          throw new ConflictError(
            APPLICATION_ERRORS.notUpheldOnReassessment,
            'Only an appeal the municipality upheld on reassessment goes to the appeals board',
            { reassessment: appeal.reassessment },
          );
        }
        if (appeal.forwarded) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyForwarded,
            'The appeal has been forwarded already',
          );
        }
        const forwardedAt = occurredAt(command.forwardedAt, command.now, 'forwardedAt');
        return [
          {
            type: 'AppealForwardedToBoard',
            data: {
              applicationId,
              decisionId: command.decisionId,
              forwardedAt: notBeforePreviousStep(forwardedAt, appeal.lastStepAt, 'forwardedAt'),
            },
          },
        ];
      }
      case 'RecordBoardRuling': {
        const appeal = requireAppeal(command, requireDecision(command, state));
        if (!appeal.forwarded) {
          throw new ConflictError(
            APPLICATION_ERRORS.notForwarded,
            'The appeal has not been forwarded to the appeals board',
          );
        }
        if (appeal.ruling !== null) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyRuled,
            'The appeals board has ruled already',
            { outcome: appeal.ruling },
          );
        }
        const outcome = requireOneOf(
          BOARD_RULING_OUTCOMES,
          command.outcome,
          APPLICATION_ERRORS.unknownOutcome,
          'outcome',
        );
        const ruledAt = occurredAt(command.ruledAt, command.now, 'ruledAt');
        return [
          {
            type: 'AppealBoardRuled',
            data: {
              applicationId,
              decisionId: command.decisionId,
              outcome,
              ruledAt: notBeforePreviousStep(ruledAt, appeal.lastStepAt, 'ruledAt'),
            },
          },
        ];
      }
      case 'SendApology': {
        const decision = requireDecision(command, state);
        const appeal = decision.appeal;
        const ruling = appeal?.ruling ?? null;
        if (appeal === null || (ruling !== 'changed' && ruling !== 'sent-back')) {
          throw new ConflictError(
            APPLICATION_ERRORS.noApologyDue,
            'An apology follows a ruling that changed the decision or sent the case back',
            { ruling },
          );
        }
        if (decision.apologySentAt !== null) {
          throw new ConflictError(
            APPLICATION_ERRORS.alreadyApologised,
            'The apology has been sent already',
            { sentAt: decision.apologySentAt },
          );
        }
        const channel = requireLetterChannel(command.channel, requireReceived(command, state));
        const sentAt = occurredAt(command.sentAt, command.now, 'sentAt');
        return [
          {
            type: 'ApologySent',
            data: {
              applicationId,
              decisionId: command.decisionId,
              channel,
              // The ruling is the last step of the appeal.
              sentAt: notBeforePreviousStep(sentAt, appeal.lastStepAt, 'sentAt'),
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
      case 'ApplicationReceived': {
        const { applicationDate, publishedDeadline } = event.data;
        const deadline = processingDeadline(applicationDate, publishedDeadline);
        return {
          status: 'received',
          applicationDate,
          deadline,
          exemptFromDigitalPost: event.data.exemptFromDigitalPost,
          expectedDecisionBy: deadline,
          lastNoticeAt: null,
          decisions: new Map(),
          awaitingDecision: true,
          awaitingNewDecisionSince: null,
        };
      }
      case 'DelayNoticeSent':
        return state.status === 'received'
          ? {
              ...state,
              expectedDecisionBy: event.data.expectedDecisionBy,
              lastNoticeAt: event.data.sentAt,
            }
          : state;
      case 'DecisionIssued':
        return state.status === 'received'
          ? {
              ...state,
              decisions: new Map(state.decisions).set(event.data.decisionId, {
                outcome: event.data.outcome,
                checklist: event.data.checklist,
                decidedAt: event.data.decidedAt,
                supplied: [],
                appeal: null,
                apologySentAt: null,
              }),
              awaitingDecision: false,
              awaitingNewDecisionSince: null,
            }
          : state;
      case 'DecisionSupplemented':
        return updateDecision(state, event.data.decisionId, (decision) => ({
          ...decision,
          supplied: [...decision.supplied, ...event.data.supplied],
        }));
      case 'DecisionAppealed':
        return updateDecision(state, event.data.decisionId, (decision) => ({
          ...decision,
          appeal: {
            appealedAt: event.data.appealedAt,
            reassessment: null,
            forwarded: false,
            ruling: null,
            lastStepAt: event.data.appealedAt,
          },
        }));
      case 'AppealReassessed':
        return updateAppeal(state, event.data.decisionId, (appeal) => ({
          ...appeal,
          reassessment: event.data.outcome,
          lastStepAt: event.data.reassessedAt,
        }));
      case 'AppealForwardedToBoard':
        return updateAppeal(state, event.data.decisionId, (appeal) => ({
          ...appeal,
          forwarded: true,
          lastStepAt: event.data.forwardedAt,
        }));
      case 'AppealBoardRuled': {
        const ruled = updateAppeal(state, event.data.decisionId, (appeal) => ({
          ...appeal,
          ruling: event.data.outcome,
          lastStepAt: event.data.ruledAt,
        }));
        return ruled.status === 'received' && event.data.outcome === 'sent-back'
          ? { ...ruled, awaitingDecision: true, awaitingNewDecisionSince: event.data.ruledAt }
          : ruled;
      }
      case 'ApologySent':
        return updateDecision(state, event.data.decisionId, (decision) => ({
          ...decision,
          apologySentAt: event.data.sentAt,
        }));
      default:
        return assertNever(event);
    }
  },
};

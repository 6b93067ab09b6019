import { textMayContainCpr } from '../shared/free-text';
import { requireActiveCaseworker } from '../caseworkers/caseworker.decider';
import { isIsoDate, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import { sixteenthBirthday } from './birthday-schedule';
import type { TransitionCommand } from './transition.commands';
import {
  DIALOGUE_PARTIES,
  TRANSITION_CLOSE_REASONS,
  TRANSITION_TRACKS,
  type DialogueParty,
  type TransitionCloseReason,
  type TransitionEvent,
  type TransitionTrack,
} from './transition.events';

export interface TransitionState {
  /** Any event on the stream (a due event, or a preparation started early). */
  readonly exists: boolean;
  /** Known from the due event; null while the preparation was only started early. */
  readonly sixteenthBirthday: IsoDate | null;
  readonly startedAt: string | null;
  readonly track: TransitionTrack | null;
  readonly trackNote: string | null;
  readonly adultCaseworkerId: string | null;
  readonly adultAssessmentStartedAt: string | null;
  /** The latest youth plan. */
  readonly youthPlanRecordedAt: string | null;
  /** decisionId → effectiveFrom. */
  readonly adultDecisions: ReadonlyMap<string, IsoDate>;
  /** decisionId → effectiveFrom. */
  readonly aftercareDecisions: ReadonlyMap<string, IsoDate>;
  readonly handoverCompletedAt: string | null;
  readonly closed: { readonly reason: TransitionCloseReason; readonly closedAt: string } | null;
}

export const TRANSITION_ERRORS = {
  notFound: 'TRANSITION.NOT_FOUND',
  closed: 'TRANSITION.CLOSED',
  alreadyStarted: 'TRANSITION.ALREADY_STARTED',
  notStarted: 'TRANSITION.NOT_STARTED',
  invalidBirthDate: 'TRANSITION.INVALID_BIRTH_DATE',
  notYetSixteen: 'TRANSITION.NOT_YET_SIXTEEN',
  noTriggerCases: 'TRANSITION.NO_TRIGGER_CASES',
  noDialogueParty: 'TRANSITION.NO_DIALOGUE_PARTY',
  unknownDialogueParty: 'TRANSITION.UNKNOWN_DIALOGUE_PARTY',
  unknownTrack: 'TRANSITION.UNKNOWN_TRACK',
  unknownCloseReason: 'TRANSITION.UNKNOWN_CLOSE_REASON',
  noteRequired: 'TRANSITION.NOTE_REQUIRED',
  noteMayContainCpr: 'TRANSITION.NOTE_MAY_CONTAIN_CPR',
  missingId: 'TRANSITION.MISSING_ID',
  noAdultCaseworker: 'TRANSITION.NO_ADULT_CASEWORKER',
  adultAssessmentAlreadyStarted: 'TRANSITION.ADULT_ASSESSMENT_ALREADY_STARTED',
  invalidEffectiveDate: 'TRANSITION.INVALID_EFFECTIVE_DATE',
  decisionIdReused: 'TRANSITION.DECISION_ID_REUSED',
  noAdultDecision: 'TRANSITION.NO_ADULT_DECISION',
  noAftercareDecision: 'TRANSITION.NO_AFTERCARE_DECISION',
  alreadyHandedOver: 'TRANSITION.ALREADY_HANDED_OVER',
  handoverNotCompleted: 'TRANSITION.HANDOVER_NOT_COMPLETED',
  inTheFuture: 'TRANSITION.IN_THE_FUTURE',
  invalidTime: 'TRANSITION.INVALID_TIME',
} as const;

/** Ten digits in a row, with or without the dash: what a CPR number looks like in free text. */

function requireExists(command: { personId: string }, state: TransitionState): void {
  if (!state.exists) {
    throw new NotFoundError(TRANSITION_ERRORS.notFound, 'No transition for this person', {
      personId: command.personId,
    });
  }
}

function requireOpen(command: { personId: string }, state: TransitionState): void {
  requireExists(command, state);
  if (state.closed !== null) {
    throw new ConflictError(TRANSITION_ERRORS.closed, 'The transition is closed', {
      personId: command.personId,
      closedAt: state.closed.closedAt,
    });
  }
}

function requireStarted(command: { personId: string }, state: TransitionState): void {
  requireOpen(command, state);
  if (state.startedAt === null) {
    throw new ConflictError(
      TRANSITION_ERRORS.notStarted,
      'The preparation of the transition has not been started',
      { personId: command.personId },
    );
  }
}

/** When it happened: `at` (default `now`), which may not be after `now`. ISO string. */
function occurredAt(at: Date | undefined, now: Date, field: string): string {
  const when = at ?? now;
  for (const time of [when, now]) {
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new InvalidCommandError(TRANSITION_ERRORS.invalidTime, 'Expected a valid time', {
        field,
      });
    }
  }
  if (when.getTime() > now.getTime()) {
    throw new InvalidCommandError(
      TRANSITION_ERRORS.inTheFuture,
      'This cannot have happened in the future',
      { field },
    );
  }
  return when.toISOString();
}

function requireId(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidCommandError(TRANSITION_ERRORS.missingId, 'An id is required', { field });
  }
  return value;
}

/** A trimmed note, or undefined; required for 'other'; never anything like a CPR number. */
function checkedNote(note: string | undefined, required: boolean): string | undefined {
  const trimmed = note?.trim() ?? '';
  if (trimmed === '') {
    if (required) {
      throw new InvalidCommandError(TRANSITION_ERRORS.noteRequired, "'other' needs a note");
    }
    return undefined;
  }
  if (textMayContainCpr(trimmed)) {
    throw new InvalidCommandError(
      TRANSITION_ERRORS.noteMayContainCpr,
      'The note looks like it contains a CPR number; events never hold one',
    );
  }
  return trimmed;
}

function requireEffectiveDate(value: IsoDate): IsoDate {
  if (!isIsoDate(value)) {
    throw new InvalidCommandError(
      TRANSITION_ERRORS.invalidEffectiveDate,
      "The effective date must be a real date, 'YYYY-MM-DD'",
    );
  }
  return value;
}

/** Same id and same date again: a retry (true); same id, another date: refused. */
function isRepeatedDecision(
  decisions: ReadonlyMap<string, IsoDate>,
  decisionId: string,
  effectiveFrom: IsoDate,
): boolean {
  const known = decisions.get(decisionId);
  if (known === undefined) return false;
  if (known !== effectiveFrom) {
    throw new ConflictError(
      TRANSITION_ERRORS.decisionIdReused,
      'A decision with this id was recorded with another effective date',
      { decisionId },
    );
  }
  return true;
}

function dialogueParties(parties: readonly DialogueParty[]): DialogueParty[] {
  const given: readonly unknown[] = Array.isArray(parties) ? parties : [];
  if (given.length === 0) {
    throw new InvalidCommandError(
      TRANSITION_ERRORS.noDialogueParty,
      'The preparation is done in dialogue with the young person and/or the parents',
    );
  }
  for (const party of given) {
    if (typeof party !== 'string' || !(DIALOGUE_PARTIES as readonly string[]).includes(party)) {
      throw new InvalidCommandError(
        TRANSITION_ERRORS.unknownDialogueParty,
        'Unknown dialogue party',
        { allowed: DIALOGUE_PARTIES.join(',') },
      );
    }
  }
  return DIALOGUE_PARTIES.filter((party) => given.includes(party));
}

/**
 * One young person's transition to adult services. Decisions, in brief:
 *
 * - A stream begins with the scheduler's TransitionPreparationDue or with a caseworker's early
 *   StartPreparation. RecordPreparationDue is idempotent: once the due event is there, or when
 *   the transition is closed, it records nothing (so scheduler re-runs never fail).
 * - Everything else refuses a closed transition (TRANSITION.CLOSED); the work commands need a
 *   started preparation (TRANSITION.NOT_STARTED), CloseTransition does not.
 * - Harmless retries record nothing: the same track and note, the same adult caseworker, the
 *   same decision id with the same effective date.
 * - A handover needs an adult caseworker, an adult decision and, on the track for placed
 *   youths, the decision on support after 18 (§ 111); it happens once. Closing as 'completed'
 *   needs the handover.
 */
export const transitionDecider: Decider<TransitionCommand, TransitionEvent, TransitionState> = {
  initialState: {
    exists: false,
    sixteenthBirthday: null,
    startedAt: null,
    track: null,
    trackNote: null,
    adultCaseworkerId: null,
    adultAssessmentStartedAt: null,
    youthPlanRecordedAt: null,
    adultDecisions: new Map(),
    aftercareDecisions: new Map(),
    handoverCompletedAt: null,
    closed: null,
  },

  decide(command, state) {
    const personId = command.personId;
    switch (command.type) {
      case 'RecordPreparationDue': {
        const dueAt = occurredAt(undefined, command.now, 'now');
        if (!isIsoDate(command.birthDate)) {
          throw new InvalidCommandError(
            TRANSITION_ERRORS.invalidBirthDate,
            "The birth date must be a real date, 'YYYY-MM-DD'",
          );
        }
        const birthday = sixteenthBirthday(command.birthDate);
        if (birthday > copenhagenDateOf(command.now)) {
          throw new InvalidCommandError(
            TRANSITION_ERRORS.notYetSixteen,
            'The person has not turned 16 yet',
          );
        }
        const triggerCaseIds = [...new Set(command.triggerCaseIds)].sort();
        if (triggerCaseIds.length === 0) {
          throw new InvalidCommandError(
            TRANSITION_ERRORS.noTriggerCases,
            'A due transition names the open cases that put the person in scope',
          );
        }
        triggerCaseIds.forEach((caseId) => requireId(caseId, 'triggerCaseIds'));
        if (state.sixteenthBirthday !== null || state.closed !== null) return [];
        return [
          {
            type: 'TransitionPreparationDue',
            data: {
              personId,
              birthDate: command.birthDate,
              sixteenthBirthday: birthday,
              triggerCaseIds,
              dueAt,
            },
          },
        ];
      }
      case 'StartPreparation': {
        if (state.exists) requireOpen(command, state);
        if (state.startedAt !== null) {
          throw new ConflictError(
            TRANSITION_ERRORS.alreadyStarted,
            'The preparation has been started already',
            { startedAt: state.startedAt },
          );
        }
        const startedAt = occurredAt(command.startedAt, command.now, 'startedAt');
        requireActiveCaseworker(command.by, startedAt);
        const inDialogueWith = dialogueParties(command.inDialogueWith);
        return [
          {
            type: 'TransitionPreparationStarted',
            data: {
              personId,
              byCaseworkerId: command.by.caseworkerId,
              inDialogueWith,
              startedAt,
            },
          },
        ];
      }
      case 'ChooseTrack': {
        requireStarted(command, state);
        if (!(TRANSITION_TRACKS as readonly string[]).includes(command.track)) {
          throw new InvalidCommandError(TRANSITION_ERRORS.unknownTrack, 'Unknown track', {
            allowed: TRANSITION_TRACKS.join(','),
          });
        }
        const note = checkedNote(command.note, command.track === 'other');
        const chosenAt = occurredAt(command.chosenAt, command.now, 'chosenAt');
        if (state.track === command.track && state.trackNote === (note ?? null)) return [];
        return [
          {
            type: 'TransitionTrackChosen',
            data: {
              personId,
              track: command.track,
              ...(note === undefined ? {} : { note }),
              chosenAt,
            },
          },
        ];
      }
      case 'AssignAdultCaseworker': {
        requireStarted(command, state);
        const departmentId = requireId(command.departmentId, 'departmentId');
        if (state.adultCaseworkerId === command.caseworker.caseworkerId) return [];
        const assignedAt = occurredAt(command.assignedAt, command.now, 'assignedAt');
        requireActiveCaseworker(command.caseworker, assignedAt);
        return [
          {
            type: 'AdultCaseworkerAssigned',
            data: {
              personId,
              caseworkerId: command.caseworker.caseworkerId,
              departmentId,
              assignedAt,
            },
          },
        ];
      }
      case 'StartAdultAssessment': {
        requireStarted(command, state);
        if (state.adultAssessmentStartedAt !== null) {
          throw new ConflictError(
            TRANSITION_ERRORS.adultAssessmentAlreadyStarted,
            'The adult assessment has been started already',
            { startedAt: state.adultAssessmentStartedAt },
          );
        }
        if (state.adultCaseworkerId === null) {
          throw new ConflictError(
            TRANSITION_ERRORS.noAdultCaseworker,
            'The adult assessment is done by the adult side: assign an adult caseworker first',
          );
        }
        return [
          {
            type: 'AdultAssessmentStarted',
            data: { personId, startedAt: occurredAt(command.startedAt, command.now, 'startedAt') },
          },
        ];
      }
      case 'RecordYouthPlan':
        requireStarted(command, state);
        return [
          {
            type: 'YouthPlanRecorded',
            data: {
              personId,
              recordedAt: occurredAt(command.recordedAt, command.now, 'recordedAt'),
            },
          },
        ];
      case 'IssueAdultDecision':
      case 'IssueAftercareDecision': {
        requireStarted(command, state);
        const decisionId = requireId(command.decisionId, 'decisionId');
        const effectiveFrom = requireEffectiveDate(command.effectiveFrom);
        const issuedAt = occurredAt(command.issuedAt, command.now, 'issuedAt');
        const data = { personId, decisionId, effectiveFrom, issuedAt };
        if (command.type === 'IssueAdultDecision') {
          if (isRepeatedDecision(state.adultDecisions, decisionId, effectiveFrom)) return [];
          return [{ type: 'AdultDecisionIssued', data }];
        }
        if (isRepeatedDecision(state.aftercareDecisions, decisionId, effectiveFrom)) return [];
        return [{ type: 'AftercareDecisionIssued', data }];
      }
      case 'CompleteHandover': {
        requireStarted(command, state);
        if (state.handoverCompletedAt !== null) {
          throw new ConflictError(
            TRANSITION_ERRORS.alreadyHandedOver,
            'The handover has been completed already',
            { completedAt: state.handoverCompletedAt },
          );
        }
        if (state.adultCaseworkerId === null) {
          throw new ConflictError(
            TRANSITION_ERRORS.noAdultCaseworker,
            'A handover needs an adult caseworker',
          );
        }
        if (state.adultDecisions.size === 0) {
          throw new ConflictError(
            TRANSITION_ERRORS.noAdultDecision,
            'A handover needs a decision under the adult rules',
          );
        }
        if (
          state.track === 'placed-out-of-home-adult-approval' &&
          state.aftercareDecisions.size === 0
        ) {
          throw new ConflictError(
            TRANSITION_ERRORS.noAftercareDecision,
            'A placed young person needs the decision on support after 18 (Barnets Lov § 111)',
          );
        }
        return [
          {
            type: 'HandoverCompleted',
            data: {
              personId,
              completedAt: occurredAt(command.completedAt, command.now, 'completedAt'),
            },
          },
        ];
      }
      case 'CloseTransition': {
        requireOpen(command, state);
        if (!(TRANSITION_CLOSE_REASONS as readonly string[]).includes(command.reason)) {
          throw new InvalidCommandError(TRANSITION_ERRORS.unknownCloseReason, 'Unknown reason', {
            allowed: TRANSITION_CLOSE_REASONS.join(','),
          });
        }
        if (command.reason === 'completed' && state.handoverCompletedAt === null) {
          throw new ConflictError(
            TRANSITION_ERRORS.handoverNotCompleted,
            "A transition is 'completed' only after the handover",
          );
        }
        const note = checkedNote(command.note, command.reason === 'other');
        return [
          {
            type: 'TransitionClosed',
            data: {
              personId,
              reason: command.reason,
              ...(note === undefined ? {} : { note }),
              closedAt: occurredAt(command.closedAt, command.now, 'closedAt'),
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    const started = { ...state, exists: true };
    switch (event.type) {
      case 'TransitionPreparationDue':
        return { ...started, sixteenthBirthday: event.data.sixteenthBirthday };
      case 'TransitionPreparationStarted':
        return { ...started, startedAt: event.data.startedAt };
      case 'TransitionTrackChosen':
        return { ...started, track: event.data.track, trackNote: event.data.note ?? null };
      case 'AdultCaseworkerAssigned':
        return { ...started, adultCaseworkerId: event.data.caseworkerId };
      case 'AdultAssessmentStarted':
        return { ...started, adultAssessmentStartedAt: event.data.startedAt };
      case 'YouthPlanRecorded':
        return { ...started, youthPlanRecordedAt: event.data.recordedAt };
      case 'AdultDecisionIssued':
        return {
          ...started,
          adultDecisions: new Map(state.adultDecisions).set(
            event.data.decisionId,
            event.data.effectiveFrom,
          ),
        };
      case 'AftercareDecisionIssued':
        return {
          ...started,
          aftercareDecisions: new Map(state.aftercareDecisions).set(
            event.data.decisionId,
            event.data.effectiveFrom,
          ),
        };
      case 'HandoverCompleted':
        return { ...started, handoverCompletedAt: event.data.completedAt };
      case 'TransitionClosed':
        return {
          ...started,
          closed: { reason: event.data.reason, closedAt: event.data.closedAt },
        };
      default:
        return assertNever(event);
    }
  },
};

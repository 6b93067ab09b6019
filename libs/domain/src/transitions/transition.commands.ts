import type { CaseworkerFacts } from '../caseworkers/caseworker.decider';
import type { IsoDate } from '../shared/calendar-dates';
import type { DialogueParty, TransitionCloseReason, TransitionTrack } from './transition.events';

/**
 * Commands on one young person's transition stream. `now` is the time of the request (the clock
 * is read by the caller, never here). The optional `…At` is when the thing actually happened,
 * e.g. a meeting last week being recorded today; it defaults to `now` and may not be after it.
 */

/**
 * Sent by the scheduled process when the 16th birthday of a person in scope has happened.
 * Idempotent: on a stream that has its due event already (or is closed) it records nothing.
 */
export interface RecordPreparationDue {
  readonly type: 'RecordPreparationDue';
  readonly personId: string;
  readonly birthDate: IsoDate;
  /** The open cases that put the person in scope (see `transitionTriggerCaseIds`). */
  readonly triggerCaseIds: readonly string[];
  readonly now: Date;
}

/**
 * Starts the preparation. May come before the due event (a caseworker starting early); the
 * stream then knows no 16th birthday until the scheduler's RecordPreparationDue arrives (the
 * flags take the birth date as an argument, so they do not wait for it).
 */
export interface StartPreparation {
  readonly type: 'StartPreparation';
  readonly personId: string;
  /** The caseworker starting it (looked up by the handler): must be active. */
  readonly by: CaseworkerFacts;
  readonly inDialogueWith: readonly DialogueParty[];
  readonly startedAt?: Date;
  readonly now: Date;
}

export interface ChooseTrack {
  readonly type: 'ChooseTrack';
  readonly personId: string;
  readonly track: TransitionTrack;
  /** Required for track 'other'. Free text: no names or CPR numbers. */
  readonly note?: string;
  readonly chosenAt?: Date;
  readonly now: Date;
}

export interface AssignAdultCaseworker {
  readonly type: 'AssignAdultCaseworker';
  readonly personId: string;
  /** Looked up by the handler: must be active. */
  readonly caseworker: CaseworkerFacts;
  readonly departmentId: string;
  readonly assignedAt?: Date;
  readonly now: Date;
}

export interface StartAdultAssessment {
  readonly type: 'StartAdultAssessment';
  readonly personId: string;
  readonly startedAt?: Date;
  readonly now: Date;
}

export interface RecordYouthPlan {
  readonly type: 'RecordYouthPlan';
  readonly personId: string;
  readonly recordedAt?: Date;
  readonly now: Date;
}

export interface IssueAdultDecision {
  readonly type: 'IssueAdultDecision';
  readonly personId: string;
  readonly decisionId: string;
  readonly effectiveFrom: IsoDate;
  readonly issuedAt?: Date;
  readonly now: Date;
}

export interface IssueAftercareDecision {
  readonly type: 'IssueAftercareDecision';
  readonly personId: string;
  readonly decisionId: string;
  readonly effectiveFrom: IsoDate;
  readonly issuedAt?: Date;
  readonly now: Date;
}

export interface CompleteHandover {
  readonly type: 'CompleteHandover';
  readonly personId: string;
  readonly completedAt?: Date;
  readonly now: Date;
}

export interface CloseTransition {
  readonly type: 'CloseTransition';
  readonly personId: string;
  readonly reason: TransitionCloseReason;
  /** Required for reason 'other'. Free text: no names or CPR numbers. */
  readonly note?: string;
  readonly closedAt?: Date;
  readonly now: Date;
}

export type TransitionCommand =
  | RecordPreparationDue
  | StartPreparation
  | ChooseTrack
  | AssignAdultCaseworker
  | StartAdultAssessment
  | RecordYouthPlan
  | IssueAdultDecision
  | IssueAftercareDecision
  | CompleteHandover
  | CloseTransition;

import { eventUnion } from '../shared/event-types';
/**
 * The transition from child to adult services of one young person (Barnets Lov §§ 122–123,
 * § 108, § 111). One stream per young person: `transition-<personId>`.
 *
 * Events carry internal ids only: no names, no CPR numbers. Times ending in `At` are instants
 * (ISO 8601, UTC); dates ('YYYY-MM-DD') are days on the Danish calendar.
 */
import type { IsoDate } from '../shared/calendar-dates';

export const transitionStream = (personId: string): string => `transition-${personId}`;

/** Who the preparation is done in dialogue with (Barnets Lov § 123). */
export const DIALOGUE_PARTIES = ['young-person', 'parents'] as const;
export type DialogueParty = (typeof DIALOGUE_PARTIES)[number];

/**
 * The tracks a municipality routes a transition into (Slagelse, 2021): a clear disability-pension
 * case goes to the jobcenter; a residential placement (bosted) starts the adult assessment
 * (VUM); a young person placed out of home at 18 needs the placement approved under the adult
 * rules; anything else is 'other' with a note.
 */
export const TRANSITION_TRACKS = [
  'disability-pension-jobcenter',
  'residential-home-vum',
  'placed-out-of-home-adult-approval',
  'other',
] as const;
export type TransitionTrack = (typeof TRANSITION_TRACKS)[number];

export const TRANSITION_CLOSE_REASONS = [
  'moved-away',
  'no-longer-eligible',
  'died',
  'completed',
  'other',
] as const;
export type TransitionCloseReason = (typeof TRANSITION_CLOSE_REASONS)[number];

/**
 * The 16th birthday of a young person in scope has happened: the preparation is due. Recorded by
 * the scheduled process, at most once per person (its event id is `preparationDueEventId`).
 * `birthDate` is the date alone (never the CPR number), so the stream can compute the ages the
 * deadlines hang on.
 */
export interface TransitionPreparationDue {
  readonly type: 'TransitionPreparationDue';
  readonly data: {
    readonly personId: string;
    readonly birthDate: IsoDate;
    readonly sixteenthBirthday: IsoDate;
    /** The open cases that put the person in scope, sorted. */
    readonly triggerCaseIds: readonly string[];
    /** When the scheduler recorded it (may be after the birthday, after missed runs). */
    readonly dueAt: string;
  };
}

export interface TransitionPreparationStarted {
  readonly type: 'TransitionPreparationStarted';
  readonly data: {
    readonly personId: string;
    readonly byCaseworkerId: string;
    /** Sorted, without duplicates, never empty. */
    readonly inDialogueWith: readonly DialogueParty[];
    readonly startedAt: string;
  };
}

/** The track can change as the picture clears; the latest one counts. */
export interface TransitionTrackChosen {
  readonly type: 'TransitionTrackChosen';
  readonly data: {
    readonly personId: string;
    readonly track: TransitionTrack;
    readonly note?: string;
    readonly chosenAt: string;
  };
}

/** The adult side's caseworker; a later assignment replaces an earlier one. */
export interface AdultCaseworkerAssigned {
  readonly type: 'AdultCaseworkerAssigned';
  readonly data: {
    readonly personId: string;
    readonly caseworkerId: string;
    readonly departmentId: string;
    readonly assignedAt: string;
  };
}

/** The adult assessment (e.g. VUM) has begun. */
export interface AdultAssessmentStarted {
  readonly type: 'AdultAssessmentStarted';
  readonly data: { readonly personId: string; readonly startedAt: string };
}

/** A youth plan (ungeplan, Barnets Lov § 108) was made or revised. */
export interface YouthPlanRecorded {
  readonly type: 'YouthPlanRecorded';
  readonly data: { readonly personId: string; readonly recordedAt: string };
}

/** A decision on support under the adult rules. */
export interface AdultDecisionIssued {
  readonly type: 'AdultDecisionIssued';
  readonly data: {
    readonly personId: string;
    readonly decisionId: string;
    readonly effectiveFrom: IsoDate;
    readonly issuedAt: string;
  };
}

/** Placed youths: the decision on support after 18 (Barnets Lov § 111). */
export interface AftercareDecisionIssued {
  readonly type: 'AftercareDecisionIssued';
  readonly data: {
    readonly personId: string;
    readonly decisionId: string;
    readonly effectiveFrom: IsoDate;
    readonly issuedAt: string;
  };
}

export interface HandoverCompleted {
  readonly type: 'HandoverCompleted';
  readonly data: { readonly personId: string; readonly completedAt: string };
}

/** Final: nothing is recorded on the stream after it. */
export interface TransitionClosed {
  readonly type: 'TransitionClosed';
  readonly data: {
    readonly personId: string;
    readonly reason: TransitionCloseReason;
    readonly note?: string;
    readonly closedAt: string;
  };
}

export type TransitionEvent =
  | TransitionPreparationDue
  | TransitionPreparationStarted
  | TransitionTrackChosen
  | AdultCaseworkerAssigned
  | AdultAssessmentStarted
  | YouthPlanRecorded
  | AdultDecisionIssued
  | AftercareDecisionIssued
  | HandoverCompleted
  | TransitionClosed;

/** A transition event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedTransitionEvent = TransitionEvent & { readonly id: string };

export const TRANSITION_EVENTS = eventUnion<TransitionEvent>({
  TransitionPreparationDue: true,
  TransitionPreparationStarted: true,
  TransitionTrackChosen: true,
  AdultCaseworkerAssigned: true,
  AdultAssessmentStarted: true,
  YouthPlanRecorded: true,
  AdultDecisionIssued: true,
  AftercareDecisionIssued: true,
  HandoverCompleted: true,
  TransitionClosed: true,
});
export const TRANSITION_EVENT_TYPES = TRANSITION_EVENTS.types;
export const isTransitionEvent = TRANSITION_EVENTS.is;

import { eventUnion } from '../shared/event-types';
/**
 * An application (ansøgning) in a case: its processing deadline (Retssikkerhedsloven § 3 stk. 2),
 * delay notices, decisions and their completeness (Forvaltningsloven §§ 19, 22, 24, 25), and
 * appeals. One stream per application: `application-<applicationId>`.
 *
 * Events carry internal ids and codes only: no names, no CPR numbers, no free text. Times ending
 * in `At` are instants (ISO 8601, UTC); dates ('YYYY-MM-DD') are days on the Danish calendar.
 */
import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';

export const applicationStream = (applicationId: string): string => `application-${applicationId}`;

export const DEADLINE_UNITS = ['days', 'weeks', 'months'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

/** A published processing deadline, e.g. 8 weeks; counted in calendar days, weeks or months. */
export interface PublishedDeadline {
  readonly amount: number;
  readonly unit: DeadlineUnit;
}

/**
 * The written channels a message about the application may go by. Never plain e-mail: it holds
 * personal data. Phone and meetings are not written.
 */
export const APPLICATION_LETTER_CHANNELS = [
  'letter',
  'digital-post',
  'secure-e-mail',
] as const satisfies readonly ContactChannel[];

export const DELAY_REASONS = [
  'awaiting-citizen-information',
  'awaiting-other-authority',
  'awaiting-specialist-assessment',
  'complex-case',
  'capacity',
  'other',
] as const;
export type DelayReason = (typeof DELAY_REASONS)[number];

export const DECISION_OUTCOMES = ['granted', 'partly-granted', 'refused', 'dismissed'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const HEARING_STATUSES = ['done', 'not-needed', 'not-done'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];

/** Why no hearing of the party was needed (Forvaltningsloven § 19). */
export const HEARING_NOT_NEEDED_REASONS = [
  'entirely-in-favour',
  'urgent',
  'information-from-party',
  'other',
] as const;
export type HearingNotNeededReason = (typeof HEARING_NOT_NEEDED_REASONS)[number];

export const CONSENT_STATUSES = ['obtained', 'not-needed', 'missing'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** What a decision can lack, in the order they are listed. */
export const DECISION_ITEMS = ['reasons', 'hearing', 'appeal-guidance', 'consent'] as const;
export type DecisionItem = (typeof DECISION_ITEMS)[number];

export interface DecisionChecklist {
  /** Forvaltningsloven §§ 22, 24. */
  readonly reasonsGiven: boolean;
  /** Forvaltningsloven § 19. */
  readonly hearing: HearingStatus;
  /** Set exactly when `hearing` is 'not-needed'. */
  readonly hearingNotNeededReason: HearingNotNeededReason | null;
  /** Forvaltningsloven § 25. */
  readonly appealGuidanceIncluded: boolean;
  readonly consent: ConsentStatus;
}

export const REASSESSMENT_OUTCOMES = ['upheld', 'changed'] as const;
export type ReassessmentOutcome = (typeof REASSESSMENT_OUTCOMES)[number];

export const BOARD_RULING_OUTCOMES = ['upheld', 'changed', 'sent-back'] as const;
export type BoardRulingOutcome = (typeof BOARD_RULING_OUTCOMES)[number];

export interface ApplicationReceived {
  readonly type: 'ApplicationReceived';
  readonly data: {
    readonly applicationId: string;
    readonly caseId: string;
    /** Internal person id: never a CPR number or a name. */
    readonly personId: string;
    readonly departmentId: string;
    readonly caseType: string;
    /** The day the application reached the municipality; the deadline runs from it. */
    readonly applicationDate: IsoDate;
    /** The deadline published for the case type at receipt: later changes do not rewrite it. */
    readonly publishedDeadline: PublishedDeadline;
    /** At receipt: letters go by physical post, so notices must leave earlier. */
    readonly exemptFromDigitalPost: boolean;
    readonly receivedAt: string;
  };
}

/** The citizen was told in writing that the decision comes later (§ 3 stk. 2). */
export interface DelayNoticeSent {
  readonly type: 'DelayNoticeSent';
  readonly data: {
    readonly applicationId: string;
    readonly channel: ContactChannel;
    readonly sentAt: string;
    readonly expectedDecisionBy: IsoDate;
    readonly reason: DelayReason;
  };
}

export interface DecisionIssued {
  readonly type: 'DecisionIssued';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    readonly outcome: DecisionOutcome;
    readonly decidedAt: string;
    readonly channel: ContactChannel;
    readonly checklist: DecisionChecklist;
  };
}

/** Items a decision lacked have been supplied to the citizen. */
export interface DecisionSupplemented {
  readonly type: 'DecisionSupplemented';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    /** In the order of DECISION_ITEMS, without duplicates, never empty. */
    readonly supplied: readonly DecisionItem[];
    readonly suppliedAt: string;
    readonly channel: ContactChannel;
  };
}

export interface DecisionAppealed {
  readonly type: 'DecisionAppealed';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    readonly appealedAt: string;
  };
}

/** The municipality's own reassessment; 'changed' (in full) ends the appeal. */
export interface AppealReassessed {
  readonly type: 'AppealReassessed';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    readonly outcome: ReassessmentOutcome;
    readonly reassessedAt: string;
  };
}

export interface AppealForwardedToBoard {
  readonly type: 'AppealForwardedToBoard';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    readonly forwardedAt: string;
  };
}

/** 'sent-back' reopens the application for a new decision. */
export interface AppealBoardRuled {
  readonly type: 'AppealBoardRuled';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    readonly outcome: BoardRulingOutcome;
    readonly ruledAt: string;
  };
}

/** Local policy (Holbæk): an apology with the notice when the board changes or sends back. */
export interface ApologySent {
  readonly type: 'ApologySent';
  readonly data: {
    readonly applicationId: string;
    readonly decisionId: string;
    readonly channel: ContactChannel;
    readonly sentAt: string;
  };
}

export type ApplicationEvent =
  | ApplicationReceived
  | DelayNoticeSent
  | DecisionIssued
  | DecisionSupplemented
  | DecisionAppealed
  | AppealReassessed
  | AppealForwardedToBoard
  | AppealBoardRuled
  | ApologySent;

/** An application event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedApplicationEvent = ApplicationEvent & { readonly id: string };

export const APPLICATION_EVENTS = eventUnion<ApplicationEvent>({
  ApplicationReceived: true,
  DelayNoticeSent: true,
  DecisionIssued: true,
  DecisionSupplemented: true,
  DecisionAppealed: true,
  AppealReassessed: true,
  AppealForwardedToBoard: true,
  AppealBoardRuled: true,
  ApologySent: true,
});
export const APPLICATION_EVENT_TYPES = APPLICATION_EVENTS.types;
export const isApplicationEvent = APPLICATION_EVENTS.is;

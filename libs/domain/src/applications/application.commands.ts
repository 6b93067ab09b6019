import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';
import type {
  BoardRulingOutcome,
  DecisionChecklist,
  DecisionItem,
  DecisionOutcome,
  DelayReason,
  PublishedDeadline,
  ReassessmentOutcome,
} from './application.events';

/**
 * Commands on one application's stream. `now` is the time of the request (the clock is read by
 * the caller, never here). The optional `…At` is when the thing actually happened, e.g. a letter
 * sent yesterday being recorded today; it defaults to `now` and may not be after it.
 */

export interface ReceiveApplication {
  readonly type: 'ReceiveApplication';
  readonly applicationId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  /** The day the application reached the municipality: may be before today, not after. */
  readonly applicationDate: IsoDate;
  /** Looked up by the handler: the deadline published for the case type today. */
  readonly publishedDeadline: PublishedDeadline;
  /** Looked up by the handler: the citizen's status today. */
  readonly exemptFromDigitalPost: boolean;
  /** When it was registered as received, if not now: never in the future. */
  readonly at?: Date;
  readonly now: Date;
}

export interface SendDelayNotice {
  readonly type: 'SendDelayNotice';
  readonly applicationId: string;
  readonly channel: ContactChannel;
  /** Later than the deadline, or than the date a previous notice gave. */
  readonly expectedDecisionBy: IsoDate;
  readonly reason: DelayReason;
  readonly sentAt?: Date;
  readonly now: Date;
}

export interface IssueDecision {
  readonly type: 'IssueDecision';
  readonly applicationId: string;
  readonly decisionId: string;
  readonly outcome: DecisionOutcome;
  readonly channel: ContactChannel;
  readonly checklist: DecisionChecklist;
  readonly decidedAt?: Date;
  readonly now: Date;
}

export interface SupplementDecision {
  readonly type: 'SupplementDecision';
  readonly applicationId: string;
  readonly decisionId: string;
  /** Each must be missing from the decision now. */
  readonly supplied: readonly DecisionItem[];
  readonly channel: ContactChannel;
  readonly suppliedAt?: Date;
  readonly now: Date;
}

export interface AppealDecision {
  readonly type: 'AppealDecision';
  readonly applicationId: string;
  readonly decisionId: string;
  readonly appealedAt?: Date;
  readonly now: Date;
}

export interface ReassessAppeal {
  readonly type: 'ReassessAppeal';
  readonly applicationId: string;
  readonly decisionId: string;
  readonly outcome: ReassessmentOutcome;
  readonly reassessedAt?: Date;
  readonly now: Date;
}

export interface ForwardAppeal {
  readonly type: 'ForwardAppeal';
  readonly applicationId: string;
  readonly decisionId: string;
  readonly forwardedAt?: Date;
  readonly now: Date;
}

export interface RecordBoardRuling {
  readonly type: 'RecordBoardRuling';
  readonly applicationId: string;
  readonly decisionId: string;
  readonly outcome: BoardRulingOutcome;
  readonly ruledAt?: Date;
  readonly now: Date;
}

export interface SendApology {
  readonly type: 'SendApology';
  readonly applicationId: string;
  readonly decisionId: string;
  readonly channel: ContactChannel;
  readonly sentAt?: Date;
  readonly now: Date;
}

export type ApplicationCommand =
  | ReceiveApplication
  | SendDelayNotice
  | IssueDecision
  | SupplementDecision
  | AppealDecision
  | ReassessAppeal
  | ForwardAppeal
  | RecordBoardRuling
  | SendApology;

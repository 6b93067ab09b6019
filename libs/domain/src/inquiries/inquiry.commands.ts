import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';
import type { InquiryPostponementReason } from './inquiry.events';

/**
 * Commands on one inquiry's stream. `now` is the time of the request (the clock is read by the
 * caller, never here). The optional `…At` is when the thing actually happened, e.g. a phone call
 * yesterday being recorded today; it defaults to `now` and may not be after it.
 */

export interface RecordInquiry {
  readonly type: 'RecordInquiry';
  readonly inquiryId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseId: string | null;
  readonly channel: ContactChannel;
  readonly receivedAt?: Date;
  readonly now: Date;
}

export interface AcknowledgeInquiry {
  readonly type: 'AcknowledgeInquiry';
  readonly inquiryId: string;
  readonly channel: ContactChannel;
  /** The date the citizen is told the answer will come by. */
  readonly answerPromisedBy: IsoDate;
  readonly acknowledgedAt?: Date;
  readonly now: Date;
}

export interface PostponeInquiryAnswer {
  readonly type: 'PostponeInquiryAnswer';
  readonly inquiryId: string;
  /** The new date the citizen is told; later than the current promise. */
  readonly answerPromisedBy: IsoDate;
  readonly reason: InquiryPostponementReason;
  readonly postponedAt?: Date;
  readonly now: Date;
}

export interface AnswerInquiry {
  readonly type: 'AnswerInquiry';
  readonly inquiryId: string;
  readonly channel: ContactChannel;
  readonly answeredAt?: Date;
  readonly now: Date;
}

export type InquiryCommand =
  RecordInquiry | AcknowledgeInquiry | PostponeInquiryAnswer | AnswerInquiry;

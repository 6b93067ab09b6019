import { eventUnion } from '../shared/event-types';
/**
 * A citizen's inquiry to the municipality: received, acknowledged with a promised answer date,
 * possibly postponed, answered. One stream per inquiry: `inquiry-<inquiryId>`.
 *
 * Events carry internal ids only: what the citizen asked and what they were told stay out of
 * the events (they belong in the journal). Times ending in `At` are instants (ISO 8601, UTC);
 * dates ('YYYY-MM-DD') are days on the Danish calendar.
 */
import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';

export const inquiryStream = (inquiryId: string): string => `inquiry-${inquiryId}`;

/** Why the answer comes later than promised: codes, never free text. */
export const INQUIRY_POSTPONEMENT_REASONS = [
  'awaiting-citizen-information',
  'awaiting-other-authority',
  'awaiting-other-department',
  'complex-inquiry',
  'caseworker-absent',
  'other',
] as const;
export type InquiryPostponementReason = (typeof INQUIRY_POSTPONEMENT_REASONS)[number];

export interface InquiryReceived {
  readonly type: 'InquiryReceived';
  readonly data: {
    readonly inquiryId: string;
    /** Internal person id: never a CPR number or a name. */
    readonly personId: string;
    readonly departmentId: string;
    /** The case it is about, when there is one. */
    readonly caseId: string | null;
    readonly channel: ContactChannel;
    readonly receivedAt: string;
  };
}

/** The citizen was told the inquiry is received and when the answer will come. */
export interface InquiryAcknowledged {
  readonly type: 'InquiryAcknowledged';
  readonly data: {
    readonly inquiryId: string;
    readonly channel: ContactChannel;
    readonly acknowledgedAt: string;
    readonly answerPromisedBy: IsoDate;
  };
}

/** The citizen was told a new, later answer date. */
export interface InquiryAnswerPostponed {
  readonly type: 'InquiryAnswerPostponed';
  readonly data: {
    readonly inquiryId: string;
    readonly answerPromisedBy: IsoDate;
    readonly reason: InquiryPostponementReason;
    readonly postponedAt: string;
  };
}

export interface InquiryAnswered {
  readonly type: 'InquiryAnswered';
  readonly data: {
    readonly inquiryId: string;
    readonly channel: ContactChannel;
    readonly answeredAt: string;
  };
}

export type InquiryEvent =
  InquiryReceived | InquiryAcknowledged | InquiryAnswerPostponed | InquiryAnswered;

/** An inquiry event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedInquiryEvent = InquiryEvent & { readonly id: string };

export const INQUIRY_EVENTS = eventUnion<InquiryEvent>({
  InquiryReceived: true,
  InquiryAcknowledged: true,
  InquiryAnswerPostponed: true,
  InquiryAnswered: true,
});
export const INQUIRY_EVENT_TYPES = INQUIRY_EVENTS.types;
export const isInquiryEvent = INQUIRY_EVENTS.is;

import { eventUnion } from '../shared/event-types';
/**
 * A citizen's request for access to their file (aktindsigt): received, possibly delayed by a
 * letter giving the reason and an expected date, answered. One stream per request:
 * `file-access-<requestId>`.
 *
 * Events carry internal ids only: what was asked for and what was handed out stay out of the
 * events. Times ending in `At` are instants (ISO 8601, UTC); dates ('YYYY-MM-DD') are days on
 * the Danish calendar.
 */
import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';

export const fileAccessStream = (requestId: string): string => `file-access-${requestId}`;

/** Why the answer takes longer than the deadline: codes, never free text. */
export const FILE_ACCESS_DELAY_REASONS = [
  'extensive-material',
  'third-party-hearing',
  'consulting-other-authority',
  'other',
] as const;
export type FileAccessDelayReason = (typeof FILE_ACCESS_DELAY_REASONS)[number];

export const FILE_ACCESS_OUTCOMES = ['granted', 'partly-granted', 'refused'] as const;
export type FileAccessOutcome = (typeof FILE_ACCESS_OUTCOMES)[number];

export interface FileAccessRequested {
  readonly type: 'FileAccessRequested';
  readonly data: {
    readonly requestId: string;
    /** Internal person id of the requester: never a CPR number or a name. */
    readonly personId: string;
    readonly departmentId: string;
    /** The case asked about, when there is one. */
    readonly caseId: string | null;
    readonly channel: ContactChannel;
    readonly receivedAt: string;
  };
}

/**
 * The requester was told why the answer is delayed and when to expect it (Offentlighedsloven
 * § 36, stk. 2). A later letter may move the date again, never earlier.
 */
export interface FileAccessDelayLetterSent {
  readonly type: 'FileAccessDelayLetterSent';
  readonly data: {
    readonly requestId: string;
    readonly channel: ContactChannel;
    readonly sentAt: string;
    readonly reason: FileAccessDelayReason;
    /** The day the answer is promised by. */
    readonly expectedBy: IsoDate;
  };
}

/** Final: a request is answered once. */
export interface FileAccessAnswered {
  readonly type: 'FileAccessAnswered';
  readonly data: {
    readonly requestId: string;
    readonly outcome: FileAccessOutcome;
    readonly channel: ContactChannel;
    readonly answeredAt: string;
  };
}

export type FileAccessEvent = FileAccessRequested | FileAccessDelayLetterSent | FileAccessAnswered;

/** A file-access event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedFileAccessEvent = FileAccessEvent & { readonly id: string };

export const FILE_ACCESS_EVENTS = eventUnion<FileAccessEvent>({
  FileAccessRequested: true,
  FileAccessDelayLetterSent: true,
  FileAccessAnswered: true,
});
export const FILE_ACCESS_EVENT_TYPES = FILE_ACCESS_EVENTS.types;
export const isFileAccessEvent = FILE_ACCESS_EVENTS.is;

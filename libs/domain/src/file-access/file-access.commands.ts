import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';
import type { FileAccessRules } from './file-access-flags';
import type { FileAccessDelayReason, FileAccessOutcome } from './file-access.events';

/**
 * Commands on one file-access request's stream. `now` is the time of the request (the clock is
 * read by the caller, never here). The optional `…At` is when the thing actually happened; it
 * defaults to `now` and may not be after it.
 */

export interface RequestFileAccess {
  readonly type: 'RequestFileAccess';
  readonly requestId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseId: string | null;
  readonly channel: ContactChannel;
  readonly receivedAt?: Date;
  readonly now: Date;
}

export interface SendFileAccessDelayLetter {
  readonly type: 'SendFileAccessDelayLetter';
  readonly requestId: string;
  readonly channel: ContactChannel;
  readonly reason: FileAccessDelayReason;
  /** After the normal deadline and after any earlier letter's date. */
  readonly expectedBy: IsoDate;
  readonly sentAt?: Date;
  /** The municipality's rules, for the normal deadline. Default DEFAULT_FILE_ACCESS_RULES. */
  readonly rules?: FileAccessRules;
  readonly now: Date;
}

export interface AnswerFileAccess {
  readonly type: 'AnswerFileAccess';
  readonly requestId: string;
  readonly outcome: FileAccessOutcome;
  readonly channel: ContactChannel;
  readonly answeredAt?: Date;
  readonly now: Date;
}

export type FileAccessCommand = RequestFileAccess | SendFileAccessDelayLetter | AnswerFileAccess;

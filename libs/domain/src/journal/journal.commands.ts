import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';
import type {
  ContactDirection,
  InsecureSendingAction,
  JournalDocumentKind,
} from './journal.events';

/**
 * Commands on one case's journal stream. `now` is the time of the request (the clock is read by
 * the caller, never here) and the time of journaling.
 */

export interface JournalContact {
  readonly type: 'JournalContact';
  readonly caseId: string;
  /** New in this journal: entry ids are never reused. */
  readonly entryId: string;
  /** When the contact took place; not after `now`. */
  readonly occurredAt: Date;
  readonly channel: ContactChannel;
  readonly direction: ContactDirection;
  /** Short, code-like (at most JOURNAL_SUBJECT_MAX_LENGTH characters): never personal data. */
  readonly subject: string;
  readonly containsPersonalData: boolean;
  /** A note the app has stored already (its content never goes into an event), or null. */
  readonly noteId: string | null;
  readonly now: Date;
}

export interface RecordNote {
  readonly type: 'RecordNote';
  readonly caseId: string;
  /** A contact entry in this journal without a note. */
  readonly entryId: string;
  readonly noteId: string;
  readonly notedAt?: Date;
  readonly now: Date;
}

export interface JournalDocument {
  readonly type: 'JournalDocument';
  readonly caseId: string;
  readonly entryId: string;
  readonly documentDate: IsoDate;
  readonly kind: JournalDocumentKind;
  readonly subject: string;
  readonly now: Date;
}

export interface HandleInsecureSending {
  readonly type: 'HandleInsecureSending';
  readonly caseId: string;
  /** A contact entry that is an insecure sending (see `isInsecureSending`). */
  readonly entryId: string;
  readonly action: InsecureSendingAction;
  readonly handledAt?: Date;
  readonly now: Date;
}

export type JournalCommand = JournalContact | RecordNote | JournalDocument | HandleInsecureSending;

import { eventUnion } from '../shared/event-types';
/**
 * A case's journal: contacts with the citizen and others (Offentlighedsloven § 13, notatpligt),
 * documents (§ 15, journaliseringspligt) and the handling of personal data sent over an
 * insecure channel (GDPR breach record). One stream per case: `journal-<caseId>`.
 *
 * Events carry internal ids and codes only. A subject is a short, code-like heading and must
 * never contain personal data (no names, CPR numbers, addresses, health details); a note's
 * content is personal data and is stored outside the event store, the events only reference it
 * by `noteId`. Times ending in `At` are instants (ISO 8601, UTC); dates ('YYYY-MM-DD') are days
 * on the Danish calendar.
 */
import type { ContactChannel } from '../cases/case.events';
import type { IsoDate } from '../shared/calendar-dates';

export const journalStream = (caseId: string): string => `journal-${caseId}`;

/** The longest subject accepted (characters, after trimming). */
export const JOURNAL_SUBJECT_MAX_LENGTH = 120;

export const CONTACT_DIRECTIONS = ['from-citizen', 'to-citizen', 'internal'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

export const JOURNAL_DOCUMENT_KINDS = [
  'letter',
  'decision',
  'application',
  'statement',
  'other',
] as const;
export type JournalDocumentKind = (typeof JOURNAL_DOCUMENT_KINDS)[number];

export const INSECURE_SENDING_ACTIONS = ['reported-as-breach', 'assessed-no-breach'] as const;
export type InsecureSendingAction = (typeof INSECURE_SENDING_ACTIONS)[number];

export interface ContactJournaled {
  readonly type: 'ContactJournaled';
  readonly data: {
    readonly caseId: string;
    readonly entryId: string;
    /** When the contact took place. */
    readonly occurredAt: string;
    readonly journaledAt: string;
    readonly channel: ContactChannel;
    readonly direction: ContactDirection;
    /** Short and code-like; never personal data. */
    readonly subject: string;
    /** Whether the contact carried personal data (decides whether e-mail was a breach). */
    readonly containsPersonalData: boolean;
    /** The note written with the entry, stored outside the event store; or none yet. */
    readonly noteId: string | null;
  };
}

/** A note written later for a contact entry (its content is stored by the app, not here). */
export interface NoteRecorded {
  readonly type: 'NoteRecorded';
  readonly data: {
    readonly caseId: string;
    readonly entryId: string;
    readonly noteId: string;
    readonly notedAt: string;
  };
}

export interface DocumentJournaled {
  readonly type: 'DocumentJournaled';
  readonly data: {
    readonly caseId: string;
    readonly entryId: string;
    /** The document's own date. */
    readonly documentDate: IsoDate;
    readonly kind: JournalDocumentKind;
    /** Short and code-like; never personal data. */
    readonly subject: string;
    readonly journaledAt: string;
  };
}

/** Personal data sent by ordinary e-mail was dealt with: reported as a breach, or assessed. */
export interface InsecureSendingHandled {
  readonly type: 'InsecureSendingHandled';
  readonly data: {
    readonly caseId: string;
    readonly entryId: string;
    readonly handledAt: string;
    readonly action: InsecureSendingAction;
  };
}

export type JournalEvent =
  ContactJournaled | NoteRecorded | DocumentJournaled | InsecureSendingHandled;

/** A journal event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedJournalEvent = JournalEvent & { readonly id: string };

export const JOURNAL_EVENTS = eventUnion<JournalEvent>({
  ContactJournaled: true,
  NoteRecorded: true,
  DocumentJournaled: true,
  InsecureSendingHandled: true,
});
export const JOURNAL_EVENT_TYPES = JOURNAL_EVENTS.types;
export const isJournalEvent = JOURNAL_EVENTS.is;

/**
 * Personal data sent by ordinary (unencrypted) e-mail by the municipality, to the citizen or
 * internally: a possible breach that must be handled. E-mail from the citizen is their choice.
 */
export function isInsecureSending(contact: {
  readonly channel: ContactChannel;
  readonly direction: ContactDirection;
  readonly containsPersonalData: boolean;
}): boolean {
  return (
    contact.channel === 'e-mail' &&
    contact.direction !== 'from-citizen' &&
    contact.containsPersonalData
  );
}

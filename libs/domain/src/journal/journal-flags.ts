/**
 * Journal flags of one case, computed at read time against `today` (a Danish calendar date
 * passed in, never read here): contacts on a channel that needs a note but have none in time,
 * and personal data sent by ordinary e-mail that nobody has handled as a possible breach.
 */
import { CONTACT_CHANNELS, type ContactChannel } from '../cases/case.events';
import { dateParts, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { addWorkingDays, type WorkingDayOptions } from '../shared/danish-holidays';
import { assertNever } from '../shared/decider';
import {
  isInsecureSending,
  type ContactDirection,
  type IdentifiedJournalEvent,
  type InsecureSendingAction,
} from './journal.events';

export const JOURNAL_FLAG_CODES = ['NOTE_MISSING', 'INSECURE_CHANNEL'] as const;
export type JournalFlagCode = (typeof JOURNAL_FLAG_CODES)[number];

export type JournalFlagSeverity = 'warning' | 'overdue';

export interface JournalRules {
  /**
   * Contacts on these channels carry oral information and need a note (notatpligt,
   * Offentlighedsloven § 13). Default phone and SMS.
   */
  readonly noteRequiredChannels: readonly ContactChannel[];
  /** Working days after the day of the contact to write the note (local policy). */
  readonly noteWithinWorkingDays: number;
  readonly calendar?: WorkingDayOptions;
}

export const DEFAULT_JOURNAL_RULES: JournalRules = {
  noteRequiredChannels: ['phone', 'sms'],
  noteWithinWorkingDays: 3,
};

export const JOURNAL_RULE_TEXTS: { readonly [C in JournalFlagCode]: string } = {
  NOTE_MISSING:
    'Offentlighedsloven § 13 (notatpligt); the number of working days to write it is local policy',
  INSECURE_CHANNEL:
    'Databeskyttelsesforordningen art. 32 (personal data by e-mail must be encrypted); ' +
    'a breach is recorded under art. 33(5)',
};

/** A fact with the event that recorded it. */
export interface JournalFact {
  readonly eventId: string;
  readonly at: string;
}

export interface JournalContactFacts {
  readonly entryId: string;
  /** The ContactJournaled event; `at` is when the contact occurred. */
  readonly contact: JournalFact;
  readonly channel: ContactChannel;
  readonly direction: ContactDirection;
  readonly containsPersonalData: boolean;
  /** With the entry (the contact's own event) or later (NoteRecorded). */
  readonly note: (JournalFact & { readonly noteId: string }) | null;
  readonly insecureHandled: (JournalFact & { readonly action: InsecureSendingAction }) | null;
}

/**
 * What the flags are computed from: the contacts of one case's journal (documents raise no
 * flags). The live projection builds it from its tables, the as-of history with
 * `foldJournalFacts`; both the same way.
 */
export interface JournalFacts {
  readonly caseId: string;
  /** In the order journaled. */
  readonly contacts: readonly JournalContactFacts[];
}

export interface JournalFlag {
  readonly code: JournalFlagCode;
  readonly caseId: string;
  readonly entryId: string;
  /** The last day on time ('YYYY-MM-DD'); for an insecure sending, the day it happened. */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: JournalFlagSeverity;
  /** The events the flag rests on. */
  readonly eventIds: readonly string[];
}

/**
 * Folds one journal stream (in order, with event ids) into facts; from `from` when given, the
 * facts of the events before these.
 */
export function foldJournalFacts(
  caseId: string,
  events: readonly IdentifiedJournalEvent[],
  from: JournalFacts | null = null,
): JournalFacts {
  const contacts = new Map<string, JournalContactFacts>(
    (from?.contacts ?? []).map((contact) => [contact.entryId, contact]),
  );
  const update = (entryId: string, change: Partial<JournalContactFacts>): void => {
    const contact = contacts.get(entryId);
    if (contact !== undefined) contacts.set(entryId, { ...contact, ...change });
  };
  for (const event of events) {
    switch (event.type) {
      case 'ContactJournaled': {
        const { data } = event;
        contacts.set(data.entryId, {
          entryId: data.entryId,
          contact: { eventId: event.id, at: data.occurredAt },
          channel: data.channel,
          direction: data.direction,
          containsPersonalData: data.containsPersonalData,
          note:
            data.noteId === null
              ? null
              : { eventId: event.id, at: data.journaledAt, noteId: data.noteId },
          insecureHandled: null,
        });
        break;
      }
      case 'NoteRecorded':
        update(event.data.entryId, {
          note: { eventId: event.id, at: event.data.notedAt, noteId: event.data.noteId },
        });
        break;
      case 'DocumentJournaled':
        break;
      case 'InsecureSendingHandled':
        update(event.data.entryId, {
          insecureHandled: {
            eventId: event.id,
            at: event.data.handledAt,
            action: event.data.action,
          },
        });
        break;
      default:
        return assertNever(event);
    }
  }
  return { caseId, contacts: [...contacts.values()] };
}

/** The last day to note a contact on a note-required channel. */
export function journalNoteDueDate(
  occurredAt: string,
  rules: JournalRules = DEFAULT_JOURNAL_RULES,
): IsoDate {
  checkRules(rules);
  return addWorkingDays(danishDate(occurredAt), rules.noteWithinWorkingDays, rules.calendar);
}

/** A contact that needs a note and has none: NOTE_MISSING once its due date is past. */
function awaitsNote(contact: JournalContactFacts, rules: JournalRules): boolean {
  return contact.note === null && rules.noteRequiredChannels.includes(contact.channel);
}

/** Personal data sent insecurely and not handled: INSECURE_CHANNEL from the day it happened. */
function insecureUnhandled(contact: JournalContactFacts): boolean {
  return contact.insecureHandled === null && isInsecureSending(contact);
}

/**
 * Whether the journal raises a flag on some day if nothing more happens (`journalFlags` far
 * enough ahead), without working out any due date: a rebuild asks it of every journal.
 */
export function journalHasOpenDuty(
  facts: JournalFacts,
  rules: JournalRules = DEFAULT_JOURNAL_RULES,
): boolean {
  checkRules(rules);
  return facts.contacts.some((contact) => awaitsNote(contact, rules) || insecureUnhandled(contact));
}

/**
 * The open flags of a case's journal on `today`, one per offending entry and code, by due date,
 * then code, then entry id:
 * - NOTE_MISSING: a contact on a note-required channel without a note, once `today` is after
 *   `journalNoteDueDate`.
 * - INSECURE_CHANNEL: personal data sent by ordinary e-mail (see `isInsecureSending`), from the
 *   day it happened until it is handled.
 */
export function journalFlags(
  facts: JournalFacts,
  today: IsoDate,
  rules: JournalRules = DEFAULT_JOURNAL_RULES,
): JournalFlag[] {
  checkRules(rules);
  dateParts(today);
  const flags: JournalFlag[] = [];
  const raise = (code: JournalFlagCode, contact: JournalContactFacts, dueDate: IsoDate): void => {
    flags.push({
      code,
      caseId: facts.caseId,
      entryId: contact.entryId,
      dueDate,
      rule: JOURNAL_RULE_TEXTS[code],
      severity: 'overdue',
      eventIds: [contact.contact.eventId],
    });
  };
  for (const contact of facts.contacts) {
    if (awaitsNote(contact, rules)) {
      const dueDate = journalNoteDueDate(contact.contact.at, rules);
      if (today > dueDate) raise('NOTE_MISSING', contact, dueDate);
    }
    if (insecureUnhandled(contact)) {
      const happenedOn = danishDate(contact.contact.at);
      if (today >= happenedOn) raise('INSECURE_CHANNEL', contact, happenedOn);
    }
  }
  return flags.sort(
    (a, b) =>
      compare(a.dueDate, b.dueDate) || compare(a.code, b.code) || compare(a.entryId, b.entryId),
  );
}

function checkRules(rules: JournalRules): void {
  const days = rules.noteWithinWorkingDays;
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError('Journal rules: the note deadline is a whole, non-negative number');
  }
  const known: readonly string[] = CONTACT_CHANNELS;
  if (!rules.noteRequiredChannels.every((channel) => known.includes(channel))) {
    throw new RangeError('Journal rules: unknown channel among the note-required channels');
  }
}

function danishDate(instant: string): IsoDate {
  return copenhagenDateOf(new Date(instant));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

import { textMayContainCpr } from '../shared/free-text';
import { CONTACT_CHANNELS } from '../cases/case.events';
import { commandChecks, requireNotBefore, requireOneOf } from '../shared/command-checks';
import { isIsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import type { JournalCommand } from './journal.commands';
import {
  CONTACT_DIRECTIONS,
  INSECURE_SENDING_ACTIONS,
  JOURNAL_DOCUMENT_KINDS,
  JOURNAL_SUBJECT_MAX_LENGTH,
  isInsecureSending,
  type JournalEvent,
} from './journal.events';

export type JournalEntryState =
  | {
      readonly kind: 'contact';
      readonly occurredAt: string;
      readonly insecure: boolean;
      readonly noteId: string | null;
      readonly insecureHandledAt: string | null;
    }
  | { readonly kind: 'document' };

export interface JournalState {
  /** entryId → what the decisions need of it. */
  readonly entries: ReadonlyMap<string, JournalEntryState>;
}

export const JOURNAL_ERRORS = {
  entryIdReused: 'JOURNAL.ENTRY_ID_REUSED',
  entryNotFound: 'JOURNAL.ENTRY_NOT_FOUND',
  notAContact: 'JOURNAL.NOT_A_CONTACT',
  noteAlreadyRecorded: 'JOURNAL.NOTE_ALREADY_RECORDED',
  notAnInsecureSending: 'JOURNAL.NOT_AN_INSECURE_SENDING',
  alreadyHandled: 'JOURNAL.INSECURE_SENDING_ALREADY_HANDLED',
  beforeContact: 'JOURNAL.BEFORE_CONTACT',
  missingId: 'JOURNAL.MISSING_ID',
  invalidSubject: 'JOURNAL.INVALID_SUBJECT',
  subjectMayContainPersonalData: 'JOURNAL.SUBJECT_MAY_CONTAIN_PERSONAL_DATA',
  unknownChannel: 'JOURNAL.UNKNOWN_CHANNEL',
  unknownDirection: 'JOURNAL.UNKNOWN_DIRECTION',
  unknownDocumentKind: 'JOURNAL.UNKNOWN_DOCUMENT_KIND',
  unknownAction: 'JOURNAL.UNKNOWN_ACTION',
  invalidDocumentDate: 'JOURNAL.INVALID_DOCUMENT_DATE',
  inTheFuture: 'JOURNAL.IN_THE_FUTURE',
  invalidTime: 'JOURNAL.INVALID_TIME',
} as const;

/** Ten digits in a row, with or without the dash: what a CPR number looks like in free text. */
const EMAIL_ADDRESS_LIKE = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;

// The journal names `now` itself when it is not a valid time.
const { validTime, occurredAt, requireId, optionalId } = commandChecks(JOURNAL_ERRORS, {
  nowField: 'now',
});

/**
 * A trimmed one-line subject of at most JOURNAL_SUBJECT_MAX_LENGTH characters. A cheap guard
 * refuses what looks like a CPR number or an e-mail address; it cannot catch names, so the
 * rule "no personal data in a subject" stays the caseworker's (the message never echoes it).
 */
function checkedSubject(subject: string): string {
  const trimmed = typeof subject === 'string' ? subject.trim() : '';
  if (trimmed === '' || trimmed.length > JOURNAL_SUBJECT_MAX_LENGTH || LINE_BREAK.test(trimmed)) {
    throw new InvalidCommandError(
      JOURNAL_ERRORS.invalidSubject,
      'A subject is one non-empty line of limited length',
      { field: 'subject', maxLength: JOURNAL_SUBJECT_MAX_LENGTH },
    );
  }
  if (textMayContainCpr(trimmed) || EMAIL_ADDRESS_LIKE.test(trimmed)) {
    throw new InvalidCommandError(
      JOURNAL_ERRORS.subjectMayContainPersonalData,
      'The subject looks like it contains a CPR number or an e-mail address; subjects never do',
      { field: 'subject' },
    );
  }
  return trimmed;
}

function requireNewEntry(state: JournalState, entryId: string): string {
  requireId(entryId, 'entryId');
  if (state.entries.has(entryId)) {
    throw new ConflictError(JOURNAL_ERRORS.entryIdReused, 'This entry id is in use already', {
      entryId,
    });
  }
  return entryId;
}

function requireContact(state: JournalState, entryId: string) {
  const entry = state.entries.get(entryId);
  if (entry === undefined) {
    throw new NotFoundError(JOURNAL_ERRORS.entryNotFound, 'No journal entry with this id', {
      entryId,
    });
  }
  if (entry.kind !== 'contact') {
    throw new ConflictError(JOURNAL_ERRORS.notAContact, 'The entry is not a contact', {
      entryId,
    });
  }
  return entry;
}

function notBeforeContact(when: Date, contactAt: string, field: string): string {
  return requireNotBefore(when, contactAt, {
    code: JOURNAL_ERRORS.beforeContact,
    message: 'This cannot have happened before the contact',
    details: { field, occurredAt: contactAt },
  });
}

/**
 * One case's journal. Entry ids are unique within it and never reused. A contact cannot lie in
 * the future; a note is recorded once per contact (with the entry or later); an insecure
 * sending is handled once, and only an insecure sending can be.
 */
export const journalDecider: Decider<JournalCommand, JournalEvent, JournalState> = {
  initialState: { entries: new Map() },

  decide(command, state) {
    const caseId = requireId(command.caseId, 'caseId');
    switch (command.type) {
      case 'JournalContact': {
        const entryId = requireNewEntry(state, command.entryId);
        const occurred = occurredAt(command.occurredAt, command.now, 'occurredAt');
        return [
          {
            type: 'ContactJournaled',
            data: {
              caseId,
              entryId,
              occurredAt: occurred.toISOString(),
              journaledAt: command.now.toISOString(),
              channel: requireOneOf(
                CONTACT_CHANNELS,
                command.channel,
                JOURNAL_ERRORS.unknownChannel,
                'channel',
              ),
              direction: requireOneOf(
                CONTACT_DIRECTIONS,
                command.direction,
                JOURNAL_ERRORS.unknownDirection,
                'direction',
              ),
              subject: checkedSubject(command.subject),
              containsPersonalData: command.containsPersonalData === true,
              noteId: optionalId(command.noteId, 'noteId'),
            },
          },
        ];
      }
      case 'RecordNote': {
        const entry = requireContact(state, command.entryId);
        if (entry.noteId !== null) {
          throw new ConflictError(
            JOURNAL_ERRORS.noteAlreadyRecorded,
            'The contact has a note already',
            { entryId: command.entryId, noteId: entry.noteId },
          );
        }
        const noted = occurredAt(command.notedAt, command.now, 'at');
        return [
          {
            type: 'NoteRecorded',
            data: {
              caseId,
              entryId: command.entryId,
              noteId: requireId(command.noteId, 'noteId'),
              notedAt: notBeforeContact(noted, entry.occurredAt, 'at'),
            },
          },
        ];
      }
      case 'JournalDocument': {
        const entryId = requireNewEntry(state, command.entryId);
        validTime(command.now, 'now');
        if (
          !isIsoDate(command.documentDate) ||
          command.documentDate > copenhagenDateOf(command.now)
        ) {
          throw new InvalidCommandError(
            JOURNAL_ERRORS.invalidDocumentDate,
            "The document date must be a real date, 'YYYY-MM-DD', not in the future",
          );
        }
        return [
          {
            type: 'DocumentJournaled',
            data: {
              caseId,
              entryId,
              documentDate: command.documentDate,
              kind: requireOneOf(
                JOURNAL_DOCUMENT_KINDS,
                command.kind,
                JOURNAL_ERRORS.unknownDocumentKind,
                'document kind',
              ),
              subject: checkedSubject(command.subject),
              journaledAt: command.now.toISOString(),
            },
          },
        ];
      }
      case 'HandleInsecureSending': {
        const entry = requireContact(state, command.entryId);
        if (!entry.insecure) {
          throw new ConflictError(
            JOURNAL_ERRORS.notAnInsecureSending,
            'Only personal data sent by ordinary e-mail needs handling as a possible breach',
            { entryId: command.entryId },
          );
        }
        if (entry.insecureHandledAt !== null) {
          throw new ConflictError(
            JOURNAL_ERRORS.alreadyHandled,
            'The insecure sending has been handled already',
            { entryId: command.entryId, handledAt: entry.insecureHandledAt },
          );
        }
        const action = requireOneOf(
          INSECURE_SENDING_ACTIONS,
          command.action,
          JOURNAL_ERRORS.unknownAction,
          'action',
        );
        const handled = occurredAt(command.handledAt, command.now, 'at');
        return [
          {
            type: 'InsecureSendingHandled',
            data: {
              caseId,
              entryId: command.entryId,
              handledAt: notBeforeContact(handled, entry.occurredAt, 'at'),
              action,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    const entries = new Map(state.entries);
    switch (event.type) {
      case 'ContactJournaled':
        entries.set(event.data.entryId, {
          kind: 'contact',
          occurredAt: event.data.occurredAt,
          insecure: isInsecureSending(event.data),
          noteId: event.data.noteId,
          insecureHandledAt: null,
        });
        break;
      case 'NoteRecorded': {
        const entry = entries.get(event.data.entryId);
        if (entry?.kind === 'contact') {
          entries.set(event.data.entryId, { ...entry, noteId: event.data.noteId });
        }
        break;
      }
      case 'DocumentJournaled':
        entries.set(event.data.entryId, { kind: 'document' });
        break;
      case 'InsecureSendingHandled': {
        const entry = entries.get(event.data.entryId);
        if (entry?.kind === 'contact') {
          entries.set(event.data.entryId, { ...entry, insecureHandledAt: event.data.handledAt });
        }
        break;
      }
      default:
        return assertNever(event);
    }
    return { entries };
  },
};

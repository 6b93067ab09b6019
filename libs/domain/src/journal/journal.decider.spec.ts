import { fold } from '../shared/decider';
import { specFor } from '../shared/given-when-then';
import type {
  HandleInsecureSending,
  JournalCommand,
  JournalContact,
  JournalDocument,
  RecordNote,
} from './journal.commands';
import { JOURNAL_ERRORS, journalDecider } from './journal.decider';
import {
  JOURNAL_EVENT_TYPES,
  JOURNAL_SUBJECT_MAX_LENGTH,
  journalStream,
  type ContactDirection,
  type InsecureSendingAction,
  type JournalDocumentKind,
  type JournalEvent,
} from './journal.events';

const caseId = 'case-1';
const now = new Date('2026-04-01T08:00:00.000Z');
const occurredAt = new Date('2026-03-31T12:00:00.000Z');
const later = new Date(now.getTime() + 1);

const contact: JournalContact = {
  type: 'JournalContact',
  caseId,
  entryId: 'j-1',
  occurredAt,
  channel: 'phone',
  direction: 'from-citizen',
  subject: '  Asks about the status of the application  ',
  containsPersonalData: true,
  noteId: null,
  now,
};
const contactJournaled: JournalEvent = {
  type: 'ContactJournaled',
  data: {
    caseId,
    entryId: 'j-1',
    occurredAt: occurredAt.toISOString(),
    journaledAt: now.toISOString(),
    channel: 'phone',
    direction: 'from-citizen',
    subject: 'Asks about the status of the application',
    containsPersonalData: true,
    noteId: null,
  },
};
const mailed: JournalEvent = {
  type: 'ContactJournaled',
  data: {
    ...contactJournaled.data,
    entryId: 'j-2',
    channel: 'e-mail',
    direction: 'to-citizen',
    subject: 'Meeting summary',
  },
};

const note: RecordNote = { type: 'RecordNote', caseId, entryId: 'j-1', noteId: 'n-1', now };
const noteRecorded: JournalEvent = {
  type: 'NoteRecorded',
  data: { caseId, entryId: 'j-1', noteId: 'n-1', notedAt: now.toISOString() },
};

const document: JournalDocument = {
  type: 'JournalDocument',
  caseId,
  entryId: 'd-1',
  documentDate: '2026-03-20',
  kind: 'application',
  subject: 'Application for support',
  now,
};
const documentJournaled: JournalEvent = {
  type: 'DocumentJournaled',
  data: {
    caseId,
    entryId: 'd-1',
    documentDate: '2026-03-20',
    kind: 'application',
    subject: 'Application for support',
    journaledAt: now.toISOString(),
  },
};

const handle: HandleInsecureSending = {
  type: 'HandleInsecureSending',
  caseId,
  entryId: 'j-2',
  action: 'reported-as-breach',
  now,
};
const handled: JournalEvent = {
  type: 'InsecureSendingHandled',
  data: { caseId, entryId: 'j-2', handledAt: now.toISOString(), action: 'reported-as-breach' },
};

const spec = specFor(journalDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly JournalEvent[], command: JournalCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

describe('journal decider', () => {
  it('lives on the stream journal-<caseId> and names its event types', () => {
    expect(journalStream('case-1')).toBe('journal-case-1');
    expect([...JOURNAL_EVENT_TYPES].sort()).toEqual([
      'ContactJournaled',
      'DocumentJournaled',
      'InsecureSendingHandled',
      'NoteRecorded',
    ]);
  });

  describe('JournalContact', () => {
    it('journals a contact with a trimmed subject, journaled now', () => {
      spec.given([]).when(contact).then([contactJournaled]);
    });

    it('may reference a note stored with the entry (never its content)', () => {
      spec
        .given([])
        .when({ ...contact, noteId: 'n-0' })
        .then([{ ...contactJournaled, data: { ...contactJournaled.data, noteId: 'n-0' } }]);
    });

    it('refuses a reused entry id, for contacts and documents alike', () => {
      refuses([contactJournaled], contact, JOURNAL_ERRORS.entryIdReused);
      refuses([documentJournaled], { ...contact, entryId: 'd-1' }, JOURNAL_ERRORS.entryIdReused);
      refuses([contactJournaled], { ...document, entryId: 'j-1' }, JOURNAL_ERRORS.entryIdReused);
    });

    it('refuses a contact in the future or at an invalid time', () => {
      refuses([], { ...contact, occurredAt: later }, JOURNAL_ERRORS.inTheFuture);
      refuses([], { ...contact, occurredAt: new Date('x') }, JOURNAL_ERRORS.invalidTime);
      refuses([], { ...contact, now: new Date('x') }, JOURNAL_ERRORS.invalidTime);
    });

    it('takes a subject of one line up to the maximum length', () => {
      const longest = 'x'.repeat(JOURNAL_SUBJECT_MAX_LENGTH);
      spec
        .given([])
        .when({ ...contact, subject: ` ${longest} ` })
        .then([{ ...contactJournaled, data: { ...contactJournaled.data, subject: longest } }]);
      refuses([], { ...contact, subject: `${longest}x` }, JOURNAL_ERRORS.invalidSubject);
      refuses([], { ...contact, subject: '   ' }, JOURNAL_ERRORS.invalidSubject);
      refuses([], { ...contact, subject: 'Status\nmore' }, JOURNAL_ERRORS.invalidSubject);
    });

    it('refuses a subject that looks like it holds a CPR number or an e-mail address', () => {
      for (const subject of ['Re 010203-1234', 'Re 0102031234', 'Mail from a.b@example.dk']) {
        refuses([], { ...contact, subject }, JOURNAL_ERRORS.subjectMayContainPersonalData);
      }
      spec
        .given([])
        .when({ ...contact, subject: 'Ref. 2026-0042, phone 12345678' })
        .then([
          {
            ...contactJournaled,
            data: { ...contactJournaled.data, subject: 'Ref. 2026-0042, phone 12345678' },
          },
        ]);
    });

    it('refuses unknown channels and directions and missing ids', () => {
      refuses(
        [],
        { ...contact, channel: 'fax' as JournalContact['channel'] },
        JOURNAL_ERRORS.unknownChannel,
      );
      refuses(
        [],
        { ...contact, direction: 'sideways' as ContactDirection },
        JOURNAL_ERRORS.unknownDirection,
      );
      refuses([], { ...contact, entryId: '' }, JOURNAL_ERRORS.missingId);
      refuses([], { ...contact, caseId: ' ' }, JOURNAL_ERRORS.missingId);
      refuses([], { ...contact, noteId: '' }, JOURNAL_ERRORS.missingId);
    });
  });

  describe('RecordNote', () => {
    it('adds a note to a contact, later', () => {
      spec.given([contactJournaled]).when(note).then([noteRecorded]);
    });

    it('may be dated at the contact itself, not before it', () => {
      spec
        .given([contactJournaled])
        .when({ ...note, notedAt: occurredAt })
        .then([
          { ...noteRecorded, data: { ...noteRecorded.data, notedAt: occurredAt.toISOString() } },
        ]);
      refuses(
        [contactJournaled],
        { ...note, notedAt: new Date(occurredAt.getTime() - 1) },
        JOURNAL_ERRORS.beforeContact,
      );
      refuses([contactJournaled], { ...note, notedAt: later }, JOURNAL_ERRORS.inTheFuture);
    });

    it('refuses a note on an unknown entry or on a document', () => {
      refuses([], note, JOURNAL_ERRORS.entryNotFound);
      refuses([contactJournaled], { ...note, entryId: 'j-9' }, JOURNAL_ERRORS.entryNotFound);
      refuses([documentJournaled], { ...note, entryId: 'd-1' }, JOURNAL_ERRORS.notAContact);
    });

    it('refuses a second note, also when the first came with the entry', () => {
      refuses([contactJournaled, noteRecorded], note, JOURNAL_ERRORS.noteAlreadyRecorded);
      const withNote: JournalEvent = {
        ...contactJournaled,
        data: { ...contactJournaled.data, noteId: 'n-0' },
      };
      refuses([withNote], note, JOURNAL_ERRORS.noteAlreadyRecorded);
    });

    it('needs a note id', () => {
      refuses([contactJournaled], { ...note, noteId: '' }, JOURNAL_ERRORS.missingId);
    });
  });

  describe('JournalDocument', () => {
    it('journals a document with its own date', () => {
      spec.given([]).when(document).then([documentJournaled]);
    });

    it("the document date may be today's Danish date, not later", () => {
      // 00:30 on 1 April in Copenhagen (CEST) is still 31 March in UTC.
      const justAfterMidnight = new Date('2026-03-31T22:30:00.000Z');
      spec
        .given([])
        .when({ ...document, documentDate: '2026-04-01', now: justAfterMidnight })
        .then([
          {
            ...documentJournaled,
            data: {
              ...documentJournaled.data,
              documentDate: '2026-04-01',
              journaledAt: justAfterMidnight.toISOString(),
            },
          },
        ]);
      refuses(
        [],
        { ...document, documentDate: '2026-04-02', now: justAfterMidnight },
        JOURNAL_ERRORS.invalidDocumentDate,
      );
    });

    it('refuses a malformed date, an unknown kind or a bad subject', () => {
      refuses([], { ...document, documentDate: '2026-02-29' }, JOURNAL_ERRORS.invalidDocumentDate);
      refuses(
        [],
        { ...document, kind: 'memo' as JournalDocumentKind },
        JOURNAL_ERRORS.unknownDocumentKind,
      );
      refuses([], { ...document, subject: '' }, JOURNAL_ERRORS.invalidSubject);
    });
  });

  describe('HandleInsecureSending', () => {
    it('records the handling of personal data sent by ordinary e-mail', () => {
      spec.given([mailed]).when(handle).then([handled]);
      const internal: JournalEvent = {
        ...mailed,
        data: { ...mailed.data, direction: 'internal' },
      };
      spec
        .given([internal])
        .when({ ...handle, action: 'assessed-no-breach' })
        .then([{ ...handled, data: { ...handled.data, action: 'assessed-no-breach' } }]);
    });

    it('only for an insecure sending', () => {
      const variants: JournalEvent['data'][] = [
        { ...mailed.data, channel: 'secure-e-mail' },
        { ...mailed.data, direction: 'from-citizen' },
        { ...mailed.data, containsPersonalData: false },
      ];
      for (const data of variants) {
        refuses(
          [{ type: 'ContactJournaled', data } as JournalEvent],
          handle,
          JOURNAL_ERRORS.notAnInsecureSending,
        );
      }
      refuses([documentJournaled], { ...handle, entryId: 'd-1' }, JOURNAL_ERRORS.notAContact);
      refuses([], handle, JOURNAL_ERRORS.entryNotFound);
    });

    it('once, not before the sending, not in the future, with a known action', () => {
      refuses([mailed, handled], handle, JOURNAL_ERRORS.alreadyHandled);
      refuses(
        [mailed],
        { ...handle, handledAt: new Date(occurredAt.getTime() - 1) },
        JOURNAL_ERRORS.beforeContact,
      );
      refuses([mailed], { ...handle, handledAt: later }, JOURNAL_ERRORS.inTheFuture);
      refuses(
        [mailed],
        { ...handle, action: 'ignored' as InsecureSendingAction },
        JOURNAL_ERRORS.unknownAction,
      );
    });
  });

  it('evolve keeps each entry with what later decisions need', () => {
    const state = fold(journalDecider, [contactJournaled, mailed, documentJournaled, noteRecorded]);
    expect(state.entries.get('j-1')).toEqual({
      kind: 'contact',
      occurredAt: occurredAt.toISOString(),
      insecure: false,
      noteId: 'n-1',
      insecureHandledAt: null,
    });
    expect(state.entries.get('j-2')).toMatchObject({ insecure: true, noteId: null });
    expect(state.entries.get('d-1')).toEqual({ kind: 'document' });
  });

  it('every error code is exercised', () => {
    expect([...testedCodes].sort()).toEqual(Object.values(JOURNAL_ERRORS).sort());
  });
});

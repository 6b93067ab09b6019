import fc from 'fast-check';
import { CONTACT_CHANNELS, type ContactChannel } from '../cases/case.events';
import { addCalendarDays } from '../shared/calendar-dates';
import { startOfCopenhagenDay } from '../shared/copenhagen-time';
import { CUSTOMARY_CLOSED_DAYS, isWorkingDay } from '../shared/danish-holidays';
import {
  DEFAULT_JOURNAL_RULES,
  JOURNAL_RULE_TEXTS,
  foldJournalFacts,
  journalFlags,
  journalHasOpenDuty,
  journalNoteDueDate,
  type JournalFacts,
  type JournalRules,
} from './journal-flags';
import {
  CONTACT_DIRECTIONS,
  type ContactDirection,
  type IdentifiedJournalEvent,
} from './journal.events';

const caseId = 'case-1';

/** An instant at 10:00 Copenhagen time on a Danish date. */
const at = (date: string): string =>
  new Date(startOfCopenhagenDay(date).getTime() + 10 * 3_600_000).toISOString();

function contact(
  id: string,
  occurredAt: string,
  overrides: {
    channel?: ContactChannel;
    direction?: ContactDirection;
    containsPersonalData?: boolean;
    noteId?: string | null;
  } = {},
): IdentifiedJournalEvent {
  return {
    id: `e-${id}`,
    type: 'ContactJournaled',
    data: {
      caseId,
      entryId: id,
      occurredAt,
      journaledAt: occurredAt,
      channel: overrides.channel ?? 'phone',
      direction: overrides.direction ?? 'from-citizen',
      subject: 'Status call',
      containsPersonalData: overrides.containsPersonalData ?? false,
      noteId: overrides.noteId ?? null,
    },
  };
}
const noted = (entryId: string, notedAt: string): IdentifiedJournalEvent => ({
  id: `e-note-${entryId}`,
  type: 'NoteRecorded',
  data: { caseId, entryId, noteId: `n-${entryId}`, notedAt },
});
const handled = (entryId: string, handledAt: string): IdentifiedJournalEvent => ({
  id: `e-handled-${entryId}`,
  type: 'InsecureSendingHandled',
  data: { caseId, entryId, handledAt, action: 'reported-as-breach' },
});
const document: IdentifiedJournalEvent = {
  id: 'e-doc',
  type: 'DocumentJournaled',
  data: {
    caseId,
    entryId: 'd-1',
    documentDate: '2026-03-20',
    kind: 'decision',
    subject: 'Decision on support',
    journaledAt: at('2026-03-20'),
  },
};

const facts = (events: readonly IdentifiedJournalEvent[]): JournalFacts =>
  foldJournalFacts(caseId, events);

const codes = (f: JournalFacts, today: string, rules?: JournalRules) =>
  journalFlags(f, today, rules).map((flag) => `${flag.code}:${flag.entryId}`);

describe('journalFlags: NOTE_MISSING', () => {
  it('a phone call on Wednesday 1 April 2026 must be noted by Thursday 9 April (Easter)', () => {
    const f = facts([contact('j-1', at('2026-04-01'))]);
    expect(journalNoteDueDate(at('2026-04-01'))).toBe('2026-04-09');
    expect(journalFlags(f, '2026-04-09')).toEqual([]);
    expect(journalFlags(f, '2026-04-10')).toEqual([
      {
        code: 'NOTE_MISSING',
        caseId,
        entryId: 'j-1',
        dueDate: '2026-04-09',
        rule: JOURNAL_RULE_TEXTS.NOTE_MISSING,
        severity: 'overdue',
        eventIds: ['e-j-1'],
      },
    ]);
  });

  it('an SMS is note-required too; e-mail, letters and meetings are not by default', () => {
    const f = facts([
      contact('sms', at('2026-03-02'), { channel: 'sms' }),
      contact('mail', at('2026-03-02'), { channel: 'e-mail' }),
      contact('letter', at('2026-03-02'), { channel: 'letter' }),
      contact('meeting', at('2026-03-02'), { channel: 'meeting' }),
    ]);
    expect(codes(f, '2026-06-01')).toEqual(['NOTE_MISSING:sms']);
  });

  it('the note-required channels are configurable', () => {
    const f = facts([
      contact('phone', at('2026-03-02')),
      contact('meeting', at('2026-03-02'), { channel: 'meeting' }),
    ]);
    const rules = { ...DEFAULT_JOURNAL_RULES, noteRequiredChannels: ['meeting' as const] };
    expect(codes(f, '2026-06-01', rules)).toEqual(['NOTE_MISSING:meeting']);
  });

  it('a note with the entry or a later note clears it (the later one even after the due date)', () => {
    const f = facts([
      contact('with', at('2026-03-02'), { noteId: 'n-0' }),
      contact('later', at('2026-03-02')),
      noted('later', at('2026-04-01')),
    ]);
    expect(journalFlags(f, '2026-06-01')).toEqual([]);
  });

  it('the day of the contact is its Danish date: Copenhagen midnight decides', () => {
    const oneDay = { ...DEFAULT_JOURNAL_RULES, noteWithinWorkingDays: 1 };
    // 23:59 on Thursday 26 March (CET) → note by Friday; 00:00 on Friday → note by Monday.
    expect(journalNoteDueDate('2026-03-26T22:59:00.000Z', oneDay)).toBe('2026-03-27');
    expect(journalNoteDueDate('2026-03-26T23:00:00.000Z', oneDay)).toBe('2026-03-30');
    // Summer time (CEST): 22:30 UTC on Thursday 9 April is 00:30 on Friday 10 April.
    expect(journalNoteDueDate('2026-04-09T22:30:00.000Z', oneDay)).toBe('2026-04-13');
  });

  it('over Christmas, with or without the customary closing days', () => {
    // Tuesday 23 December 2025: 24, 29, 30 December by law only.
    expect(journalNoteDueDate(at('2025-12-23'))).toBe('2025-12-30');
    expect(
      journalNoteDueDate(at('2025-12-23'), {
        ...DEFAULT_JOURNAL_RULES,
        calendar: { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS },
      }),
    ).toBe('2026-01-02');
  });

  it('Kristi himmelfartsdag and Pinse are not working days', () => {
    // Wednesday 13 May 2026: 14 May is Ascension Day → 15, 18, 19.
    expect(journalNoteDueDate(at('2026-05-13'))).toBe('2026-05-19');
    // Friday 22 May 2026: 25 May is Whit Monday → 26, 27, 28.
    expect(journalNoteDueDate(at('2026-05-22'))).toBe('2026-05-28');
  });

  it('property: the due date is a working day after the contact; flagged exactly after it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 3 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 30 }),
        (offset, days, todayOffset) => {
          const day = addCalendarDays('2025-01-01', offset);
          const rules = { ...DEFAULT_JOURNAL_RULES, noteWithinWorkingDays: days };
          const due = journalNoteDueDate(at(day), rules);
          expect(due > day).toBe(true);
          expect(isWorkingDay(due)).toBe(true);
          const today = addCalendarDays(day, todayOffset);
          const flags = journalFlags(facts([contact('j', at(day))]), today, rules);
          expect(flags.length === 1).toBe(today > due);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('journalFlags: INSECURE_CHANNEL', () => {
  const sent = at('2026-04-02');

  it('personal data by ordinary e-mail to the citizen is flagged from that day until handled', () => {
    const mail = contact('m', sent, {
      channel: 'e-mail',
      direction: 'to-citizen',
      containsPersonalData: true,
    });
    expect(journalFlags(facts([mail]), '2026-04-02')).toEqual([
      {
        code: 'INSECURE_CHANNEL',
        caseId,
        entryId: 'm',
        dueDate: '2026-04-02',
        rule: JOURNAL_RULE_TEXTS.INSECURE_CHANNEL,
        severity: 'overdue',
        eventIds: ['e-m'],
      },
    ]);
    expect(journalFlags(facts([mail, handled('m', at('2026-04-07'))]), '2026-04-08')).toEqual([]);
  });

  it('internal e-mail counts; from the citizen, secure e-mail or without personal data not', () => {
    const f = facts([
      contact('internal', sent, {
        channel: 'e-mail',
        direction: 'internal',
        containsPersonalData: true,
      }),
      contact('from', sent, {
        channel: 'e-mail',
        direction: 'from-citizen',
        containsPersonalData: true,
      }),
      contact('secure', sent, {
        channel: 'secure-e-mail',
        direction: 'to-citizen',
        containsPersonalData: true,
      }),
      contact('plain', sent, {
        channel: 'e-mail',
        direction: 'to-citizen',
        containsPersonalData: false,
      }),
    ]);
    expect(codes(f, '2026-04-10')).toEqual(['INSECURE_CHANNEL:internal']);
  });

  it('the due date is the Danish date of the sending (23:30 UTC is the next day in Copenhagen)', () => {
    const mail = contact('m', '2026-04-01T22:30:00.000Z', {
      channel: 'e-mail',
      direction: 'to-citizen',
      containsPersonalData: true,
    });
    expect(journalFlags(facts([mail]), '2026-04-10')[0]?.dueDate).toBe('2026-04-02');
  });
});

describe('journalFlags: together', () => {
  it('one flag per offending entry and code, by due date, code and entry id', () => {
    const f = facts([
      contact('b', at('2026-03-02')),
      contact('a', at('2026-03-02')),
      contact('c', at('2026-03-09'), {
        channel: 'e-mail',
        direction: 'to-citizen',
        containsPersonalData: true,
      }),
      contact('d', at('2026-03-02'), { channel: 'sms', direction: 'to-citizen' }),
      document,
    ]);
    expect(
      journalFlags(f, '2026-04-01').map((flag) => [flag.code, flag.entryId, flag.dueDate]),
    ).toEqual([
      ['NOTE_MISSING', 'a', '2026-03-05'],
      ['NOTE_MISSING', 'b', '2026-03-05'],
      ['NOTE_MISSING', 'd', '2026-03-05'],
      ['INSECURE_CHANNEL', 'c', '2026-03-09'],
    ]);
  });

  it('property: a journal has a duty open exactly when it raises a flag far enough ahead', () => {
    const contactArbitrary = fc.record({
      channel: fc.constantFrom(...CONTACT_CHANNELS),
      direction: fc.constantFrom(...CONTACT_DIRECTIONS),
      containsPersonalData: fc.boolean(),
      notedWithEntry: fc.boolean(),
      notedLater: fc.boolean(),
      handled: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(contactArbitrary, { maxLength: 6 }),
        fc.subarray([...CONTACT_CHANNELS]),
        (contacts, noteRequiredChannels) => {
          const events = contacts.flatMap((c, i): IdentifiedJournalEvent[] => {
            const id = `c${i}`;
            const when = at('2026-03-02');
            return [
              contact(id, when, { ...c, noteId: c.notedWithEntry ? `n-${id}` : null }),
              ...(c.notedLater ? [noted(id, when)] : []),
              ...(c.handled ? [handled(id, when)] : []),
            ];
          });
          const rules = { ...DEFAULT_JOURNAL_RULES, noteRequiredChannels };
          const f = facts(events);
          expect(journalHasOpenDuty(f, rules)).toBe(
            journalFlags(f, '9000-01-01', rules).length > 0,
          );
        },
      ),
    );
  });

  it('refuses malformed rules and dates', () => {
    const f = facts([contact('j', at('2026-03-02'))]);
    expect(() => journalFlags(f, '2026-4-1')).toThrow(RangeError);
    expect(() =>
      journalFlags(f, '2026-04-01', { ...DEFAULT_JOURNAL_RULES, noteWithinWorkingDays: -1 }),
    ).toThrow(RangeError);
    expect(() =>
      journalFlags(f, '2026-04-01', {
        ...DEFAULT_JOURNAL_RULES,
        noteRequiredChannels: ['telegram' as ContactChannel],
      }),
    ).toThrow(RangeError);
  });
});

describe('foldJournalFacts', () => {
  it('keeps contacts in order with the events behind note and handling; skips documents', () => {
    const f = facts([
      contact('j-1', '2026-03-02T09:00:00.000Z', { noteId: 'n-0' }),
      document,
      contact('j-2', '2026-03-03T09:00:00.000Z', {
        channel: 'e-mail',
        direction: 'to-citizen',
        containsPersonalData: true,
      }),
      noted('j-2', '2026-03-04T09:00:00.000Z'),
      handled('j-2', '2026-03-05T09:00:00.000Z'),
      noted('unknown', '2026-03-05T09:00:00.000Z'),
    ]);
    expect(f).toEqual({
      caseId,
      contacts: [
        {
          entryId: 'j-1',
          contact: { eventId: 'e-j-1', at: '2026-03-02T09:00:00.000Z' },
          channel: 'phone',
          direction: 'from-citizen',
          containsPersonalData: false,
          note: { eventId: 'e-j-1', at: '2026-03-02T09:00:00.000Z', noteId: 'n-0' },
          insecureHandled: null,
        },
        {
          entryId: 'j-2',
          contact: { eventId: 'e-j-2', at: '2026-03-03T09:00:00.000Z' },
          channel: 'e-mail',
          direction: 'to-citizen',
          containsPersonalData: true,
          note: { eventId: 'e-note-j-2', at: '2026-03-04T09:00:00.000Z', noteId: 'n-j-2' },
          insecureHandled: {
            eventId: 'e-handled-j-2',
            at: '2026-03-05T09:00:00.000Z',
            action: 'reported-as-breach',
          },
        },
      ],
    });
  });
});

import fc from 'fast-check';
import type { ContactChannel } from '../cases/case.events';
import { addCalendarDays } from '../shared/calendar-dates';
import { endOfCopenhagenDay, startOfCopenhagenDay } from '../shared/copenhagen-time';
import { CUSTOMARY_CLOSED_DAYS } from '../shared/danish-holidays';
import {
  DEFAULT_FILE_ACCESS_RULES,
  FILE_ACCESS_RULE_TEXTS,
  delayLetterCountsOn,
  fileAccessAnswerDue,
  fileAccessAnsweredInTime,
  fileAccessDeadline,
  fileAccessFlags,
  foldFileAccessFacts,
  type FileAccessFacts,
  type FileAccessRules,
} from './file-access-flags';
import type { IdentifiedFileAccessEvent } from './file-access.events';

const requestId = 'fa-1';

/** An instant at 10:00 Copenhagen time on a Danish date. */
const at = (date: string): string =>
  new Date(startOfCopenhagenDay(date).getTime() + 10 * 3_600_000).toISOString();

const requested = (receivedAt: string): IdentifiedFileAccessEvent => ({
  id: 'e-1-req',
  type: 'FileAccessRequested',
  data: {
    requestId,
    personId: 'p-1',
    departmentId: 'dept-chp',
    caseId: null,
    channel: 'letter',
    receivedAt,
  },
});
const letter = (
  id: string,
  sentAt: string,
  expectedBy: string,
  channel: ContactChannel = 'digital-post',
): IdentifiedFileAccessEvent => ({
  id,
  type: 'FileAccessDelayLetterSent',
  data: { requestId, channel, sentAt, reason: 'extensive-material', expectedBy },
});
const answered = (answeredAt: string): IdentifiedFileAccessEvent => ({
  id: 'e-9-ans',
  type: 'FileAccessAnswered',
  data: { requestId, outcome: 'granted', channel: 'digital-post', answeredAt },
});

function facts(events: readonly IdentifiedFileAccessEvent[]): FileAccessFacts {
  const folded = foldFileAccessFacts(requestId, events);
  if (folded === null) throw new Error('expected a received request');
  return folded;
}

const deadlineFor = (date: string, rules?: FileAccessRules) => fileAccessDeadline(at(date), rules);

describe('fileAccessDeadline: 7 working days, the day of receipt not counted', () => {
  it('an ordinary week: received Monday 9 March 2026 → Wednesday 18 March', () => {
    expect(deadlineFor('2026-03-09')).toBe('2026-03-18');
  });

  it('received on a Saturday (or Sunday) counts like Friday: Tuesday 17 March', () => {
    expect(deadlineFor('2026-03-06')).toBe('2026-03-17');
    expect(deadlineFor('2026-03-07')).toBe('2026-03-17');
    expect(deadlineFor('2026-03-08')).toBe('2026-03-17');
  });

  it('the Danish date decides: 00:30 Monday in Copenhagen is Sunday in UTC', () => {
    expect(fileAccessDeadline('2026-03-08T23:30:00.000Z')).toBe('2026-03-18');
    expect(fileAccessDeadline('2026-03-08T22:59:59.999Z')).toBe('2026-03-17');
  });

  it('the night summer time ends (25 October 2026): 23:30 on Sunday is still Sunday', () => {
    // After the switch Copenhagen is UTC+1: 22:30 UTC is 23:30 Sunday, 23:00 UTC is Monday.
    expect(fileAccessDeadline('2026-10-25T22:30:00.000Z')).toBe('2026-11-03');
    expect(fileAccessDeadline('2026-10-25T23:00:00.000Z')).toBe('2026-11-04');
  });

  it('Easter 2026 (Maundy Thursday 2, Good Friday 3, Easter Monday 6 April) is skipped', () => {
    expect(deadlineFor('2026-03-30')).toBe('2026-04-13');
    expect(deadlineFor('2026-04-01')).toBe('2026-04-15');
    // Received on a holiday (Good Friday): as if on Wednesday 1 April, the last working day.
    expect(deadlineFor('2026-04-03')).toBe('2026-04-15');
    expect(deadlineFor('2026-04-02')).toBe('2026-04-15');
    // Without holidays the first would be Wednesday 8 April.
    expect(deadlineFor('2026-03-30', { answerWithinWorkingDays: 7, calendar: noHolidays })).toBe(
      '2026-04-08',
    );
  });

  it('Christmas and New Year: received Friday 19 December 2025', () => {
    // By law only 25, 26 December and 1 January are holidays.
    expect(deadlineFor('2025-12-19')).toBe('2026-01-02');
    // A municipality closed on Christmas Eve and New Year's Eve as well.
    expect(
      deadlineFor('2025-12-19', {
        answerWithinWorkingDays: 7,
        calendar: { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS },
      }),
    ).toBe('2026-01-06');
  });

  it('Kristi himmelfartsdag (Thursday 14 May 2026) is skipped, the Friday after is not', () => {
    expect(deadlineFor('2026-05-11')).toBe('2026-05-21');
  });

  it('Pinse: Whit Monday 25 May 2026 is skipped', () => {
    expect(deadlineFor('2026-05-18')).toBe('2026-05-28');
    expect(deadlineFor('2026-05-22')).toBe('2026-06-03');
  });

  it('refuses malformed rules', () => {
    expect(() => deadlineFor('2026-03-09', { answerWithinWorkingDays: -1 })).toThrow(RangeError);
    expect(() =>
      deadlineFor('2026-03-09', { answerWithinWorkingDays: 7, postal: { deliveryDays: 0.5 } }),
    ).toThrow(RangeError);
  });
});

const noHolidays = { holidays: { holidaysIn: () => [] } };

describe('fileAccessFlags', () => {
  // Received Monday 30 March 2026: deadline Monday 13 April (after Easter).
  const received = requested(at('2026-03-30'));

  it('is overdue the day after the deadline, not on it', () => {
    const open = facts([received]);
    expect(fileAccessFlags(open, '2026-04-13')).toEqual([]);
    expect(fileAccessFlags(open, '2026-04-14')).toEqual([
      {
        code: 'FILE_ACCESS_OVERDUE',
        requestId,
        dueDate: '2026-04-13',
        rule: FILE_ACCESS_RULE_TEXTS.FILE_ACCESS_OVERDUE,
        severity: 'overdue',
        eventIds: ['e-1-req'],
      },
    ]);
  });

  it('an answered request has no flag, even when answered late', () => {
    expect(fileAccessFlags(facts([received, answered(at('2026-05-01'))]), '2026-06-01')).toEqual(
      [],
    );
  });

  it('a delay letter sent on the deadline day (up to 23:59:59 in Copenhagen) moves the due date', () => {
    const lastMoment = endOfCopenhagenDay('2026-04-13').toISOString();
    expect(lastMoment).toBe('2026-04-13T21:59:59.999Z');
    const delayed = facts([received, letter('e-2-let', lastMoment, '2026-04-30')]);
    expect(fileAccessFlags(delayed, '2026-04-14')).toEqual([]);
    expect(fileAccessFlags(delayed, '2026-04-30')).toEqual([]);
    expect(fileAccessFlags(delayed, '2026-05-01')).toEqual([
      expect.objectContaining({ dueDate: '2026-04-30', eventIds: ['e-1-req', 'e-2-let'] }),
    ]);
  });

  it('a letter sent at 00:00 the day after the deadline is too late and moves nothing', () => {
    const tooLate = startOfCopenhagenDay('2026-04-14').toISOString();
    const late = facts([received, letter('e-2-let', tooLate, '2026-04-30')]);
    expect(fileAccessFlags(late, '2026-04-14')).toEqual([
      expect.objectContaining({ dueDate: '2026-04-13', eventIds: ['e-1-req'] }),
    ]);
  });

  it('a second letter before the first promised date moves it again; a late one does not', () => {
    const first = letter('e-2-let', at('2026-04-10'), '2026-04-30');
    const second = facts([received, first, letter('e-3-let', at('2026-04-30'), '2026-05-20')]);
    expect(fileAccessAnswerDue(second)).toEqual({
      dueDate: '2026-05-20',
      eventIds: ['e-1-req', 'e-2-let', 'e-3-let'],
    });
    expect(fileAccessFlags(second, '2026-05-20')).toEqual([]);
    const tooLate = facts([received, first, letter('e-3-let', at('2026-05-01'), '2026-05-20')]);
    expect(fileAccessFlags(tooLate, '2026-05-01')).toEqual([
      expect.objectContaining({ dueDate: '2026-04-30', eventIds: ['e-1-req', 'e-2-let'] }),
    ]);
  });

  describe('citizens exempt from Digital Post: a delay letter by post (postal rules)', () => {
    const postal: FileAccessRules = { ...DEFAULT_FILE_ACCESS_RULES, postal: { deliveryDays: 5 } };

    it('counts from the day it is received: sent Wednesday 1 April arrives 13 April (Easter)', () => {
      const onTime = letter('e-2-let', at('2026-04-01'), '2026-04-30', 'letter');
      expect(delayLetterCountsOn({ at: at('2026-04-01'), channel: 'letter' }, postal)).toBe(
        '2026-04-13',
      );
      expect(fileAccessFlags(facts([received, onTime]), '2026-04-20', postal)).toEqual([]);
    });

    it('sent by post on 8 April it arrives 15 April, after the deadline: overdue', () => {
      const late = facts([received, letter('e-2-let', at('2026-04-08'), '2026-04-30', 'letter')]);
      expect(fileAccessFlags(late, '2026-04-14', postal)).toEqual([
        expect.objectContaining({ dueDate: '2026-04-13', eventIds: ['e-1-req'] }),
      ]);
      // Without postal rules the day it is sent counts.
      expect(fileAccessFlags(late, '2026-04-14')).toEqual([]);
    });

    it('by Digital Post the same day counts at once', () => {
      const digital = facts([received, letter('e-2-let', at('2026-04-08'), '2026-04-30')]);
      expect(fileAccessFlags(digital, '2026-04-14', postal)).toEqual([]);
    });
  });

  it('refuses a malformed today', () => {
    expect(() => fileAccessFlags(facts([received]), '2026-4-14')).toThrow(RangeError);
  });

  it('property: flagged exactly while unanswered and after the due date', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 3 }),
        fc.integer({ min: 0, max: 40 }),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 30 }))),
        fc.boolean(),
        (receivedOffset, todayOffset, delay, isAnswered) => {
          const receivedOn = addCalendarDays('2025-01-01', receivedOffset);
          const deadline = deadlineFor(receivedOn);
          const events = [requested(at(receivedOn))];
          if (delay !== null) {
            const [sentOffset, extra] = delay;
            const sentOn = addCalendarDays(receivedOn, sentOffset);
            events.push(letter('e-2-let', at(sentOn), addCalendarDays(deadline, extra)));
          }
          if (isAnswered) events.push(answered(at(receivedOn)));
          const f = facts(events);
          const today = addCalendarDays(receivedOn, todayOffset);
          const { dueDate } = fileAccessAnswerDue(f);
          expect(dueDate >= deadline).toBe(true);
          const flags = fileAccessFlags(f, today);
          expect(flags.length === 1).toBe(!isAnswered && today > dueDate);
          for (const flag of flags) expect(flag.dueDate).toBe(dueDate);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('fileAccessAnsweredInTime', () => {
  const received = requested(at('2026-03-30'));

  it('is null while unanswered', () => {
    expect(fileAccessAnsweredInTime(facts([received]))).toBeNull();
  });

  it('on the deadline day (Danish date) is in time; the day after is not', () => {
    const lastMoment = endOfCopenhagenDay('2026-04-13').toISOString();
    const firstLate = startOfCopenhagenDay('2026-04-14').toISOString();
    expect(fileAccessAnsweredInTime(facts([received, answered(lastMoment)]))).toBe(true);
    expect(fileAccessAnsweredInTime(facts([received, answered(firstLate)]))).toBe(false);
  });

  it('after a delay letter given in time, in time up to its promised date', () => {
    const delayed = [received, letter('e-2-let', at('2026-04-13'), '2026-04-30')];
    expect(fileAccessAnsweredInTime(facts([...delayed, answered(at('2026-04-30'))]))).toBe(true);
    expect(fileAccessAnsweredInTime(facts([...delayed, answered(at('2026-05-01'))]))).toBe(false);
  });
});

describe('foldFileAccessFacts', () => {
  it('is null for an empty stream and keeps letters in order with their event ids', () => {
    expect(foldFileAccessFacts(requestId, [])).toBeNull();
    const f = facts([
      requested('2026-03-30T08:00:00.000Z'),
      letter('e-2-let', '2026-04-10T08:00:00.000Z', '2026-04-30'),
      letter('e-3-let', '2026-04-29T08:00:00.000Z', '2026-05-20', 'letter'),
      answered('2026-05-19T08:00:00.000Z'),
    ]);
    expect(f).toEqual({
      requestId,
      personId: 'p-1',
      departmentId: 'dept-chp',
      caseId: null,
      channel: 'letter',
      received: { eventId: 'e-1-req', at: '2026-03-30T08:00:00.000Z' },
      delayLetters: [
        {
          eventId: 'e-2-let',
          at: '2026-04-10T08:00:00.000Z',
          channel: 'digital-post',
          reason: 'extensive-material',
          expectedBy: '2026-04-30',
        },
        {
          eventId: 'e-3-let',
          at: '2026-04-29T08:00:00.000Z',
          channel: 'letter',
          reason: 'extensive-material',
          expectedBy: '2026-05-20',
        },
      ],
      answered: {
        eventId: 'e-9-ans',
        at: '2026-05-19T08:00:00.000Z',
        outcome: 'granted',
        channel: 'digital-post',
      },
    });
  });
});

import fc from 'fast-check';
import { addCalendarDays } from './calendar-dates';
import {
  calendarDayDeadline,
  copenhagenDateOf,
  endOfCopenhagenDay,
  startOfCopenhagenDay,
  workingDayDeadline,
} from './copenhagen-time';
import { CUSTOMARY_CLOSED_DAYS, type WorkingDayOptions } from './danish-holidays';

const municipal: WorkingDayOptions = { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS };

/** Any real day 1971–2099 as 'YYYY-MM-DD'. */
const anyDate = fc
  .integer({ min: 365, max: 47_480 })
  .map((dayNumber) => addCalendarDays('1970-01-01', dayNumber));

describe('Danish local time', () => {
  it('gives the Danish calendar date of an instant', () => {
    expect(copenhagenDateOf(new Date('2026-01-08T22:59:59.999Z'))).toBe('2026-01-08');
    expect(copenhagenDateOf(new Date('2026-01-08T23:00:00.000Z'))).toBe('2026-01-09');
    expect(copenhagenDateOf(new Date('2026-07-01T21:59:59.999Z'))).toBe('2026-07-01');
    expect(copenhagenDateOf(new Date('2026-07-01T22:00:00.000Z'))).toBe('2026-07-02');
    expect(() => copenhagenDateOf(new Date('nonsense'))).toThrow(RangeError);
  });

  it('starts and ends winter and summer days at local midnight', () => {
    expect(startOfCopenhagenDay('2026-01-16').toISOString()).toBe('2026-01-15T23:00:00.000Z');
    expect(endOfCopenhagenDay('2026-01-16').toISOString()).toBe('2026-01-16T22:59:59.999Z');
    expect(startOfCopenhagenDay('2026-07-01').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(endOfCopenhagenDay('2026-07-01').toISOString()).toBe('2026-07-01T21:59:59.999Z');
  });

  it('handles the 23-hour spring day (29 March 2026)', () => {
    const start = startOfCopenhagenDay('2026-03-29');
    const end = endOfCopenhagenDay('2026-03-29');
    expect(start.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-29T21:59:59.999Z');
    expect(end.getTime() + 1 - start.getTime()).toBe(23 * 3_600_000);
    expect(copenhagenDateOf(new Date('2026-03-29T01:30:00Z'))).toBe('2026-03-29'); // 03:30 CEST
  });

  it('handles the 25-hour autumn day (25 October 2026)', () => {
    const start = startOfCopenhagenDay('2026-10-25');
    const end = endOfCopenhagenDay('2026-10-25');
    expect(start.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(end.toISOString()).toBe('2026-10-25T22:59:59.999Z');
    expect(end.getTime() + 1 - start.getTime()).toBe(25 * 3_600_000);
    // Both 02:30 wall-clock times of that night are on 25 October.
    expect(copenhagenDateOf(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-25');
    expect(copenhagenDateOf(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25');
  });

  it('days tile the timeline: each ends 1 ms before the next starts (property)', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const start = startOfCopenhagenDay(date);
        const end = endOfCopenhagenDay(date);
        expect(copenhagenDateOf(start)).toBe(date);
        expect(copenhagenDateOf(end)).toBe(date);
        expect(copenhagenDateOf(new Date(start.getTime() - 1))).toBe(addCalendarDays(date, -1));
        expect(end.getTime() + 1).toBe(startOfCopenhagenDay(addCalendarDays(date, 1)).getTime());
        const hours = (end.getTime() + 1 - start.getTime()) / 3_600_000;
        expect([23, 24, 25]).toContain(hours);
      }),
    );
  });
});

describe('workingDayDeadline', () => {
  it('ends at 23:59:59.999 Danish time on the Nth working day after the local date', () => {
    const friday = new Date('2026-01-09T12:00:00Z');
    expect(workingDayDeadline(friday, 5).toISOString()).toBe('2026-01-16T22:59:59.999Z');
    expect(workingDayDeadline(friday, 0).toISOString()).toBe('2026-01-09T22:59:59.999Z');
  });

  it('uses the Danish date, not the UTC date, of the event', () => {
    // 23:30 UTC on Thursday 8 Jan is 00:30 on Friday 9 Jan in Denmark.
    expect(workingDayDeadline(new Date('2026-01-08T23:30:00Z'), 5).toISOString()).toBe(
      '2026-01-16T22:59:59.999Z',
    );
    // 22:59 UTC is still Thursday in Denmark.
    expect(workingDayDeadline(new Date('2026-01-08T22:59:00Z'), 5).toISOString()).toBe(
      '2026-01-15T22:59:59.999Z',
    );
  });

  it('crosses the spring DST change and Easter 2026', () => {
    // Friday 27 March (CET) + 5: 30, 31 Mar, 1 Apr, (Easter 2–6 Apr), 7, 8 Apr (CEST).
    expect(workingDayDeadline(new Date('2026-03-27T09:00:00Z'), 5).toISOString()).toBe(
      '2026-04-08T21:59:59.999Z',
    );
    // An event at 03:30 CEST on the DST Sunday itself.
    expect(workingDayDeadline(new Date('2026-03-29T01:30:00Z'), 1).toISOString()).toBe(
      '2026-03-30T21:59:59.999Z',
    );
  });

  it('crosses the autumn DST change', () => {
    expect(workingDayDeadline(new Date('2026-10-23T10:00:00Z'), 1).toISOString()).toBe(
      '2026-10-26T22:59:59.999Z',
    );
  });

  it('applies the closing-day option', () => {
    const event = new Date('2026-12-23T10:00:00Z');
    expect(workingDayDeadline(event, 1).toISOString()).toBe('2026-12-24T22:59:59.999Z');
    expect(workingDayDeadline(event, 1, municipal).toISOString()).toBe('2026-12-28T22:59:59.999Z');
  });

  it('refuses a negative or fractional count', () => {
    expect(() => workingDayDeadline(new Date('2026-01-09T12:00:00Z'), -1)).toThrow(RangeError);
    expect(() => workingDayDeadline(new Date('2026-01-09T12:00:00Z'), 1.5)).toThrow(RangeError);
  });
});

describe('calendarDayDeadline', () => {
  it('counts every day and ends at local midnight', () => {
    // Postal delay: 8 days after Friday 27 March 2026 → Saturday 4 April, CEST.
    expect(calendarDayDeadline(new Date('2026-03-27T09:00:00Z'), 8).toISOString()).toBe(
      '2026-04-04T21:59:59.999Z',
    );
  });
});

describe('Danish dates of instants (the per-day offset cache agrees with Intl)', () => {
  const reference = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  it('for any instant from 1900 to 2100, including the seconds around DST changes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const instant = new Date(ms);
        expect(copenhagenDateOf(instant)).toBe(reference.format(instant));
      }),
      { numRuns: 2000 },
    );
    // Around the 2026 changes (29 March and 25 October, 01:00 UTC) and local midnights.
    for (const iso of [
      '2026-03-29T00:59:59.999Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T21:59:59.999Z',
      '2026-03-29T22:00:00.000Z',
      '2026-10-24T21:59:59.999Z',
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T00:59:59.999Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T22:59:59.999Z',
      '2026-10-25T23:00:00.000Z',
    ]) {
      expect(copenhagenDateOf(new Date(iso))).toBe(reference.format(new Date(iso)));
    }
  });
});

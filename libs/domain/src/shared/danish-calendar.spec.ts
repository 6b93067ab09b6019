import fc from 'fast-check';
import {
  CUSTOMARY_CLOSED_DAYS,
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  calendarDayDeadline,
  calendarDaysBetween,
  copenhagenDateOf,
  countWorkingDays,
  danishPublicHolidays,
  danishPublicHolidaysWithNames,
  easterSunday,
  endOfCopenhagenDay,
  isIsoDate,
  isWorkingDay,
  isoWeekday,
  startOfCopenhagenDay,
  workingDayDeadline,
  type HolidaySource,
  type WorkingDayOptions,
} from './danish-calendar';

const municipal: WorkingDayOptions = { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS };

/** Any real day 1971–2099 as 'YYYY-MM-DD'. */
const anyDate = fc
  .integer({ min: 365, max: 47_480 })
  .map((dayNumber) => addCalendarDays('1970-01-01', dayNumber));

describe('calendar arithmetic', () => {
  it('validates ISO dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2100-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-4-1')).toBe(false);
    expect(isIsoDate('2026-04-01T00:00:00Z')).toBe(false);
    expect(isIsoDate(20260401)).toBe(false);
  });

  it('adds calendar days across month, year and leap-day boundaries', () => {
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addCalendarDays('2026-03-28', 2)).toBe('2026-03-30'); // over the DST change
    expect(calendarDaysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(calendarDaysBetween('2026-03-29', '2026-03-28')).toBe(-1);
  });

  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addCalendarMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-08-15', 3)).toBe('2026-11-15');
    expect(addCalendarMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addCalendarMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addCalendarMonths('2026-01-15', -13)).toBe('2024-12-15');
  });

  it('knows the ISO weekday', () => {
    expect(isoWeekday('2026-01-05')).toBe(1); // Monday
    expect(isoWeekday('2026-01-09')).toBe(5); // Friday
    expect(isoWeekday('2026-01-11')).toBe(7); // Sunday
    expect(isoWeekday('1969-12-31')).toBe(3); // before day 0
  });

  it('refuses malformed dates and counts without echoing them', () => {
    expect(() => addCalendarDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addCalendarDays('2026-02-01', 1.5)).toThrow(RangeError);
    expect(() => addCalendarDays('1990-02-30', 1)).toThrow(/^(?!.*1990)/);
  });
});

describe('Danish public holidays', () => {
  it.each([
    [1943, '1943-04-25'],
    [1954, '1954-04-18'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('lists the holidays of 2026 in order', () => {
    expect(danishPublicHolidaysWithNames(2026)).toEqual([
      { date: '2026-01-01', key: 'new-years-day', name: 'Nytårsdag' },
      { date: '2026-04-02', key: 'maundy-thursday', name: 'Skærtorsdag' },
      { date: '2026-04-03', key: 'good-friday', name: 'Langfredag' },
      { date: '2026-04-05', key: 'easter-sunday', name: 'Påskedag' },
      { date: '2026-04-06', key: 'easter-monday', name: '2. påskedag' },
      { date: '2026-05-14', key: 'ascension-day', name: 'Kristi himmelfartsdag' },
      { date: '2026-05-24', key: 'whit-sunday', name: 'Pinsedag' },
      { date: '2026-05-25', key: 'whit-monday', name: '2. pinsedag' },
      { date: '2026-12-25', key: 'christmas-day', name: 'Juledag' },
      { date: '2026-12-26', key: 'boxing-day', name: '2. juledag' },
    ]);
  });

  it('includes Store Bededag up to 2023 and not from 2024', () => {
    expect(danishPublicHolidays(2023)).toEqual([
      '2023-01-01',
      '2023-04-06',
      '2023-04-07',
      '2023-04-09',
      '2023-04-10',
      '2023-05-05',
      '2023-05-18',
      '2023-05-28',
      '2023-05-29',
      '2023-12-25',
      '2023-12-26',
    ]);
    expect(danishPublicHolidays(2024)).not.toContain('2024-04-26');
    expect(danishPublicHolidays(2024)).toHaveLength(10);
  });

  it('does not count 5 June, 24 Dec or 31 Dec as holidays by law', () => {
    const holidays = danishPublicHolidays(2026);
    expect(holidays).not.toContain('2026-06-05');
    expect(holidays).not.toContain('2026-12-24');
    expect(holidays).not.toContain('2026-12-31');
  });

  it('refuses years outside 1900–9999', () => {
    expect(() => danishPublicHolidays(1899)).toThrow(RangeError);
    expect(() => danishPublicHolidays(2026.5)).toThrow(RangeError);
  });
});

describe('working days', () => {
  it('weekends are never working days', () => {
    expect(isWorkingDay('2026-01-09')).toBe(true); // Friday
    expect(isWorkingDay('2026-01-10')).toBe(false); // Saturday
    expect(isWorkingDay('2026-01-11')).toBe(false); // Sunday
  });

  it('counts whole working days after the day of the event: Friday + 5 = next Friday', () => {
    expect(addWorkingDays('2026-01-09', 5)).toBe('2026-01-16');
    expect(addWorkingDays('2026-01-10', 5)).toBe('2026-01-16'); // received on a Saturday
    expect(addWorkingDays('2026-01-11', 5)).toBe('2026-01-16'); // received on a Sunday
    expect(addWorkingDays('2026-01-12', 5)).toBe('2026-01-19'); // Monday → next Monday
    expect(addWorkingDays('2026-01-09', 1)).toBe('2026-01-12'); // Friday + 1 → Monday
  });

  it('with 0 working days returns the start day, even a non-working one', () => {
    expect(addWorkingDays('2026-01-10', 0)).toBe('2026-01-10');
  });

  it('skips Easter 2026: Maundy Thursday 2 Apr, Good Friday 3 Apr, Easter Monday 6 Apr', () => {
    expect(isWorkingDay('2026-04-02')).toBe(false);
    expect(isWorkingDay('2026-04-03')).toBe(false);
    expect(isWorkingDay('2026-04-06')).toBe(false);
    expect(isWorkingDay('2026-04-01')).toBe(true);
    expect(isWorkingDay('2026-04-07')).toBe(true);
    expect(addWorkingDays('2026-04-01', 1)).toBe('2026-04-07');
    // Access to the file: 7 working days from Monday 30 March.
    expect(addWorkingDays('2026-03-30', 7)).toBe('2026-04-13');
  });

  it('skips Ascension Day 14 May 2026 and Whit Monday 25 May 2026', () => {
    expect(isWorkingDay('2026-05-14')).toBe(false);
    expect(addWorkingDays('2026-05-13', 1)).toBe('2026-05-15');
    expect(isWorkingDay('2026-05-25')).toBe(false);
    expect(addWorkingDays('2026-05-22', 1)).toBe('2026-05-26');
  });

  it('Store Bededag: a holiday on 5 May 2023, an ordinary Friday on 26 April 2024', () => {
    expect(isWorkingDay('2023-05-05')).toBe(false);
    expect(addWorkingDays('2023-05-04', 1)).toBe('2023-05-08');
    expect(isWorkingDay('2024-04-26')).toBe(true);
    expect(addWorkingDays('2024-04-25', 1)).toBe('2024-04-26');
  });

  it('Christmas and New Year by law: 24 and 31 Dec are working days', () => {
    expect(isWorkingDay('2026-12-24')).toBe(true);
    expect(isWorkingDay('2026-12-25')).toBe(false);
    expect(isWorkingDay('2026-12-31')).toBe(true);
    expect(isWorkingDay('2027-01-01')).toBe(false);
    expect(addWorkingDays('2026-12-23', 1)).toBe('2026-12-24');
    expect(addWorkingDays('2026-12-23', 5)).toBe('2026-12-31');
    expect(addWorkingDays('2026-12-23', 6)).toBe('2027-01-04');
  });

  it('with the customary closing days, 24 Dec, 31 Dec and 5 June are not working days', () => {
    expect(isWorkingDay('2026-12-24', municipal)).toBe(false);
    expect(isWorkingDay('2026-12-31', municipal)).toBe(false);
    expect(isWorkingDay('2026-06-05', municipal)).toBe(false);
    expect(isWorkingDay('2026-06-05')).toBe(true);
    expect(addWorkingDays('2026-12-23', 1, municipal)).toBe('2026-12-28');
    expect(addWorkingDays('2026-12-23', 5, municipal)).toBe('2027-01-05');
    expect(addWorkingDays('2026-06-04', 1, municipal)).toBe('2026-06-08');
    expect(addWorkingDays('2026-06-04', 1)).toBe('2026-06-05');
  });

  it('takes a municipality’s own closing days', () => {
    const options: WorkingDayOptions = {
      alsoClosedEveryYear: ['12-24'],
      alsoClosedOn: ['2026-05-15'], // the Friday after Ascension
    };
    expect(isWorkingDay('2026-12-31', options)).toBe(true);
    expect(addWorkingDays('2026-05-13', 1, options)).toBe('2026-05-18');
    expect(() => isWorkingDay('2026-05-13', { alsoClosedEveryYear: ['24-12'] })).toThrow(
      RangeError,
    );
  });

  it('takes another holiday source (e.g. a library adapter)', () => {
    const source: HolidaySource = { holidaysIn: () => [] };
    expect(isWorkingDay('2026-04-02', { holidays: source })).toBe(true);
    expect(isWorkingDay('2026-04-04', { holidays: source })).toBe(false); // still a Saturday
  });

  it('counts backwards with a negative count', () => {
    expect(addWorkingDays('2026-04-13', -7)).toBe('2026-03-30');
    expect(addWorkingDays('2026-01-12', -1)).toBe('2026-01-09');
  });

  it('counts working days between two dates', () => {
    expect(countWorkingDays('2026-03-30', '2026-04-13')).toBe(7);
    expect(countWorkingDays('2026-01-09', '2026-01-09')).toBe(0);
    expect(countWorkingDays('2026-01-09', '2026-01-11')).toBe(0);
    expect(countWorkingDays('2026-12-23', '2027-01-05', municipal)).toBe(5);
    expect(() => countWorkingDays('2026-01-09', '2026-01-08')).toThrow(RangeError);
  });

  it('addWorkingDays and countWorkingDays agree (property)', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 0, max: 400 }), fc.boolean(), (start, n, closed) => {
        const options = closed ? municipal : {};
        const end = addWorkingDays(start, n, options);
        expect(countWorkingDays(start, end, options)).toBe(n);
        if (n > 0) expect(isWorkingDay(end, options)).toBe(true);
        if (isWorkingDay(start, options)) expect(addWorkingDays(end, -n, options)).toBe(start);
      }),
    );
  });
});

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

describe('Danish dates of instants (the per-hour offset cache agrees with Intl)', () => {
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

import Holidays from 'date-holidays';
import fc from 'fast-check';
import { addCalendarDays } from './calendar-dates';
import {
  CUSTOMARY_CLOSED_DAYS,
  addWorkingDays,
  countWorkingDays,
  danishPublicHolidays,
  danishPublicHolidaysWithNames,
  easterSunday,
  isWorkingDay,
  type HolidaySource,
  type WorkingDayOptions,
} from './danish-holidays';

const municipal: WorkingDayOptions = { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS };

/** Any real day 1971–2099 as 'YYYY-MM-DD'. */
const anyDate = fc
  .integer({ min: 365, max: 47_480 })
  .map((dayNumber) => addCalendarDays('1970-01-01', dayNumber));

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

describe('Danish public holidays against a reference', () => {
  it('are the public holidays date-holidays gives for Denmark, every year 1900–2300', () => {
    const reference = new Holidays('DK', { types: ['public'] });
    const differences: { year: number; ours: string[]; reference: string[] }[] = [];
    for (let year = 1900; year <= 2300; year += 1) {
      const theirs = reference
        .getHolidays(year)
        .map((holiday) => holiday.date.slice(0, 10))
        .sort();
      const ours = danishPublicHolidays(year);
      if (ours.join() !== theirs.join()) differences.push({ year, ours, reference: theirs });
    }
    expect(differences).toEqual([]);
  });
});

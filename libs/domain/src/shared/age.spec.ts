import fc from 'fast-check';
import { ageOn, birthdayInYear, type LeapDayBirthdayRule } from './age';
import { addCalendarDays, addCalendarMonths } from './calendar-dates';

describe('birthdayInYear', () => {
  it('is the same day and month, age years later', () => {
    expect(birthdayInYear('2008-06-15', 16)).toBe('2024-06-15');
    expect(birthdayInYear('2008-06-15', 18)).toBe('2026-06-15');
    expect(birthdayInYear('2008-06-15', 0)).toBe('2008-06-15');
  });

  it('born 29 February: 29 February in leap years, 1 March otherwise (default)', () => {
    expect(birthdayInYear('2008-02-29', 16)).toBe('2024-02-29');
    expect(birthdayInYear('2008-02-29', 18)).toBe('2026-03-01');
    expect(birthdayInYear('2008-02-29', 92)).toBe('2100-03-01'); // 2100 is not a leap year
    expect(birthdayInYear('1904-02-29', 96)).toBe('2000-02-29'); // 2000 is
  });

  it('born 29 February with the february-28 rule', () => {
    const options = { leapDayBirthday: 'february-28' } as const;
    expect(birthdayInYear('2008-02-29', 18, options)).toBe('2026-02-28');
    expect(birthdayInYear('2008-02-29', 16, options)).toBe('2024-02-29');
  });

  it('does not move 28 February or 1 March birthdays', () => {
    expect(birthdayInYear('2008-02-28', 16)).toBe('2024-02-28');
    expect(birthdayInYear('2008-03-01', 18)).toBe('2026-03-01');
  });

  it('refuses a negative or fractional age and a malformed date', () => {
    expect(() => birthdayInYear('2008-06-15', -1)).toThrow(RangeError);
    expect(() => birthdayInYear('2008-06-15', 1.5)).toThrow(RangeError);
    expect(() => birthdayInYear('2008-02-30', 1)).toThrow(RangeError);
  });
});

describe('ageOn', () => {
  it('counts completed years, a year older from the birthday itself', () => {
    expect(ageOn('2008-06-15', '2026-06-14')).toBe(17);
    expect(ageOn('2008-06-15', '2026-06-15')).toBe(18);
    expect(ageOn('2008-06-15', '2026-06-16')).toBe(18);
    expect(ageOn('2008-06-15', '2008-06-15')).toBe(0);
  });

  it('across the year end', () => {
    expect(ageOn('2008-12-31', '2026-12-30')).toBe(17);
    expect(ageOn('2008-12-31', '2026-12-31')).toBe(18);
    expect(ageOn('2008-12-31', '2027-01-01')).toBe(18);
    expect(ageOn('2009-01-01', '2026-12-31')).toBe(17);
    expect(ageOn('2009-01-01', '2027-01-01')).toBe(18);
  });

  it('born 29 February: turns 18 on 1 March in a common year', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2024-02-28')).toBe(15);
    expect(ageOn('2008-02-29', '2024-02-29')).toBe(16);
    expect(ageOn('2008-02-29', '2026-02-28', { leapDayBirthday: 'february-28' })).toBe(18);
  });

  it('refuses a date before the birth', () => {
    expect(() => ageOn('2008-06-15', '2008-06-14')).toThrow(RangeError);
    expect(() => ageOn('2008-06-15', '2008-06-14')).toThrow(/^(?!.*2008)/);
  });

  it('agrees with birthdayInYear (property)', () => {
    const birthDate = fc
      .integer({ min: -25_000, max: 20_000 })
      .map((dayNumber) => addCalendarDays('1970-01-01', dayNumber));
    const rule = fc.constantFrom<LeapDayBirthdayRule>('march-1', 'february-28');
    fc.assert(
      fc.property(
        birthDate,
        fc.integer({ min: 0, max: 110 }),
        rule,
        (born, age, leapDayBirthday) => {
          const birthday = birthdayInYear(born, age, { leapDayBirthday });
          expect(ageOn(born, birthday, { leapDayBirthday })).toBe(age);
          if (age > 0) {
            expect(ageOn(born, addCalendarDays(birthday, -1), { leapDayBirthday })).toBe(age - 1);
          }
        },
      ),
    );
  });
});

describe('age-based deadlines from domain.md', () => {
  it('youth plan within 3 months of the 16th birthday; support decision at 17½', () => {
    const born = '2010-08-31';
    expect(addCalendarMonths(birthdayInYear(born, 16), 3)).toBe('2026-11-30');
    expect(addCalendarMonths(birthdayInYear(born, 18), -6)).toBe('2028-02-29');
  });
});

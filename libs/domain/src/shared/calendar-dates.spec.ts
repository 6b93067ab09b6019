import {
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  isIsoDate,
  isoWeekday,
} from './calendar-dates';

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

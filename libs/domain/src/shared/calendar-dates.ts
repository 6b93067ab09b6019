/**
 * Calendar dates: 'YYYY-MM-DD' days of the proleptic Gregorian calendar, and their arithmetic.
 *
 * Pure: no clock reads and no imports. Dates without a time are `IsoDate` strings, meaning a day
 * on the calendar (not an instant). Functions throw a `RangeError` on a malformed date or count:
 * those are programming errors, not user input (the messages never repeat the input, because a
 * date may be a birth date).
 */

/** A day on the calendar, 'YYYY-MM-DD' (ISO 8601, no time, no zone). */
export type IsoDate = string;

/** A recurring day of the year, 'MM-DD', e.g. '12-24'. */
export type MonthDay = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when the year/month/day triple names a real day (years 1000–9999). */
export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1000 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** True for a well-formed 'YYYY-MM-DD' naming a real day. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Builds 'YYYY-MM-DD'; throws a RangeError if the triple is not a real day. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  if (!isRealDate(year, month, day)) throw new RangeError('Not a real calendar date');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Splits an IsoDate; throws a RangeError if it is malformed or not a real day. */
export function dateParts(date: IsoDate): DateParts {
  const match = ISO_DATE.exec(date);
  const parts =
    match === null
      ? null
      : { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (parts === null || !isRealDate(parts.year, parts.month, parts.day)) {
    throw new RangeError("Expected a real calendar date as 'YYYY-MM-DD'");
  }
  return parts;
}

/** `date` plus `days` calendar days (negative goes back). */
export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  assertInteger(days);
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * `date` plus `months` calendar months. When the target month is shorter, the result is its last
 * day (31 Jan + 1 month = 28/29 Feb), the usual reading of a deadline counted in months.
 */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  assertInteger(months);
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return isoDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Number of calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function isoWeekday(date: IsoDate): IsoWeekday {
  // Day 0 (1970-01-01) was a Thursday (ISO weekday 4).
  return (((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1) as IsoWeekday;
}

/** Throws a RangeError unless `value` is a whole number (of days, months or working days). */
export function assertInteger(value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError('Expected a whole number of days');
}

/** Days since 1970-01-01 (negative before); with `fromDayNumber`, the basis of day counting. */
export function toDayNumber(date: IsoDate): number {
  const { year, month, day } = dateParts(date);
  return Math.round(utcMs(year, month, day) / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Milliseconds of a UTC wall-clock time; unlike Date.UTC, years 0–99 are taken literally. */
export function utcMs(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

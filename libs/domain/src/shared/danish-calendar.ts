/**
 * Calendar dates, Danish public holidays, working days and deadlines in Danish local time.
 *
 * Pure: no clock reads (every instant comes in as an argument) and no imports. Local time is
 * resolved with the built-in `Intl.DateTimeFormat` and the IANA zone `Europe/Copenhagen`.
 *
 * Dates without a time are `IsoDate` strings, 'YYYY-MM-DD', meaning a day on the Danish
 * calendar (not an instant). Functions throw a `RangeError` on a malformed date or count:
 * those are programming errors, not user input (the messages never repeat the input, because a
 * date may be a birth date).
 */

/** A day on the calendar, 'YYYY-MM-DD' (ISO 8601, no time, no zone). */
export type IsoDate = string;

/** A recurring day of the year, 'MM-DD', e.g. '12-24'. */
export type MonthDay = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const DANISH_TIME_ZONE = 'Europe/Copenhagen';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Plain calendar arithmetic (proleptic Gregorian)
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Danish public holidays
// ---------------------------------------------------------------------------------------------

/** The last year Store Bededag was a public holiday (abolished from 2024, lov nr. 131/2023). */
export const LAST_YEAR_WITH_STORE_BEDEDAG = 2023;

export type DanishHolidayKey =
  | 'new-years-day'
  | 'maundy-thursday'
  | 'good-friday'
  | 'easter-sunday'
  | 'easter-monday'
  | 'great-prayer-day'
  | 'ascension-day'
  | 'whit-sunday'
  | 'whit-monday'
  | 'christmas-day'
  | 'boxing-day';

export interface DanishHoliday {
  readonly date: IsoDate;
  readonly key: DanishHolidayKey;
  /** The Danish name, e.g. 'Skærtorsdag'. */
  readonly name: string;
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian (Meeus/Jones/Butcher) algorithm. */
export function easterSunday(year: number): IsoDate {
  assertHolidayYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/**
 * The public holidays of Danish law ("helligdage") in `year`, in date order, with names.
 * Store Bededag (4th Friday after Easter) is included up to and including 2023 only.
 * Not included (not holidays by law): Constitution Day 5 June, Christmas Eve, New Year's Eve,
 * 1 May. Valid for years 1900–9999.
 */
export function danishPublicHolidaysWithNames(year: number): readonly DanishHoliday[] {
  const easter = easterSunday(year);
  const fromEaster = (offset: number, key: DanishHolidayKey, name: string): DanishHoliday => ({
    date: addCalendarDays(easter, offset),
    key,
    name,
  });
  const holidays: DanishHoliday[] = [
    { date: isoDate(year, 1, 1), key: 'new-years-day', name: 'Nytårsdag' },
    fromEaster(-3, 'maundy-thursday', 'Skærtorsdag'),
    fromEaster(-2, 'good-friday', 'Langfredag'),
    fromEaster(0, 'easter-sunday', 'Påskedag'),
    fromEaster(1, 'easter-monday', '2. påskedag'),
  ];
  if (year <= LAST_YEAR_WITH_STORE_BEDEDAG) {
    holidays.push(fromEaster(26, 'great-prayer-day', 'Store bededag'));
  }
  holidays.push(
    fromEaster(39, 'ascension-day', 'Kristi himmelfartsdag'),
    fromEaster(49, 'whit-sunday', 'Pinsedag'),
    fromEaster(50, 'whit-monday', '2. pinsedag'),
    { date: isoDate(year, 12, 25), key: 'christmas-day', name: 'Juledag' },
    { date: isoDate(year, 12, 26), key: 'boxing-day', name: '2. juledag' },
  );
  return holidays;
}

/** The dates of Danish public holidays by law in `year`, in order ('YYYY-MM-DD'). */
export function danishPublicHolidays(year: number): IsoDate[] {
  return danishPublicHolidaysWithNames(year).map((holiday) => holiday.date);
}

/**
 * Where holidays come from. The default is `danishLawHolidays` (computed here); an adapter over
 * a library (e.g. date-holidays' public DK holidays) can be passed instead.
 */
export interface HolidaySource {
  /** The public holidays in `year` as 'YYYY-MM-DD' (order irrelevant). */
  holidaysIn(year: number): readonly IsoDate[];
}

export const danishLawHolidays: HolidaySource = { holidaysIn: danishPublicHolidays };

/**
 * Days that are not public holidays by law but on which most municipal offices are closed:
 * Constitution Day (5 June), Christmas Eve (24 Dec) and New Year's Eve (31 Dec). Opt in per
 * municipality via `WorkingDayOptions.alsoClosedEveryYear`.
 */
export const CUSTOMARY_CLOSED_DAYS: readonly MonthDay[] = ['06-05', '12-24', '12-31'];

export interface WorkingDayOptions {
  /** Defaults to `danishLawHolidays`. */
  readonly holidays?: HolidaySource;
  /**
   * Recurring days ('MM-DD') that are also not working days, e.g. `CUSTOMARY_CLOSED_DAYS`.
   * Default: none (the law only). A municipality sets its own.
   */
  readonly alsoClosedEveryYear?: readonly MonthDay[];
  /** One-off closing days ('YYYY-MM-DD'), e.g. a municipal closing day. Default: none. */
  readonly alsoClosedOn?: readonly IsoDate[];
}

/**
 * A working day is Monday–Friday that is neither a public holiday nor a configured closing day.
 * Saturdays and Sundays are never working days.
 */
export function isWorkingDay(date: IsoDate, options: WorkingDayOptions = {}): boolean {
  return workingDayTest(options)(date);
}

/**
 * The `workingDays`-th working day strictly after `start` (for a negative count, strictly
 * before it). `start` itself is never counted and need not be a working day; with 0 the result
 * is `start` unchanged.
 *
 * This is how municipal practice counts a deadline of N working days: from the day after the
 * event. A request received on Friday with 5 working days: Mon, Tue, Wed, Thu, Fri → the
 * following Friday (absent holidays). Received on Saturday: Mon … Fri of the next week.
 */
export function addWorkingDays(
  start: IsoDate,
  workingDays: number,
  options: WorkingDayOptions = {},
): IsoDate {
  assertInteger(workingDays);
  const isOpen = workingDayTest(options);
  const step = workingDays < 0 ? -1 : 1;
  let remaining = Math.abs(workingDays);
  let day = toDayNumber(start);
  while (remaining > 0) {
    day += step;
    if (isOpen(fromDayNumber(day))) remaining -= 1;
  }
  return fromDayNumber(day);
}

/**
 * The number of working days after `from` up to and including `to` (`from` is not counted), so
 * that `addWorkingDays(from, n)` is the last working day on or before `to`. Throws when `to`
 * is before `from`. For figures such as processing time in working days.
 */
export function countWorkingDays(
  from: IsoDate,
  to: IsoDate,
  options: WorkingDayOptions = {},
): number {
  const first = toDayNumber(from);
  const last = toDayNumber(to);
  if (last < first) throw new RangeError('The end date is before the start date');
  const isOpen = workingDayTest(options);
  let count = 0;
  for (let day = first + 1; day <= last; day += 1) {
    if (isOpen(fromDayNumber(day))) count += 1;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------
// Danish local time (Europe/Copenhagen) and deadlines as instants
// ---------------------------------------------------------------------------------------------

/** The Danish calendar date of an instant. */
export function copenhagenDateOf(instant: Date): IsoDate {
  const local = copenhagenWallClock(assertValidInstant(instant));
  return isoDate(local.year, local.month, local.day);
}

/** The first instant (00:00:00.000 local time) of a Danish calendar day. */
export function startOfCopenhagenDay(date: IsoDate): Date {
  // Local midnight always exists in Europe/Copenhagen: DST changes happen at 02:00/03:00 local.
  const wallClockAsUtc = toDayNumber(date) * MS_PER_DAY;
  let instant = wallClockAsUtc - offsetAt(wallClockAsUtc);
  instant = wallClockAsUtc - offsetAt(instant);
  return new Date(instant);
}

/**
 * The last instant (23:59:59.999 local time) of a Danish calendar day: one millisecond before
 * the next local midnight, so a 23- or 25-hour DST day is handled.
 */
export function endOfCopenhagenDay(date: IsoDate): Date {
  return new Date(startOfCopenhagenDay(addCalendarDays(date, 1)).getTime() - 1);
}

/**
 * The deadline for something that must happen within `workingDays` working days of the instant
 * `from`: the end (last instant, 23:59:59.999 Danish time) of the `workingDays`-th working day
 * after the Danish calendar date of `from` (see `addWorkingDays`). The time of day of `from`
 * does not matter. With 0, the end of the day of `from` itself.
 */
export function workingDayDeadline(
  from: Date,
  workingDays: number,
  options: WorkingDayOptions = {},
): Date {
  assertInteger(workingDays);
  if (workingDays < 0) throw new RangeError('A deadline needs a non-negative number of days');
  return endOfCopenhagenDay(addWorkingDays(copenhagenDateOf(from), workingDays, options));
}

/**
 * The end (23:59:59.999 Danish time) of the Danish calendar day `days` calendar days after the
 * local date of `from`; weekends and holidays count.
 */
export function calendarDayDeadline(from: Date, days: number): Date {
  assertInteger(days);
  if (days < 0) throw new RangeError('A deadline needs a non-negative number of days');
  return endOfCopenhagenDay(addCalendarDays(copenhagenDateOf(from), days));
}

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function assertInteger(value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError('Expected a whole number of days');
}

function assertHolidayYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) {
    throw new RangeError('Holidays are computed for years 1900–9999');
  }
}

function assertValidInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Expected a valid Date');
  }
  return instant;
}

/** Days since 1970-01-01 (negative before). */
function toDayNumber(date: IsoDate): number {
  const { year, month, day } = dateParts(date);
  return Math.round(utcMs(year, month, day) / MS_PER_DAY);
}

function fromDayNumber(dayNumber: number): IsoDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Milliseconds of a UTC wall-clock time; unlike Date.UTC, years 0–99 are taken literally. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0) {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function workingDayTest(options: WorkingDayOptions): (date: IsoDate) => boolean {
  const source = options.holidays ?? danishLawHolidays;
  const recurring = new Set(
    (options.alsoClosedEveryYear ?? []).map((monthDay) => {
      const match = MONTH_DAY.exec(monthDay);
      if (match === null || !isRealDate(2000, Number(match[1]), Number(match[2]))) {
        throw new RangeError("Expected a recurring closed day as 'MM-DD'");
      }
      return monthDay;
    }),
  );
  const oneOff = new Set(
    (options.alsoClosedOn ?? []).map((date) => fromDayNumber(toDayNumber(date))),
  );
  const holidaysByYear = new Map<number, ReadonlySet<IsoDate>>();
  const holidaysOf = (year: number): ReadonlySet<IsoDate> => {
    let holidays = holidaysByYear.get(year);
    if (holidays === undefined) {
      holidays = new Set(source.holidaysIn(year));
      holidaysByYear.set(year, holidays);
    }
    return holidays;
  };
  return (date) => {
    const weekday = isoWeekday(date);
    if (weekday === 6 || weekday === 7) return false;
    if (recurring.has(date.slice(5)) || oneOff.has(date)) return false;
    return !holidaysOf(dateParts(date).year).has(date);
  };
}

let copenhagenFormat: Intl.DateTimeFormat | undefined;

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall clock by Intl itself: exact, and slow (formatToParts); see `offsetAt`. */
function intlWallClock(instant: Date): WallClock {
  copenhagenFormat ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: DANISH_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const parts = copenhagenFormat.formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    if (part === undefined) throw new Error(`Intl gave no ${type} for ${DANISH_TIME_ZONE}`);
    return Number(part.value);
  };
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour') % 24,
    minute: field('minute'),
    second: field('second'),
  };
}

function copenhagenWallClock(instant: Date): WallClock {
  const wholeSecond = Math.floor(instant.getTime() / 1000) * 1000;
  const local = new Date(wholeSecond + offsetAt(wholeSecond));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

function intlOffsetAt(wholeSecond: number): number {
  const local = intlWallClock(new Date(wholeSecond));
  return (
    utcMs(local.year, local.month, local.day, local.hour, local.minute, local.second) - wholeSecond
  );
}

const MS_PER_HOUR = 3_600_000;
/** Offset per UTC hour; null for an hour in which the offset changes (then Intl decides). */
const hourOffsets = new Map<number, number | null>();

/**
 * Danish local time minus UTC, in milliseconds, at the instant `ms`. Asking Intl is slow and
 * the answer changes only at a DST change (whole UTC hours since 1980), so it is asked once per
 * UTC hour: when the offset at the hour's first and last second agree, it holds for the hour.
 */
function offsetAt(ms: number): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const hour = Math.floor(wholeSecond / MS_PER_HOUR);
  let offset = hourOffsets.get(hour);
  if (offset === undefined) {
    const first = intlOffsetAt(hour * MS_PER_HOUR);
    const last = intlOffsetAt((hour + 1) * MS_PER_HOUR - 1000);
    offset = first === last ? first : null;
    if (hourOffsets.size >= 100_000) hourOffsets.clear(); // bounded: ~11 years of hours
    hourOffsets.set(hour, offset);
  }
  return offset ?? intlOffsetAt(wholeSecond);
}

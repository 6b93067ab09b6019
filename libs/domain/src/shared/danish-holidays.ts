/**
 * Danish public holidays by law, and working days and working-day counts over them.
 *
 * Pure: no clock reads; every date comes in as an argument.
 */
import {
  addCalendarDays,
  assertInteger,
  dateParts,
  fromDayNumber,
  isoDate,
  isoWeekday,
  isRealDate,
  toDayNumber,
  type IsoDate,
  type MonthDay,
} from './calendar-dates';

const MONTH_DAY = /^(\d{2})-(\d{2})$/;

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
/** The default: the law's holidays, no other closing days (one object, so its test is kept). */
const LAW_ONLY: WorkingDayOptions = {};

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
export function isWorkingDay(date: IsoDate, options: WorkingDayOptions = LAW_ONLY): boolean {
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
  options: WorkingDayOptions = LAW_ONLY,
): IsoDate {
  assertInteger(workingDays);
  let known = workingDaysAdded.get(options);
  if (known === undefined) {
    known = new Map();
    workingDaysAdded.set(options, known);
  }
  const key = `${start}+${workingDays}`;
  let result = known.get(key);
  if (result === undefined) {
    const isOpen = workingDayTest(options);
    const step = workingDays < 0 ? -1 : 1;
    let remaining = Math.abs(workingDays);
    let day = toDayNumber(start);
    while (remaining > 0) {
      day += step;
      if (isOpen(fromDayNumber(day))) remaining -= 1;
    }
    result = fromDayNumber(day);
    if (known.size >= MOST_SUMS_KEPT) known.clear();
    known.set(key, result);
  }
  return result;
}

/**
 * The deadlines already counted, per options object: a rebuild asks for the same few thousand
 * days' deadlines once per record, each a walk over the days between.
 */
const workingDaysAdded = new WeakMap<WorkingDayOptions, Map<string, IsoDate>>();
const MOST_SUMS_KEPT = 100_000;

/**
 * The number of working days after `from` up to and including `to` (`from` is not counted), so
 * that `addWorkingDays(from, n)` is the last working day on or before `to`. Throws when `to`
 * is before `from`. For figures such as processing time in working days.
 */
export function countWorkingDays(
  from: IsoDate,
  to: IsoDate,
  options: WorkingDayOptions = LAW_ONLY,
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

function assertHolidayYear(year: number): void {
  if (!Number.isInteger(year) || year < 1900 || year > 9999) {
    throw new RangeError('Holidays are computed for years 1900–9999');
  }
}

/**
 * One test per options object: a policy's calendar is made once and asked for every deadline,
 * and building the test computes each year's holidays afresh (a rebuild asks thousands of times).
 */
const workingDayTests = new WeakMap<WorkingDayOptions, (date: IsoDate) => boolean>();

function workingDayTest(options: WorkingDayOptions): (date: IsoDate) => boolean {
  let test = workingDayTests.get(options);
  if (test === undefined) {
    test = newWorkingDayTest(options);
    workingDayTests.set(options, test);
  }
  return test;
}

function newWorkingDayTest(options: WorkingDayOptions): (date: IsoDate) => boolean {
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

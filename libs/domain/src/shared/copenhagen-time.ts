/**
 * Danish local time (Europe/Copenhagen): the Danish date of an instant, the first and last
 * instants of a Danish day, and deadlines as instants.
 *
 * Pure: no clock reads (every instant comes in as an argument). Local time is resolved with the
 * built-in `Intl.DateTimeFormat` and the IANA zone `Europe/Copenhagen`.
 */
import {
  addCalendarDays,
  assertInteger,
  isoDate,
  MS_PER_DAY,
  toDayNumber,
  utcMs,
  type IsoDate,
} from './calendar-dates';
import { addWorkingDays, type WorkingDayOptions } from './danish-holidays';

export const DANISH_TIME_ZONE = 'Europe/Copenhagen';

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

function assertValidInstant(instant: Date): Date {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('Expected a valid Date');
  }
  return instant;
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

/** Offset per UTC day; null for a day in which the offset changes (then Intl decides). */
const dayOffsets = new Map<number, number | null>();

/**
 * Danish local time minus UTC, in milliseconds, at the instant `ms`. Asking Intl is slow and
 * the answer changes only at a DST change (twice a year, months apart), so it is asked once per
 * UTC day: when the offset at the day's first and last second agree, it holds for the day. (Per
 * hour, a log spread over years asked Intl for nearly every event's hour.)
 */
function offsetAt(ms: number): number {
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  const day = Math.floor(wholeSecond / MS_PER_DAY);
  let offset = dayOffsets.get(day);
  if (offset === undefined) {
    const first = intlOffsetAt(day * MS_PER_DAY);
    const last = intlOffsetAt((day + 1) * MS_PER_DAY - 1000);
    offset = first === last ? first : null;
    if (dayOffsets.size >= 100_000) dayOffsets.clear(); // bounded: ~270 years of days
    dayOffsets.set(day, offset);
  }
  return offset ?? intlOffsetAt(wholeSecond);
}

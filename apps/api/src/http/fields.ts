import { textMayContainCpr } from '@tovholder/domain/shared/free-text';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { Transform, type ClassTransformOptions } from 'class-transformer';

/**
 * The years a date in this domain can mean: births of the oldest persons on file to plans far
 * ahead. Outside them a date is a typo or a probe, and would overflow the calendar code (year
 * 9999 plus a time zone) or reach the database.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;

const LEAP_DAY =
  '(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26])|21(?:0[48]|[2468][048]|[13579][26]))-02-29';
const ORDINARY_DAY =
  '(?:19|2[01])\\d{2}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';

/** Patterns shared by the DTOs; a failed pattern says which field and what shape it wants. */

/** A real calendar day (no 30 February) in FIRST_YEAR..LAST_YEAR. */
export const ISO_DATE_PATTERN = new RegExp(`^(?:${ORDINARY_DAY}|${LEAP_DAY})$`);
export const ISO_MONTH_PATTERN = /^(?:19|2[01])\d{2}-(0[1-9]|1[0-2])$/;
export const isoDateMessage = (field: string): string =>
  `${field} must be a real date YYYY-MM-DD between ${FIRST_YEAR} and ${LAST_YEAR}`;
export const isoDateTimeMessage = (field: string): string =>
  `${field} must be an ISO 8601 date-time between ${FIRST_YEAR} and ${LAST_YEAR}`;
export const isoMonthMessage = (field: string): string =>
  `${field} must be a month YYYY-MM between ${FIRST_YEAR} and ${LAST_YEAR}`;

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * An ISO 8601 date-time (or a date, meaning its midnight UTC) that names a real moment in
 * FIRST_YEAR..LAST_YEAR, else an invalid Date for `@IsDate` to refuse. `new Date()` alone takes
 * 30 February as 2 March and year 9999 as a moment.
 */
export function parseIsoDateTime(value: unknown): Date {
  if (typeof value !== 'string') return value instanceof Date ? value : new Date(Number.NaN);
  const match = DATE_TIME.exec(value);
  const invalid = new Date(Number.NaN);
  if (!match) return invalid;
  const [, day, hours = '00', minutes = '00', seconds = '00', zone, zoneHours, zoneMinutes] = match;
  if (!ISO_DATE_PATTERN.test(day ?? '')) return invalid;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return invalid;
  if (zone !== undefined && zone !== 'Z' && (Number(zoneHours) > 14 || Number(zoneMinutes) > 59)) {
    return invalid;
  }
  return new Date(value);
}

/**
 * Transform options of a validation pipe built with `inputGuards: false` (bench/faults.bench.ts
 * only): dates taken as `new Date()` takes them, to measure what the real-date check costs.
 */
export const UNCHECKED_DATES: ClassTransformOptions & { readonly uncheckedDates: true } = {
  uncheckedDates: true,
};

const datesUnchecked = (options: unknown): boolean =>
  (options as { uncheckedDates?: boolean } | undefined)?.uncheckedDates === true;

/** Use instead of `@Type(() => Date)` before `@IsDate`: see parseIsoDateTime. */
export const ToIsoDateTime = (): PropertyDecorator =>
  Transform(({ value, options }: { value: unknown; options: unknown }) =>
    datesUnchecked(options) && typeof value === 'string'
      ? new Date(value)
      : parseIsoDateTime(value),
  );

/**
 * For a string that ends up in an event or a shared table: refuses what looks like a CPR number
 * (the append-only log cannot forget it). The message names the field, never the value.
 */
export const NoCprNumber = (field: string, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'noCprNumber',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !textMayContainCpr(value),
        defaultMessage: () => `${field} must not contain a CPR number`,
      },
    },
    options,
  );

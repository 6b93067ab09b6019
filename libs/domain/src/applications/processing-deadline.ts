import type { ContactChannel } from '../cases/case.events';
import { addCalendarDays, addCalendarMonths, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { lastDayToSend, receivedOn, type PostalDelay } from '../shared/letters';
import { DEADLINE_UNITS, type PublishedDeadline } from './application.events';

/**
 * The last day on which a decision is on time (Retssikkerhedsloven § 3 stk. 2: the deadline runs
 * from the application date to the decision date).
 *
 * Convention: the application date plus the published amount of calendar days, weeks (7 days)
 * or months; a decision dated on the result is on time. 8 weeks from Monday 2 March 2026 is
 * Monday 27 April 2026. Months keep the day of the month, or take the last day of a shorter
 * month (31 January + 1 month = 28 February, or 29 in a leap year). Weekends and holidays are
 * not skipped or moved over: the deadline binds the municipality, and moving it later would
 * only make the citizen wait longer.
 */
export function processingDeadline(
  applicationDate: IsoDate,
  publishedDeadline: PublishedDeadline,
): IsoDate {
  if (!isPublishedDeadline(publishedDeadline)) {
    throw new RangeError(
      'A published deadline is a positive whole amount of days, weeks or months',
    );
  }
  const { amount, unit } = publishedDeadline;
  switch (unit) {
    case 'days':
      return addCalendarDays(applicationDate, amount);
    case 'weeks':
      return addCalendarDays(applicationDate, amount * 7);
    case 'months':
      return addCalendarMonths(applicationDate, amount);
  }
}

export function isPublishedDeadline(value: PublishedDeadline): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Number.isSafeInteger(value.amount) &&
    value.amount > 0 &&
    (DEADLINE_UNITS as readonly string[]).includes(value.unit)
  );
}

/** The Danish day a message sent at `sentAt` counts as received (physical post takes days). */
export function noticeReceivedOn(
  sentAt: string,
  channel: ContactChannel,
  postal: PostalDelay,
): IsoDate {
  return receivedOn(copenhagenDateOf(new Date(sentAt)), channel, postal);
}

/**
 * The last day a delay notice can be sent so that it counts as received by `deadline`: the
 * deadline itself by digital channels, earlier by physical post for a citizen exempt from
 * Digital Post. Never later than a day whose letter arrives in time, also when the deadline
 * falls on a weekend or holiday (where counting delivery days back from the deadline alone
 * would be one delivery day short).
 */
export function lastDayToSendDelayNotice(
  deadline: IsoDate,
  exemptFromDigitalPost: boolean,
  postal: PostalDelay,
): IsoDate {
  let day = lastDayToSend(deadline, exemptFromDigitalPost, postal);
  if (!exemptFromDigitalPost) return day;
  while (receivedOn(day, 'letter', postal) > deadline) day = addCalendarDays(day, -1);
  return day;
}

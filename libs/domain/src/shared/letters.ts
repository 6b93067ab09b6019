import type { ContactChannel } from '../cases/case.events';
import { addCalendarDays, type IsoDate } from './calendar-dates';
import { addWorkingDays, type WorkingDayOptions } from './danish-holidays';

/**
 * A letter by physical post counts as received some delivery days after posting (Justice
 * Ministry guidance 9533/2018; the seeds say up to 8). Local policy: configurable.
 */
export interface PostalDelay {
  /** Delivery days (Monday–Friday, no public holidays) between posting and receipt. */
  readonly deliveryDays: number;
  readonly calendar?: WorkingDayOptions;
}

export const DEFAULT_POSTAL_DELAY: PostalDelay = { deliveryDays: 5 };

/** The day a message sent on `sentOn` by `channel` counts as received by the citizen. */
export function receivedOn(sentOn: IsoDate, channel: ContactChannel, postal: PostalDelay): IsoDate {
  return channel === 'letter'
    ? addWorkingDays(sentOn, postal.deliveryDays, postal.calendar)
    : sentOn;
}

/**
 * The last day a written notice can be sent so that it reaches the citizen by `deadline`:
 * citizens exempt from Digital Post get physical letters, so the notice must leave earlier.
 */
export function lastDayToSend(
  deadline: IsoDate,
  exemptFromDigitalPost: boolean,
  postal: PostalDelay,
): IsoDate {
  if (!exemptFromDigitalPost) return deadline;
  // Counting back from a weekend or holiday lands a day late: step back until it arrives in time.
  let day = addWorkingDays(deadline, -postal.deliveryDays, postal.calendar);
  while (receivedOn(day, 'letter', postal) > deadline) day = addCalendarDays(day, -1);
  return day;
}

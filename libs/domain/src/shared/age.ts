/**
 * Ages and birthdays on the calendar, for age-based rules (transition work from 16, youth plan
 * within 3 months of the 16th birthday, decision 6 months before 18, …). Pure; dates are
 * 'YYYY-MM-DD' days on the Danish calendar, never instants, so time zones play no part.
 *
 * Born on 29 February: in a year without 29 February the birthday counts as 1 March, so the
 * person turns 18 on 1 March, not on 28 February (rule 'march-1', the default and the practice
 * this system follows for legal age). 'february-28' is available should a municipality's
 * legal advice say otherwise.
 */
import { dateParts, isLeapYear, isoDate, type IsoDate } from './calendar-dates';

export type LeapDayBirthdayRule = 'march-1' | 'february-28';

export interface AgeOptions {
  /** Where the birthday of someone born on 29 February falls in other years. Default 'march-1'. */
  readonly leapDayBirthday?: LeapDayBirthdayRule;
}

/**
 * The date on which someone born on `birthDate` turns `age` (whole years, ≥ 0). With age 0 it
 * is the birth date itself.
 */
export function birthdayInYear(birthDate: IsoDate, age: number, options: AgeOptions = {}): IsoDate {
  if (!Number.isSafeInteger(age) || age < 0) throw new RangeError('Expected an age in whole years');
  const { year, month, day } = dateParts(birthDate);
  const targetYear = year + age;
  if (month === 2 && day === 29 && !isLeapYear(targetYear)) {
    return (options.leapDayBirthday ?? 'march-1') === 'march-1'
      ? isoDate(targetYear, 3, 1)
      : isoDate(targetYear, 2, 28);
  }
  return isoDate(targetYear, month, day);
}

/**
 * Age in completed years on `onDate`: the person has turned `n` on the day `birthdayInYear`
 * gives for `n` (from that day on, not the day after). Throws a RangeError when `onDate` is
 * before `birthDate`.
 */
export function ageOn(birthDate: IsoDate, onDate: IsoDate, options: AgeOptions = {}): number {
  const born = dateParts(birthDate);
  const on = dateParts(onDate);
  // Both are valid 'YYYY-MM-DD' strings, so string order is date order.
  if (onDate < birthDate) throw new RangeError('The date is before the birth date');
  const years = on.year - born.year;
  return onDate < birthdayInYear(birthDate, years, options) ? years - 1 : years;
}

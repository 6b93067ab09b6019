import { addCalendarMonths } from '@tovholder/domain/shared/calendar-dates';
import { startOfCopenhagenDay } from '@tovholder/domain/shared/copenhagen-time';

export { monthsBetween } from '../../apps/api/src/management-figures/management-figures';
export { seededUniform } from '@tovholder/domain/supervision/supervision-sample';

/** A month's end (YYYY-MM): the first instant of the next month in Copenhagen, in ms. */
export const monthEnd = (month: string): number =>
  startOfCopenhagenDay(addCalendarMonths(`${month}-01`, 1)).getTime();

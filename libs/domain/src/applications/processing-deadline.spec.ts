import fc from 'fast-check';
import { addCalendarDays, calendarDaysBetween, isoDate } from '../shared/calendar-dates';
import { lastDayToSend, receivedOn } from '../shared/letters';
import {
  isPublishedDeadline,
  lastDayToSendDelayNotice,
  noticeReceivedOn,
  processingDeadline,
} from './processing-deadline';

const postal = { deliveryDays: 5 };

describe('processingDeadline: from the application date, in calendar units', () => {
  it('8 weeks from Monday 2 March 2026 is Monday 27 April 2026', () => {
    expect(processingDeadline('2026-03-02', { amount: 8, unit: 'weeks' })).toBe('2026-04-27');
  });

  it('counts days and weeks across the year end and leap days', () => {
    expect(processingDeadline('2026-12-20', { amount: 30, unit: 'days' })).toBe('2027-01-19');
    expect(processingDeadline('2028-02-01', { amount: 4, unit: 'weeks' })).toBe('2028-02-29');
    expect(processingDeadline('2027-02-01', { amount: 4, unit: 'weeks' })).toBe('2027-03-01');
  });

  it('months keep the day, or take the last day of a shorter month', () => {
    expect(processingDeadline('2026-01-31', { amount: 1, unit: 'months' })).toBe('2026-02-28');
    expect(processingDeadline('2028-01-31', { amount: 1, unit: 'months' })).toBe('2028-02-29');
    expect(processingDeadline('2026-03-31', { amount: 3, unit: 'months' })).toBe('2026-06-30');
    expect(processingDeadline('2026-08-31', { amount: 6, unit: 'months' })).toBe('2027-02-28');
    expect(processingDeadline('2026-12-15', { amount: 2, unit: 'months' })).toBe('2027-02-15');
  });

  it('does not move a deadline off a holiday or weekend', () => {
    // 4 weeks from 9 March 2026 is Easter Monday; from 27 November, Christmas Day.
    expect(processingDeadline('2026-03-09', { amount: 4, unit: 'weeks' })).toBe('2026-04-06');
    expect(processingDeadline('2026-11-27', { amount: 4, unit: 'weeks' })).toBe('2026-12-25');
  });

  it('rejects a deadline that is not a positive whole amount of a known unit', () => {
    for (const bad of [
      { amount: 0, unit: 'weeks' },
      { amount: 1.5, unit: 'weeks' },
      { amount: 3, unit: 'years' },
    ] as const) {
      expect(isPublishedDeadline(bad as never)).toBe(false);
      expect(() => processingDeadline('2026-03-02', bad as never)).toThrow(RangeError);
    }
  });

  it('days and weeks are exact calendar-day distances (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 10 }),
        fc.integer({ min: 1, max: 400 }),
        (offset, amount) => {
          const from = addCalendarDays('2020-01-01', offset);
          expect(
            calendarDaysBetween(from, processingDeadline(from, { amount, unit: 'days' })),
          ).toBe(amount);
          expect(
            calendarDaysBetween(from, processingDeadline(from, { amount, unit: 'weeks' })),
          ).toBe(amount * 7);
        },
      ),
    );
  });
});

describe('noticeReceivedOn', () => {
  it('digital channels arrive the Danish day they are sent', () => {
    // 00:30 on 28 April in Denmark (CEST) is 22:30 UTC on the 27th.
    expect(noticeReceivedOn('2026-04-27T22:30:00.000Z', 'digital-post', postal)).toBe('2026-04-28');
    expect(noticeReceivedOn('2026-04-27T21:30:00.000Z', 'secure-e-mail', postal)).toBe(
      '2026-04-27',
    );
  });

  it('a letter counts as received after the delivery days, skipping Easter', () => {
    // Posted Wednesday 1 April 2026: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13 April.
    expect(noticeReceivedOn('2026-04-01T10:00:00.000Z', 'letter', postal)).toBe('2026-04-13');
  });
});

describe('lastDayToSendDelayNotice', () => {
  it('is the deadline itself for citizens on Digital Post', () => {
    expect(lastDayToSendDelayNotice('2026-04-06', false, postal)).toBe('2026-04-06');
  });

  it('is 5 delivery days earlier by letter when the deadline is a working day', () => {
    expect(lastDayToSendDelayNotice('2026-04-27', true, postal)).toBe('2026-04-20');
  });

  it('keeps the letter in time when the deadline falls on Easter Monday', () => {
    // Posted 26 March, a letter arrives Tuesday 7 April (Easter in between): too late.
    expect(receivedOn('2026-03-26', 'letter', postal)).toBe('2026-04-07');
    expect(lastDayToSendDelayNotice('2026-04-06', true, postal)).toBe('2026-03-25');
  });

  it('keeps the letter in time when the deadline is Christmas Day, with a configured calendar', () => {
    expect(lastDayToSendDelayNotice('2026-12-25', true, postal)).toBe('2026-12-17');
    const closedChristmasEve = { deliveryDays: 5, calendar: { alsoClosedEveryYear: ['12-24'] } };
    expect(lastDayToSendDelayNotice('2026-12-25', true, closedChristmasEve)).toBe('2026-12-16');
  });

  it('a letter sent on the last day arrives by the deadline, and one sent a day later does not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2024, max: 2032 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 10 }),
        (year, month, day, deliveryDays) => {
          const deadline = isoDate(year, month, day);
          const rules = { deliveryDays };
          const last = lastDayToSendDelayNotice(deadline, true, rules);
          expect(receivedOn(last, 'letter', rules) <= deadline).toBe(true);
          expect(last <= lastDayToSend(deadline, true, rules)).toBe(true);
          // The next working day's letter would be late (weekend days post like the Friday).
          const nextSendDay = addCalendarDays(last, 1);
          const laterArrival = receivedOn(nextSendDay, 'letter', rules);
          if (laterArrival !== receivedOn(last, 'letter', rules)) {
            expect(laterArrival > deadline).toBe(true);
          }
        },
      ),
    );
  });
});

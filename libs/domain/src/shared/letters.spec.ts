import { addWorkingDays } from './danish-holidays';
import { lastDayToSend, receivedOn } from './letters';

describe('letters and postal delay', () => {
  const postal = { deliveryDays: 5 };

  it('a letter counts as received after delivery days; digital channels the same day', () => {
    // Posted Friday 27 March 2026: delivery days Mon 30, Tue 31, Wed 1, then Maundy Thursday,
    // Good Friday, the weekend and Easter Monday are skipped: Tue 7, Wed 8 April.
    expect(receivedOn('2026-03-27', 'letter', postal)).toBe('2026-04-08');
    expect(receivedOn('2026-03-27', 'digital-post', postal)).toBe('2026-03-27');
  });

  it('the last day to send reaches the citizen by the deadline, also over Easter and Christmas', () => {
    for (const deadline of ['2026-04-06', '2026-12-25', '2026-12-28', '2026-06-10']) {
      const last = lastDayToSend(deadline, true, postal);
      expect(receivedOn(last, 'letter', postal) <= deadline).toBe(true);
      // and no later working day would do
      expect(receivedOn(addWorkingDays(last, 1), 'letter', postal) > deadline).toBe(true);
    }
    expect(lastDayToSend('2026-04-06', true, postal)).toBe('2026-03-25');
    expect(lastDayToSend('2026-04-06', false, postal)).toBe('2026-04-06');
  });
});

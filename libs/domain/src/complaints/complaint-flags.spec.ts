import {
  COMPLAINT_RULE_TEXTS,
  DEFAULT_COMPLAINT_RULES,
  complaintAnswerDueDate,
  complaintFlags,
  complaintProcessingDays,
  foldComplaintFacts,
  type ComplaintFacts,
} from './complaint-flags';
import type { IdentifiedComplaintEvent } from './complaint.events';

const complaintId = 'cmp-1';

const registered = (receivedAt: string): IdentifiedComplaintEvent => ({
  id: 'e-reg',
  type: 'ComplaintRegistered',
  data: {
    complaintId,
    departmentId: 'dept-cbu',
    caseId: null,
    personId: 'p-1',
    about: 'service',
    channel: 'letter',
    receivedAt,
  },
});
const resolved = (resolvedAt: string): IdentifiedComplaintEvent => ({
  id: 'e-res',
  type: 'ComplaintResolved',
  data: { complaintId, outcome: 'rejected', resolvedAt },
});

function facts(events: readonly IdentifiedComplaintEvent[]): ComplaintFacts {
  const folded = foldComplaintFacts(complaintId, events);
  if (folded === null) throw new Error('expected a registered complaint');
  return folded;
}

describe('foldComplaintFacts', () => {
  it('is null before registration; keeps the registration and resolution with event ids', () => {
    expect(foldComplaintFacts(complaintId, [])).toBeNull();
    expect(
      facts([registered('2026-03-02T09:00:00.000Z'), resolved('2026-03-10T09:00:00.000Z')]),
    ).toEqual({
      complaintId,
      departmentId: 'dept-cbu',
      caseId: null,
      personId: 'p-1',
      about: 'service',
      channel: 'letter',
      received: { eventId: 'e-reg', at: '2026-03-02T09:00:00.000Z' },
      resolved: { eventId: 'e-res', at: '2026-03-10T09:00:00.000Z', outcome: 'rejected' },
    });
  });
});

describe('complaintProcessingDays', () => {
  it('is null while open, 0 when resolved the same Danish day', () => {
    expect(complaintProcessingDays(facts([registered('2026-03-02T09:00:00.000Z')]))).toBeNull();
    expect(
      complaintProcessingDays(
        facts([registered('2026-03-02T07:00:00.000Z'), resolved('2026-03-02T22:59:00.000Z')]),
      ),
    ).toBe(0);
  });

  it('counts Danish calendar dates, not UTC dates, across the switch to summer time', () => {
    // 00:30 CET on Sunday 29 March (UTC: 28 March) → 23:30 CEST on 2 April: 4 days, not 5.
    expect(
      complaintProcessingDays(
        facts([registered('2026-03-28T23:30:00.000Z'), resolved('2026-04-02T21:30:00.000Z')]),
      ),
    ).toBe(4);
  });

  it('counts weekends and holidays (calendar days), e.g. over Christmas', () => {
    expect(
      complaintProcessingDays(
        facts([registered('2025-12-22T10:00:00.000Z'), resolved('2026-01-05T10:00:00.000Z')]),
      ),
    ).toBe(14);
  });
});

describe('complaintFlags', () => {
  it('the default policy is 20 working days after the day of receipt, skipping Easter', () => {
    // Received Monday 30 March 2026. Easter: 2, 3 and 6 April are holidays.
    const open = facts([registered('2026-03-30T08:00:00.000Z')]);
    expect(complaintAnswerDueDate(open)).toBe('2026-04-30');
    expect(complaintFlags(open, '2026-04-30')).toEqual([]);
    expect(complaintFlags(open, '2026-05-01')).toEqual([
      {
        code: 'COMPLAINT_OVERDUE',
        complaintId,
        dueDate: '2026-04-30',
        rule: COMPLAINT_RULE_TEXTS.COMPLAINT_OVERDUE,
        severity: 'overdue',
        eventIds: ['e-reg'],
      },
    ]);
  });

  it('the day of receipt is the Danish date: Copenhagen midnight decides, not UTC', () => {
    const oneDay = { answerWithinWorkingDays: 1 };
    const dueOn = (receivedAt: string) =>
      complaintAnswerDueDate(facts([registered(receivedAt)]), oneDay);
    // 23:59:59.999 on Thursday 5 March in Copenhagen (CET, UTC+1) → due Friday.
    expect(dueOn('2026-03-05T22:59:59.999Z')).toBe('2026-03-06');
    // 00:00 on Friday 6 March in Copenhagen, still Thursday in UTC → due Monday.
    expect(dueOn('2026-03-05T23:00:00.000Z')).toBe('2026-03-09');
    // Summer time (CEST, UTC+2): 22:30 UTC on Thursday 2 July is 00:30 on Friday 3 July.
    expect(dueOn('2026-07-02T22:30:00.000Z')).toBe('2026-07-06');
    expect(dueOn('2026-07-02T21:30:00.000Z')).toBe('2026-07-03');
  });

  it('a resolved complaint has no flag, even when it was resolved late', () => {
    const late = facts([registered('2026-03-30T08:00:00.000Z'), resolved('2026-06-01T08:00:00Z')]);
    expect(complaintFlags(late, '2026-07-01')).toEqual([]);
  });

  it('without a policy deadline there is no flag', () => {
    const open = facts([registered('2020-01-02T08:00:00.000Z')]);
    expect(complaintAnswerDueDate(open, {})).toBeNull();
    expect(complaintFlags(open, '2026-01-01', {})).toEqual([]);
    expect(complaintFlags(open, '2026-01-01', DEFAULT_COMPLAINT_RULES)).toHaveLength(1);
  });

  it('respects municipal closing days (Christmas Eve, New Year’s Eve) when configured', () => {
    const open = facts([registered('2025-12-22T09:00:00.000Z')]);
    const rules = { answerWithinWorkingDays: 3 };
    // Law only: 23, 24, 29 December (25, 26 are holidays).
    expect(complaintAnswerDueDate(open, rules)).toBe('2025-12-29');
    expect(
      complaintAnswerDueDate(open, {
        ...rules,
        calendar: { alsoClosedEveryYear: ['12-24', '12-31'] },
      }),
    ).toBe('2025-12-30');
  });

  it('refuses malformed rules and dates', () => {
    const open = facts([registered('2026-03-30T08:00:00.000Z')]);
    expect(() => complaintFlags(open, '2026-5-1')).toThrow(RangeError);
    expect(() => complaintFlags(open, '2026-05-01', { answerWithinWorkingDays: -1 })).toThrow(
      RangeError,
    );
    expect(() => complaintFlags(open, '2026-05-01', { answerWithinWorkingDays: 1.5 })).toThrow(
      RangeError,
    );
  });
});

import fc from 'fast-check';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import {
  DEFAULT_INQUIRY_RULES,
  acknowledgedInTime,
  answeredByPromise,
  foldInquiryFacts,
  inquiryAckDeadline,
  inquiryFlags,
  type InquiryFacts,
} from './inquiry-flags';
import type { IdentifiedInquiryEvent } from './inquiry.events';

const inquiryId = 'inq-1';

const receivedAt = (at: string): IdentifiedInquiryEvent => ({
  id: 'e-received',
  type: 'InquiryReceived',
  data: {
    inquiryId,
    personId: 'p-1',
    departmentId: 'd-1',
    caseId: null,
    channel: 'phone',
    receivedAt: at,
  },
});
const acknowledgedAt = (at: string, answerPromisedBy: string): IdentifiedInquiryEvent => ({
  id: 'e-ack',
  type: 'InquiryAcknowledged',
  data: { inquiryId, channel: 'digital-post', acknowledgedAt: at, answerPromisedBy },
});
const postponedTo = (answerPromisedBy: string, id = 'e-postponed'): IdentifiedInquiryEvent => ({
  id,
  type: 'InquiryAnswerPostponed',
  data: {
    inquiryId,
    answerPromisedBy,
    reason: 'complex-inquiry',
    postponedAt: '2026-04-01T08:00:00.000Z',
  },
});
const answeredAt = (at: string): IdentifiedInquiryEvent => ({
  id: 'e-answered',
  type: 'InquiryAnswered',
  data: { inquiryId, channel: 'letter', answeredAt: at },
});

function facts(events: IdentifiedInquiryEvent[]): InquiryFacts {
  const folded = foldInquiryFacts(inquiryId, events);
  if (folded === null) throw new Error('no inquiry');
  return folded;
}

const flagsAt = (f: InquiryFacts, now: string, rules = DEFAULT_INQUIRY_RULES) =>
  inquiryFlags(f, new Date(now), rules);

describe('inquiryAckDeadline', () => {
  it('is 48 elapsed hours by default, also across the start of summer time', () => {
    // Friday 27 March 2026 10:00 CET; clocks go forward on Sunday 29 March: the deadline is
    // 11:00 CEST on Sunday (48 real hours), not 10:00.
    const deadline = inquiryAckDeadline(
      new Date('2026-03-27T09:00:00.000Z'),
      DEFAULT_INQUIRY_RULES,
    );
    expect(deadline.toISOString()).toBe('2026-03-29T09:00:00.000Z');
  });

  it('follows the configured hours and rejects nonsense', () => {
    const from = new Date('2026-01-05T08:00:00.000Z');
    expect(inquiryAckDeadline(from, { acknowledgeWithinHours: 24 }).toISOString()).toBe(
      '2026-01-06T08:00:00.000Z',
    );
    expect(() => inquiryAckDeadline(from, { acknowledgeWithinHours: -1 })).toThrow(RangeError);
    expect(() => inquiryAckDeadline(from, { acknowledgeWithinHours: Number.NaN })).toThrow(
      RangeError,
    );
  });
});

describe('foldInquiryFacts', () => {
  it('is null without a receipt (as of a time before it)', () => {
    expect(foldInquiryFacts(inquiryId, [])).toBeNull();
  });

  it('keeps the latest promise, the first promise and the number of postponements', () => {
    const f = facts([
      receivedAt('2026-03-30T08:00:00.000Z'),
      acknowledgedAt('2026-03-30T09:00:00.000Z', '2026-04-07'),
      postponedTo('2026-04-14', 'e-p1'),
      postponedTo('2026-04-21', 'e-p2'),
    ]);
    expect(f.promise).toEqual({ eventId: 'e-p2', answerPromisedBy: '2026-04-21' });
    expect(f.firstPromisedBy).toBe('2026-04-07');
    expect(f.postponements).toBe(2);
  });
});

describe('inquiryFlags', () => {
  describe('ACK_OVERDUE', () => {
    const received = receivedAt('2026-03-27T09:00:00.000Z');

    it('is raised the moment after the 48 hours, not at the deadline itself', () => {
      expect(flagsAt(facts([received]), '2026-03-29T09:00:00.000Z')).toEqual([]);
      expect(flagsAt(facts([received]), '2026-03-29T09:00:00.001Z')).toEqual([
        {
          code: 'ACK_OVERDUE',
          inquiryId,
          dueDate: '2026-03-29',
          dueAt: '2026-03-29T09:00:00.000Z',
          rule: expect.stringContaining('Holbæk'),
          severity: 'overdue',
          eventIds: ['e-received'],
        },
      ]);
    });

    it('dates the deadline on the Danish calendar, not the UTC one', () => {
      // Received 00:30 Danish time on Tuesday 6 January (still Monday in UTC).
      const f = facts([receivedAt('2026-01-05T23:30:00.000Z')]);
      expect(flagsAt(f, '2026-01-08T00:00:00.000Z')).toEqual([
        expect.objectContaining({ dueDate: '2026-01-08', dueAt: '2026-01-07T23:30:00.000Z' }),
      ]);
    });

    it('counts hours through Christmas: holidays do not stop the clock', () => {
      // 23 December 2026, 14:00 CET → 25 December 14:00.
      const f = facts([receivedAt('2026-12-23T13:00:00.000Z')]);
      expect(flagsAt(f, '2026-12-25T12:59:59.999Z')).toEqual([]);
      expect(flagsAt(f, '2026-12-25T13:00:00.001Z')).toEqual([
        expect.objectContaining({ code: 'ACK_OVERDUE', dueDate: '2026-12-25' }),
      ]);
    });

    it('clears when acknowledged, even late, and when answered', () => {
      const late = acknowledgedAt('2026-03-30T08:00:00.000Z', '2026-04-10');
      expect(flagsAt(facts([received, late]), '2026-03-30T09:00:00.000Z')).toEqual([]);
      const answer = answeredAt('2026-03-30T08:00:00.000Z');
      expect(flagsAt(facts([received, answer]), '2026-03-30T09:00:00.000Z')).toEqual([]);
    });

    it('follows the configured hours', () => {
      const rules = { acknowledgeWithinHours: 24 };
      expect(flagsAt(facts([received]), '2026-03-28T09:00:00.001Z', rules)).toEqual([
        expect.objectContaining({ code: 'ACK_OVERDUE', dueAt: '2026-03-28T09:00:00.000Z' }),
      ]);
    });
  });

  describe('ANSWER_OVERDUE', () => {
    // Promised for Maundy Thursday 2 April 2026; the calendar day counts, holiday or not.
    const acknowledged = [
      receivedAt('2026-03-30T08:00:00.000Z'),
      acknowledgedAt('2026-03-30T10:00:00.000Z', '2026-04-02'),
    ];

    it('is raised from the first Danish minute after the promised day', () => {
      // 23:59:59.999 CEST on 2 April is 21:59:59.999 UTC.
      expect(flagsAt(facts(acknowledged), '2026-04-02T21:59:59.999Z')).toEqual([]);
      expect(flagsAt(facts(acknowledged), '2026-04-02T22:00:00.000Z')).toEqual([
        {
          code: 'ANSWER_OVERDUE',
          inquiryId,
          dueDate: '2026-04-02',
          dueAt: '2026-04-02T21:59:59.999Z',
          rule: expect.stringContaining('promised'),
          severity: 'overdue',
          eventIds: ['e-ack'],
        },
      ]);
    });

    it('moves with a postponement and names it', () => {
      const f = facts([...acknowledged, postponedTo('2026-04-07')]);
      expect(flagsAt(f, '2026-04-07T12:00:00.000Z')).toEqual([]);
      expect(flagsAt(f, '2026-04-08T06:00:00.000Z')).toEqual([
        expect.objectContaining({
          code: 'ANSWER_OVERDUE',
          dueDate: '2026-04-07',
          eventIds: ['e-ack', 'e-postponed'],
        }),
      ]);
    });

    it('clears when answered, and is never raised without a promise', () => {
      const f = facts([...acknowledged, answeredAt('2026-04-05T08:00:00.000Z')]);
      expect(flagsAt(f, '2026-05-01T08:00:00.000Z')).toEqual([]);
      const answeredOnly = facts([
        receivedAt('2026-03-30T08:00:00.000Z'),
        answeredAt('2026-04-05T08:00:00.000Z'),
      ]);
      expect(flagsAt(answeredOnly, '2026-05-01T08:00:00.000Z')).toEqual([]);
    });
  });

  it('follow the stream event by event (what the as-of history sees)', () => {
    const events = [
      receivedAt('2026-03-27T09:00:00.000Z'),
      acknowledgedAt('2026-03-30T09:00:00.000Z', '2026-04-02'),
      postponedTo('2026-04-07'),
      answeredAt('2026-04-08T09:00:00.000Z'),
    ];
    const codesAfter = (n: number, now: string) =>
      flagsAt(facts(events.slice(0, n)), now).map((flag) => flag.code);
    expect(codesAfter(1, '2026-04-20T08:00:00.000Z')).toEqual(['ACK_OVERDUE']);
    expect(codesAfter(2, '2026-04-20T08:00:00.000Z')).toEqual(['ANSWER_OVERDUE']);
    expect(codesAfter(3, '2026-04-20T08:00:00.000Z')).toEqual(['ANSWER_OVERDUE']);
    expect(codesAfter(4, '2026-04-20T08:00:00.000Z')).toEqual([]);
  });
});

describe('figures', () => {
  const received = receivedAt('2026-03-27T09:00:00.000Z');

  it('acknowledgedInTime: the earlier of acknowledgement and answer, against the hours', () => {
    expect(acknowledgedInTime(facts([received]), DEFAULT_INQUIRY_RULES)).toBeNull();
    const inTime = acknowledgedAt('2026-03-29T09:00:00.000Z', '2026-04-10');
    expect(acknowledgedInTime(facts([received, inTime]), DEFAULT_INQUIRY_RULES)).toBe(true);
    const late = acknowledgedAt('2026-03-29T09:00:00.001Z', '2026-04-10');
    expect(acknowledgedInTime(facts([received, late]), DEFAULT_INQUIRY_RULES)).toBe(false);
    const answeredQuickly = answeredAt('2026-03-28T09:00:00.000Z');
    expect(acknowledgedInTime(facts([received, answeredQuickly]), DEFAULT_INQUIRY_RULES)).toBe(
      true,
    );
    expect(
      acknowledgedInTime(
        facts([received, answeredAt('2026-04-01T09:00:00.000Z')]),
        DEFAULT_INQUIRY_RULES,
      ),
    ).toBe(false);
  });

  it('answeredByPromise: the Danish date of the answer against the latest promise', () => {
    const ack = acknowledgedAt('2026-03-27T10:00:00.000Z', '2026-04-02');
    expect(answeredByPromise(facts([received, ack]))).toBeNull();
    // 23:30 CEST on 2 April (21:30 UTC): on time.
    expect(answeredByPromise(facts([received, ack, answeredAt('2026-04-02T21:30:00.000Z')]))).toBe(
      true,
    );
    // 00:30 CEST on 3 April (22:30 UTC on the 2nd): late.
    expect(answeredByPromise(facts([received, ack, answeredAt('2026-04-02T22:30:00.000Z')]))).toBe(
      false,
    );
    expect(answeredByPromise(facts([received, answeredAt('2026-04-02T08:00:00.000Z')]))).toBeNull();
  });

  it('an unacknowledged, unanswered inquiry is flagged exactly when now is past the deadline', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 24 * 14 }),
        fc.integer({ min: -3_600_000 * 24, max: 3_600_000 * 24 * 30 }),
        (received, hours, offsetMs) => {
          const rules = { acknowledgeWithinHours: hours };
          const f = facts([receivedAt(received.toISOString())]);
          const deadline = inquiryAckDeadline(received, rules);
          const now = new Date(deadline.getTime() + offsetMs);
          const flags = inquiryFlags(f, now, rules);
          expect(flags.length).toBe(offsetMs > 0 ? 1 : 0);
          for (const flag of flags) expect(flag.dueDate).toBe(copenhagenDateOf(deadline));
        },
      ),
    );
  });
});

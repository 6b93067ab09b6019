import {
  DEFAULT_VISITATION_RULES,
  emptyReferralFacts,
  foldReferralFacts,
  referralFlags,
  visitationDueDate,
  type ReferralFacts,
} from './visitation-flags';
import type { IdentifiedVisitationEvent } from './visitation.events';

const referralId = 'r-1';
const referredEvent = (referredAt: string): IdentifiedVisitationEvent => ({
  id: 'e-ref',
  type: 'CaseReferredToVisitation',
  data: { referralId, caseId: 'c-1', personId: 'p-1', departmentId: 'chp', referredAt },
});
const routed: IdentifiedVisitationEvent = {
  id: 'e-route',
  type: 'ReferralRouted',
  data: {
    referralId,
    destination: 'focus-course',
    caseworkerId: null,
    reasonCode: 'needs-clarification',
    note: 'free text not in the facts',
    meetingDate: '2026-03-10',
    routedAt: '2026-03-10T12:00:00.000Z',
  },
};
const withdrawn: IdentifiedVisitationEvent = {
  id: 'e-wd',
  type: 'ReferralWithdrawn',
  data: { referralId, reason: 'declined', withdrawnAt: '2026-03-10T12:00:00.000Z' },
};

const facts = (events: IdentifiedVisitationEvent[]): ReferralFacts =>
  foldReferralFacts(referralId, events);
const waiting = (f: ReferralFacts, today: string) =>
  referralFlags(f, today).map((flag) => flag.dueDate);

describe('foldReferralFacts', () => {
  it('folds referral, routing and withdrawal with their event ids', () => {
    expect(facts([referredEvent('2026-03-02T09:00:00.000Z'), routed])).toEqual({
      referralId,
      referred: {
        eventId: 'e-ref',
        caseId: 'c-1',
        personId: 'p-1',
        departmentId: 'chp',
        referredAt: '2026-03-02T09:00:00.000Z',
      },
      routed: {
        eventId: 'e-route',
        destination: 'focus-course',
        caseworkerId: null,
        reasonCode: 'needs-clarification',
        meetingDate: '2026-03-10',
        routedAt: '2026-03-10T12:00:00.000Z',
      },
      withdrawn: null,
    });
    expect(facts([referredEvent('2026-03-02T09:00:00.000Z'), withdrawn]).withdrawn).toEqual({
      eventId: 'e-wd',
      withdrawnAt: '2026-03-10T12:00:00.000Z',
    });
  });
});

describe('referralFlags: VISITATION_WAITING', () => {
  it('is raised the day after referral day + 14 calendar days, not before', () => {
    const f = facts([referredEvent('2026-03-02T09:00:00.000Z')]);
    expect(referralFlags(f, '2026-03-16')).toEqual([]);
    expect(referralFlags(f, '2026-03-17')).toEqual([
      {
        code: 'VISITATION_WAITING',
        referralId,
        caseId: 'c-1',
        personId: 'p-1',
        departmentId: 'chp',
        dueDate: '2026-03-16',
        rule: expect.stringContaining('Local policy'),
        severity: 'overdue',
        eventIds: ['e-ref'],
      },
    ]);
  });

  it('clears when routed or withdrawn', () => {
    const referred = referredEvent('2026-03-02T09:00:00.000Z');
    expect(referralFlags(facts([referred, routed]), '2026-04-01')).toEqual([]);
    expect(referralFlags(facts([referred, withdrawn]), '2026-04-01')).toEqual([]);
    expect(referralFlags(emptyReferralFacts(referralId), '2026-04-01')).toEqual([]);
  });

  it('counts from the Danish date of the referral (after midnight in Copenhagen is the next day)', () => {
    // 23:30 UTC on 28 March is 00:30 on 29 March in Copenhagen (the night summer time starts).
    expect(waiting(facts([referredEvent('2026-03-28T23:30:00.000Z')]), '2026-04-13')).toEqual([
      '2026-04-12',
    ]);
    expect(waiting(facts([referredEvent('2026-03-28T23:30:00.000Z')]), '2026-04-12')).toEqual([]);
    // 22:30 UTC on 24 October is 00:30 on 25 October in Copenhagen (still summer time).
    expect(visitationDueDate('2026-10-24T22:30:00.000Z')).toBe('2026-11-08');
    expect(visitationDueDate('2026-10-24T21:30:00.000Z')).toBe('2026-11-07');
  });

  it('counts calendar days: Easter and Christmas do not move the due date', () => {
    expect(visitationDueDate('2026-03-24T09:00:00.000Z')).toBe('2026-04-07');
    expect(visitationDueDate('2026-12-20T09:00:00.000Z')).toBe('2027-01-03');
  });

  it('crosses the year end and counts 29 February in a leap year', () => {
    // 23:30 UTC on 31 Dec 2024 is 1 Jan 2025 in Copenhagen.
    expect(visitationDueDate('2024-12-31T23:30:00.000Z')).toBe('2025-01-15');
    expect(visitationDueDate('2024-02-20T09:00:00.000Z')).toBe('2024-03-05');
    expect(visitationDueDate('2023-02-20T09:00:00.000Z')).toBe('2023-03-06');
  });

  it('follows the configured waiting days', () => {
    const f = facts([referredEvent('2026-03-02T09:00:00.000Z')]);
    const rules = { ...DEFAULT_VISITATION_RULES, waitingDays: 7 };
    expect(referralFlags(f, '2026-03-09', rules)).toEqual([]);
    expect(referralFlags(f, '2026-03-10', rules).map((flag) => flag.dueDate)).toEqual([
      '2026-03-09',
    ]);
    expect(() => referralFlags(f, '2026-03-10', { waitingDays: 1.5 })).toThrow(RangeError);
  });

  it('stored facts (as the read model keeps them) give the same flags as the fold', () => {
    const folded = facts([referredEvent('2026-03-02T09:00:00.000Z')]);
    const stored = JSON.parse(JSON.stringify(folded)) as ReferralFacts;
    expect(referralFlags(stored, '2026-04-01')).toEqual(referralFlags(folded, '2026-04-01'));
  });
});

import fc from 'fast-check';
import { addCalendarDays } from '../shared/calendar-dates';
import {
  DEFAULT_TRANSITION_RULES,
  emptyTransitionFacts,
  foldTransitionFacts,
  transitionFlags,
  type TransitionFacts,
  type TransitionFlagCode,
} from './transition-flags';
import type { IdentifiedTransitionEvent } from './transition.events';

const personId = 'p-1';
const born = '2008-06-15';
// 16: 2024-06-15 · start by 2024-07-15 · youth plan by 2024-09-15 · adult caseworker by
// 2025-06-15 · § 111 by 2025-12-15 (warning from 2025-09-15) · 18: 2026-06-15 (warning from
// 2026-03-15).
const at = '2024-06-15T03:00:00.000Z';

const due: IdentifiedTransitionEvent = {
  id: 'e-due',
  type: 'TransitionPreparationDue',
  data: {
    personId,
    birthDate: born,
    sixteenthBirthday: '2024-06-15',
    triggerCaseIds: ['case-1'],
    dueAt: at,
  },
};
const started: IdentifiedTransitionEvent = {
  id: 'e-start',
  type: 'TransitionPreparationStarted',
  data: { personId, byCaseworkerId: 'cw-a', inDialogueWith: ['young-person'], startedAt: at },
};
const placedTrack: IdentifiedTransitionEvent = {
  id: 'e-track',
  type: 'TransitionTrackChosen',
  data: { personId, track: 'placed-out-of-home-adult-approval', chosenAt: at },
};
const adultCaseworker: IdentifiedTransitionEvent = {
  id: 'e-adult-cw',
  type: 'AdultCaseworkerAssigned',
  data: { personId, caseworkerId: 'cw-b', departmentId: 'chp', assignedAt: at },
};
const youthPlan: IdentifiedTransitionEvent = {
  id: 'e-plan',
  type: 'YouthPlanRecorded',
  data: { personId, recordedAt: at },
};
const aftercare: IdentifiedTransitionEvent = {
  id: 'e-aftercare',
  type: 'AftercareDecisionIssued',
  data: { personId, decisionId: 'a-1', effectiveFrom: '2026-06-15', issuedAt: at },
};
const decision = (id: string, effectiveFrom: string): IdentifiedTransitionEvent => ({
  id,
  type: 'AdultDecisionIssued',
  data: { personId, decisionId: `d-${id}`, effectiveFrom, issuedAt: at },
});
const closed: IdentifiedTransitionEvent = {
  id: 'e-closed',
  type: 'TransitionClosed',
  data: { personId, reason: 'moved-away', closedAt: at },
};

const facts = (events: IdentifiedTransitionEvent[], placed = false): TransitionFacts =>
  foldTransitionFacts(personId, events, placed);

/** code → severity of the flags raised on `today`. */
function raised(f: TransitionFacts, today: string, birthDate = born) {
  return Object.fromEntries(
    transitionFlags(f, birthDate, today).map((flag) => [flag.code, flag.severity]),
  ) as Partial<Record<TransitionFlagCode, string>>;
}

describe('transitionFlags', () => {
  describe('NOT_STARTED: turned 16 and not started within the grace period', () => {
    it('is raised the day after the grace period, not before', () => {
      expect(raised(facts([due]), '2024-06-15').NOT_STARTED).toBeUndefined();
      expect(raised(facts([due]), '2024-07-15').NOT_STARTED).toBeUndefined();
      expect(transitionFlags(facts([due]), born, '2024-07-16')).toEqual([
        {
          code: 'NOT_STARTED',
          personId,
          dueDate: '2024-07-15',
          rule: 'Barnets Lov §§ 122–123',
          severity: 'overdue',
          eventIds: ['e-due'],
        },
      ]);
    });

    it('is not raised once started, nor for a person without a stream before 16 + grace', () => {
      expect(raised(facts([due, started]), '2024-08-01').NOT_STARTED).toBeUndefined();
      expect(transitionFlags(emptyTransitionFacts(personId), born, '2024-07-15')).toEqual([]);
      expect(transitionFlags(emptyTransitionFacts(personId), born, '2024-07-16')).toEqual([
        expect.objectContaining({ code: 'NOT_STARTED', eventIds: [] }),
      ]);
    });

    it('follows a configured grace period', () => {
      const rules = { ...DEFAULT_TRANSITION_RULES, notStartedGraceDays: 0 };
      expect(transitionFlags(facts([due]), born, '2024-06-15', rules)).toEqual([]);
      expect(transitionFlags(facts([due]), born, '2024-06-16', rules)).toEqual([
        expect.objectContaining({ code: 'NOT_STARTED', dueDate: '2024-06-15' }),
      ]);
    });
  });

  describe('NO_ADULT_CASEWORKER: none by 17', () => {
    it('is raised after the 17th birthday', () => {
      expect(raised(facts([due, started]), '2025-06-15').NO_ADULT_CASEWORKER).toBeUndefined();
      expect(transitionFlags(facts([due, started]), born, '2025-06-16')).toContainEqual({
        code: 'NO_ADULT_CASEWORKER',
        personId,
        dueDate: '2025-06-15',
        rule: 'Barnets Lov §§ 122–123',
        severity: 'overdue',
        eventIds: ['e-due', 'e-start'],
      });
      expect(
        raised(facts([due, started, adultCaseworker]), '2025-06-16').NO_ADULT_CASEWORKER,
      ).toBeUndefined();
    });

    it('follows a configured age', () => {
      const rules = { ...DEFAULT_TRANSITION_RULES, adultCaseworkerByAge: 16 };
      const codes = transitionFlags(facts([due, started]), born, '2024-06-16', rules).map(
        (flag) => flag.code,
      );
      expect(codes).toEqual(['NO_ADULT_CASEWORKER']);
    });
  });

  describe('YOUTH_PLAN_MISSING: placed youths, 3 months after 16 (§ 108)', () => {
    it('is raised for a placed youth after 16 + 3 months', () => {
      const placed = facts([due, started], true);
      expect(raised(placed, '2024-09-15').YOUTH_PLAN_MISSING).toBeUndefined();
      expect(transitionFlags(placed, born, '2024-09-16')).toEqual([
        {
          code: 'YOUTH_PLAN_MISSING',
          personId,
          dueDate: '2024-09-15',
          rule: 'Barnets Lov § 108',
          severity: 'overdue',
          eventIds: ['e-due'],
        },
      ]);
    });

    it('the placed-youth track counts as placed, and names its event', () => {
      expect(transitionFlags(facts([due, started, placedTrack]), born, '2024-09-16')).toEqual([
        expect.objectContaining({ code: 'YOUTH_PLAN_MISSING', eventIds: ['e-due', 'e-track'] }),
      ]);
    });

    it('is not raised for a youth not placed, nor once a youth plan is recorded', () => {
      expect(raised(facts([due, started]), '2024-09-16').YOUTH_PLAN_MISSING).toBeUndefined();
      expect(
        raised(facts([due, started, youthPlan], true), '2024-09-16').YOUTH_PLAN_MISSING,
      ).toBeUndefined();
    });
  });

  describe('AFTERCARE_DECISION_DUE / _OVERDUE: placed youths, 6 months before 18 (§ 111)', () => {
    const placed = facts([due, started, adultCaseworker, youthPlan], true);

    it('warns from 3 months before 17½, is overdue after 17½', () => {
      expect(raised(placed, '2025-09-14')).toEqual({});
      expect(transitionFlags(placed, born, '2025-09-15')).toEqual([
        {
          code: 'AFTERCARE_DECISION_DUE',
          personId,
          dueDate: '2025-12-15',
          rule: 'Barnets Lov § 111',
          severity: 'warning',
          eventIds: ['e-due'],
        },
      ]);
      expect(raised(placed, '2025-12-15')).toEqual({ AFTERCARE_DECISION_DUE: 'warning' });
      expect(raised(placed, '2025-12-16')).toEqual({ AFTERCARE_DECISION_OVERDUE: 'overdue' });
    });

    it('is not raised with an aftercare decision or for a youth not placed', () => {
      const decided = facts([due, started, adultCaseworker, youthPlan, aftercare], true);
      expect(raised(decided, '2025-12-16')).toEqual({});
      expect(raised(facts([due, started, adultCaseworker]), '2025-12-16')).toEqual({});
    });
  });

  describe('DECISION_NOT_READY_AT_18', () => {
    const prepared = facts([due, started, adultCaseworker]);

    it('warns from 3 months before 18, is overdue after the 18th birthday', () => {
      expect(raised(prepared, '2026-03-14')).toEqual({});
      expect(transitionFlags(prepared, born, '2026-03-15')).toEqual([
        {
          code: 'DECISION_NOT_READY_AT_18',
          personId,
          dueDate: '2026-06-15',
          rule: 'Barnets Lov §§ 122–123',
          severity: 'warning',
          eventIds: ['e-due'],
        },
      ]);
      expect(raised(prepared, '2026-06-15')).toEqual({ DECISION_NOT_READY_AT_18: 'warning' });
      expect(raised(prepared, '2026-06-16')).toEqual({ DECISION_NOT_READY_AT_18: 'overdue' });
    });

    it('a decision effective on (or before) the 18th birthday clears it', () => {
      expect(
        raised(facts([due, started, adultCaseworker, decision('d', '2026-06-15')]), '2026-07-01'),
      ).toEqual({});
      expect(
        raised(facts([due, started, adultCaseworker, decision('d', '2026-05-01')]), '2026-07-01'),
      ).toEqual({});
    });

    it('a decision that takes effect after 18 does not, and the flag names it', () => {
      const late = facts([due, started, adultCaseworker, decision('late', '2026-06-16')]);
      expect(transitionFlags(late, born, '2026-06-16')).toEqual([
        expect.objectContaining({
          code: 'DECISION_NOT_READY_AT_18',
          severity: 'overdue',
          eventIds: ['e-due', 'late'],
        }),
      ]);
      const laterFixed = facts([
        due,
        started,
        adultCaseworker,
        decision('late', '2026-06-16'),
        decision('fixed', '2026-06-15'),
      ]);
      expect(raised(laterFixed, '2026-06-16')).toEqual({});
    });

    it('born 29 Feb: 18 on 1 March in a common year (2008-02-29 → 2026-03-01)', () => {
      const leap = foldTransitionFacts(personId, [started, adultCaseworker], false);
      expect(raised(leap, '2025-11-30', '2008-02-29')).toEqual({});
      expect(transitionFlags(leap, '2008-02-29', '2025-12-01')).toEqual([
        expect.objectContaining({
          code: 'DECISION_NOT_READY_AT_18',
          dueDate: '2026-03-01',
          severity: 'warning',
        }),
      ]);
      expect(raised(leap, '2026-03-01', '2008-02-29')).toEqual({
        DECISION_NOT_READY_AT_18: 'warning',
      });
      expect(raised(leap, '2026-03-02', '2008-02-29')).toEqual({
        DECISION_NOT_READY_AT_18: 'overdue',
      });
      const feb28 = { ...DEFAULT_TRANSITION_RULES, leapDayBirthday: 'february-28' as const };
      expect(transitionFlags(leap, '2008-02-29', '2026-03-01', feb28)).toEqual([
        expect.objectContaining({ dueDate: '2026-02-28', severity: 'overdue' }),
      ]);
    });

    it('born 29 Feb and placed: the § 111 deadline is 6 months before 1 March', () => {
      const leap = foldTransitionFacts(personId, [started, adultCaseworker, youthPlan], true);
      expect(transitionFlags(leap, '2008-02-29', '2025-09-02')).toEqual([
        expect.objectContaining({
          code: 'AFTERCARE_DECISION_OVERDUE',
          dueDate: '2025-09-01',
          severity: 'overdue',
        }),
      ]);
    });

    it('born 31 August: six months before 18 is the last day of February', () => {
      const f = foldTransitionFacts(personId, [started, adultCaseworker, youthPlan], true);
      expect(transitionFlags(f, '2008-08-31', '2026-03-01')).toEqual([
        expect.objectContaining({ code: 'AFTERCARE_DECISION_OVERDUE', dueDate: '2026-02-28' }),
      ]);
    });

    it('born 31 December: the deadlines cross the year end', () => {
      const f = foldTransitionFacts(personId, [], true);
      expect(transitionFlags(f, '2008-12-31', '2025-01-30')).toEqual([]);
      expect(transitionFlags(f, '2008-12-31', '2025-01-31')).toEqual([
        expect.objectContaining({ code: 'NOT_STARTED', dueDate: '2025-01-30' }),
      ]);
      expect(transitionFlags(f, '2008-12-31', '2025-04-01').map((flag) => flag.code)).toEqual([
        'NOT_STARTED',
        'YOUTH_PLAN_MISSING',
      ]);
      expect(transitionFlags(f, '2008-12-31', '2025-04-01').map((flag) => flag.dueDate)).toEqual([
        '2025-01-30',
        '2025-03-31',
      ]);
    });
  });

  it('sorts by due date, most urgent first', () => {
    const nothingDone = facts([due], true);
    expect(
      transitionFlags(nothingDone, born, '2026-07-01').map((flag) => [flag.code, flag.dueDate]),
    ).toEqual([
      ['NOT_STARTED', '2024-07-15'],
      ['YOUTH_PLAN_MISSING', '2024-09-15'],
      ['NO_ADULT_CASEWORKER', '2025-06-15'],
      ['AFTERCARE_DECISION_OVERDUE', '2025-12-15'],
      ['DECISION_NOT_READY_AT_18', '2026-06-15'],
    ]);
  });

  it('a closed transition has no flags', () => {
    expect(transitionFlags(facts([due, closed], true), born, '2026-07-01')).toEqual([]);
  });

  it('refuses malformed rules and dates', () => {
    expect(() =>
      transitionFlags(facts([due]), born, '2026-07-01', {
        ...DEFAULT_TRANSITION_RULES,
        notStartedGraceDays: -1,
      }),
    ).toThrow(RangeError);
    expect(() => transitionFlags(facts([due]), born, '2026-7-1')).toThrow(RangeError);
    expect(() => transitionFlags(facts([due]), '2008-02-30', '2026-07-01')).toThrow(RangeError);
  });

  it('foldTransitionFacts keeps the first youth plan and the latest track and caseworker', () => {
    const f = facts([
      due,
      started,
      youthPlan,
      { ...youthPlan, id: 'e-plan-2' },
      placedTrack,
      {
        ...placedTrack,
        id: 'e-track-2',
        data: { personId, track: 'other', note: 'x', chosenAt: at },
      },
      adultCaseworker,
      { ...adultCaseworker, id: 'e-adult-cw-2' },
    ]);
    expect(f.youthPlan?.eventId).toBe('e-plan');
    expect(f.track).toEqual({ eventId: 'e-track-2', at, track: 'other' });
    expect(f.adultCaseworker?.eventId).toBe('e-adult-cw-2');
  });

  it('property: overdue exactly when past the due date, warnings within their window, sorted', () => {
    const day = fc.integer({ min: 0, max: 365 * 4 });
    const stories = fc.subarray([started, placedTrack, adultCaseworker, youthPlan, aftercare]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3650 }),
        day,
        stories,
        fc.boolean(),
        (b, d, story, placed) => {
          const birthDate = addCalendarDays('2000-01-01', b);
          const today = addCalendarDays(addCalendarDays(birthDate, 16 * 365), d);
          const flags = transitionFlags(facts([due, ...story], placed), birthDate, today);
          for (const flag of flags) {
            expect(flag.severity === 'overdue').toBe(today > flag.dueDate);
            expect(flag.code === 'AFTERCARE_DECISION_OVERDUE').toBe(
              flag.code.startsWith('AFTERCARE') && today > flag.dueDate,
            );
          }
          const dueDates = flags.map((flag) => flag.dueDate);
          expect(dueDates).toEqual([...dueDates].sort());
          expect(new Set(flags.map((flag) => flag.code)).size).toBe(flags.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

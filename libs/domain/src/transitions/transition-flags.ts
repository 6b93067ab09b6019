/**
 * Milestones of a transition to adult services, computed at read time against `today` (a
 * Danish calendar date passed in, never read here). Every flag has the date it rests on
 * (`dueDate`: the last day on which the step is on time), the rule behind it and, where there
 * are any, the ids of the events it rests on.
 *
 * Severity: 'overdue' once `today` is after `dueDate`; 'warning' in a window before it, for the
 * steps that have one (the § 111 decision and the adult decision at 18). Steps without a
 * window raise nothing until they are overdue.
 */
import { birthdayInYear, type LeapDayBirthdayRule } from '../shared/age';
import {
  addCalendarDays,
  addCalendarMonths,
  dateParts,
  type IsoDate,
} from '../shared/calendar-dates';
import { assertNever } from '../shared/decider';
import type { IdentifiedTransitionEvent, TransitionTrack } from './transition.events';

export const TRANSITION_FLAG_CODES = [
  'NOT_STARTED',
  'NO_ADULT_CASEWORKER',
  'YOUTH_PLAN_MISSING',
  'AFTERCARE_DECISION_DUE',
  'AFTERCARE_DECISION_OVERDUE',
  'DECISION_NOT_READY_AT_18',
] as const;
export type TransitionFlagCode = (typeof TRANSITION_FLAG_CODES)[number];

export type TransitionFlagSeverity = 'warning' | 'overdue';

/**
 * The numbers. The law's figures (§ 108: 3 months; § 111: 6 months) are defaults that should not
 * need changing; the grace period, the age for an adult caseworker and the warning windows are
 * local policy.
 */
export interface TransitionRules {
  /** Days after the 16th birthday within which the preparation must have started (policy). */
  readonly notStartedGraceDays: number;
  /** The age by which an adult-side caseworker must be assigned (policy). */
  readonly adultCaseworkerByAge: number;
  /** Youth plan for placed youths within this many months of the 16th birthday (§ 108). */
  readonly youthPlanMonthsAfter16: number;
  /** Decision on support after 18 this many months before the 18th birthday (§ 111). */
  readonly aftercareMonthsBefore18: number;
  /** Warn this many months before the § 111 deadline (policy). */
  readonly aftercareWarningMonths: number;
  /** Warn this many months before the 18th birthday without an adult decision (policy). */
  readonly decisionWarningMonthsBefore18: number;
  /** Where a 29 February birthday falls in common years. Default 'march-1'. */
  readonly leapDayBirthday?: LeapDayBirthdayRule;
}

export const DEFAULT_TRANSITION_RULES: TransitionRules = {
  notStartedGraceDays: 30,
  adultCaseworkerByAge: 17,
  youthPlanMonthsAfter16: 3,
  aftercareMonthsBefore18: 6,
  aftercareWarningMonths: 3,
  decisionWarningMonthsBefore18: 3,
  leapDayBirthday: 'march-1',
};

export const TRANSITION_RULE_TEXTS: { readonly [C in TransitionFlagCode]: string } = {
  NOT_STARTED: 'Barnets Lov §§ 122–123',
  NO_ADULT_CASEWORKER: 'Barnets Lov §§ 122–123',
  YOUTH_PLAN_MISSING: 'Barnets Lov § 108',
  AFTERCARE_DECISION_DUE: 'Barnets Lov § 111',
  AFTERCARE_DECISION_OVERDUE: 'Barnets Lov § 111',
  DECISION_NOT_READY_AT_18: 'Barnets Lov §§ 122–123',
};

/** A fact with the event that recorded it. */
export interface TransitionFact {
  readonly eventId: string;
  readonly at: string;
}

export interface TransitionDecisionFact {
  readonly eventId: string;
  readonly decisionId: string;
  readonly effectiveFrom: IsoDate;
}

/**
 * What the flags are computed from. The live projection builds it from its tables, the as-of
 * history with `foldTransitionFacts`; both the same way.
 */
export interface TransitionFacts {
  readonly personId: string;
  /**
   * Placed out of home, known from the person's cases (the app decides which case types mean
   * a placement). The track 'placed-out-of-home-adult-approval' counts as placed too.
   */
  readonly placed: boolean;
  readonly due: (TransitionFact & { readonly sixteenthBirthday: IsoDate }) | null;
  readonly started: TransitionFact | null;
  readonly track: (TransitionFact & { readonly track: TransitionTrack }) | null;
  readonly adultCaseworker: (TransitionFact & { readonly caseworkerId: string }) | null;
  /** The first youth plan (the one the § 108 deadline is about). */
  readonly youthPlan: TransitionFact | null;
  readonly adultDecisions: readonly TransitionDecisionFact[];
  readonly aftercareDecisions: readonly TransitionDecisionFact[];
  readonly handover: TransitionFact | null;
  readonly closed: TransitionFact | null;
}

export interface TransitionFlag {
  readonly code: TransitionFlagCode;
  readonly personId: string;
  /** The last day on which the step is on time ('YYYY-MM-DD'). */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: TransitionFlagSeverity;
  /** The events the flag rests on, sorted (may be empty for a person without a stream yet). */
  readonly eventIds: readonly string[];
}

/** Facts of a person in scope without any transition event yet. */
export function emptyTransitionFacts(personId: string, placed = false): TransitionFacts {
  return {
    personId,
    placed,
    due: null,
    started: null,
    track: null,
    adultCaseworker: null,
    youthPlan: null,
    adultDecisions: [],
    aftercareDecisions: [],
    handover: null,
    closed: null,
  };
}

/** Folds one transition stream (in order, with event ids) into facts. */
export function foldTransitionFacts(
  personId: string,
  events: readonly IdentifiedTransitionEvent[],
  placed = false,
): TransitionFacts {
  let facts = emptyTransitionFacts(personId, placed);
  for (const event of events) {
    const eventId = event.id;
    switch (event.type) {
      case 'TransitionPreparationDue':
        facts = {
          ...facts,
          due: {
            eventId,
            at: event.data.dueAt,
            sixteenthBirthday: event.data.sixteenthBirthday,
          },
        };
        break;
      case 'TransitionPreparationStarted':
        facts = { ...facts, started: { eventId, at: event.data.startedAt } };
        break;
      case 'TransitionTrackChosen':
        facts = { ...facts, track: { eventId, at: event.data.chosenAt, track: event.data.track } };
        break;
      case 'AdultCaseworkerAssigned':
        facts = {
          ...facts,
          adultCaseworker: {
            eventId,
            at: event.data.assignedAt,
            caseworkerId: event.data.caseworkerId,
          },
        };
        break;
      case 'AdultAssessmentStarted':
        break;
      case 'YouthPlanRecorded':
        facts = { ...facts, youthPlan: facts.youthPlan ?? { eventId, at: event.data.recordedAt } };
        break;
      case 'AdultDecisionIssued':
        facts = {
          ...facts,
          adultDecisions: [
            ...facts.adultDecisions,
            { eventId, decisionId: event.data.decisionId, effectiveFrom: event.data.effectiveFrom },
          ],
        };
        break;
      case 'AftercareDecisionIssued':
        facts = {
          ...facts,
          aftercareDecisions: [
            ...facts.aftercareDecisions,
            { eventId, decisionId: event.data.decisionId, effectiveFrom: event.data.effectiveFrom },
          ],
        };
        break;
      case 'HandoverCompleted':
        facts = { ...facts, handover: { eventId, at: event.data.completedAt } };
        break;
      case 'TransitionClosed':
        facts = { ...facts, closed: { eventId, at: event.data.closedAt } };
        break;
      default:
        return assertNever(event);
    }
  }
  return facts;
}

/** Placed out of home: by a fact from the person's cases, or by the chosen track. */
export function isPlacedYouth(facts: TransitionFacts): boolean {
  return facts.placed || facts.track?.track === 'placed-out-of-home-adult-approval';
}

/**
 * The open flags of a transition on `today`, most urgent first (by due date, then overdue before
 * warning, then code). `birthDate` comes from the person registry (the current truth), not from
 * the due event. A closed transition has no flags.
 */
export function transitionFlags(
  facts: TransitionFacts,
  birthDate: IsoDate,
  today: IsoDate,
  rules: TransitionRules = DEFAULT_TRANSITION_RULES,
): TransitionFlag[] {
  checkRules(rules);
  dateParts(today);
  if (facts.closed !== null) return [];
  const age = { leapDayBirthday: rules.leapDayBirthday ?? 'march-1' };
  const sixteen = birthdayInYear(birthDate, 16, age);
  const eighteen = birthdayInYear(birthDate, 18, age);
  const dueIds = facts.due ? [facts.due.eventId] : [];
  const flags: TransitionFlag[] = [];

  /** Raises `code` when `today` is in the warning window or past `dueDate`. */
  const check = (
    code: TransitionFlagCode,
    dueDate: IsoDate,
    warnFrom: IsoDate | null,
    eventIds: readonly string[],
  ): void => {
    const severity: TransitionFlagSeverity | null =
      today > dueDate ? 'overdue' : warnFrom !== null && today >= warnFrom ? 'warning' : null;
    if (severity === null) return;
    flags.push({
      code,
      personId: facts.personId,
      dueDate,
      rule: TRANSITION_RULE_TEXTS[code],
      severity,
      eventIds: [...new Set(eventIds)].sort(),
    });
  };

  if (facts.started === null) {
    check('NOT_STARTED', addCalendarDays(sixteen, rules.notStartedGraceDays), null, dueIds);
  }

  if (facts.adultCaseworker === null) {
    const byDate = birthdayInYear(birthDate, rules.adultCaseworkerByAge, age);
    check('NO_ADULT_CASEWORKER', byDate, null, [...dueIds, ...startedIds(facts)]);
  }

  if (isPlacedYouth(facts)) {
    const placedIds = [...dueIds, ...trackIdsIfPlaced(facts)];
    if (facts.youthPlan === null) {
      check(
        'YOUTH_PLAN_MISSING',
        addCalendarMonths(sixteen, rules.youthPlanMonthsAfter16),
        null,
        placedIds,
      );
    }
    if (facts.aftercareDecisions.length === 0) {
      const deadline = addCalendarMonths(eighteen, -rules.aftercareMonthsBefore18);
      const warnFrom = addCalendarMonths(deadline, -rules.aftercareWarningMonths);
      check(
        today > deadline ? 'AFTERCARE_DECISION_OVERDUE' : 'AFTERCARE_DECISION_DUE',
        deadline,
        warnFrom,
        placedIds,
      );
    }
  }

  if (!facts.adultDecisions.some((decision) => decision.effectiveFrom <= eighteen)) {
    check(
      'DECISION_NOT_READY_AT_18',
      eighteen,
      addCalendarMonths(eighteen, -rules.decisionWarningMonthsBefore18),
      // The decisions there are take effect too late: the flag rests on them as well.
      [...dueIds, ...facts.adultDecisions.map((decision) => decision.eventId)],
    );
  }

  const rank = (severity: TransitionFlagSeverity): number => (severity === 'overdue' ? 0 : 1);
  return flags.sort(
    (a, b) =>
      compare(a.dueDate, b.dueDate) ||
      rank(a.severity) - rank(b.severity) ||
      compare(a.code, b.code),
  );
}

function startedIds(facts: TransitionFacts): string[] {
  return facts.started ? [facts.started.eventId] : [];
}

function trackIdsIfPlaced(facts: TransitionFacts): string[] {
  return facts.track?.track === 'placed-out-of-home-adult-approval' ? [facts.track.eventId] : [];
}

function checkRules(rules: TransitionRules): void {
  const numbers: readonly number[] = [
    rules.notStartedGraceDays,
    rules.adultCaseworkerByAge,
    rules.youthPlanMonthsAfter16,
    rules.aftercareMonthsBefore18,
    rules.aftercareWarningMonths,
    rules.decisionWarningMonthsBefore18,
  ];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError('Transition rules are whole, non-negative numbers');
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

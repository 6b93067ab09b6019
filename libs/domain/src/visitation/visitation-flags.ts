/**
 * A referral waiting too long for the visitation meeting, computed at read time against `today`
 * (a Danish calendar date passed in, never read here).
 */
import { addCalendarDays, dateParts, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever } from '../shared/decider';
import type {
  IdentifiedVisitationEvent,
  VisitationDestination,
  VisitationReasonCode,
} from './visitation.events';

export const VISITATION_FLAG_CODES = ['VISITATION_WAITING'] as const;
export type VisitationFlagCode = (typeof VISITATION_FLAG_CODES)[number];

/** Local policy: no law sets how long a new adult case may wait for visitation. */
export interface VisitationRules {
  /** Calendar days (weekends and holidays count) from the referral's Danish date. */
  readonly waitingDays: number;
}

export const DEFAULT_VISITATION_RULES: VisitationRules = { waitingDays: 14 };

export const VISITATION_RULE_TEXTS: { readonly [C in VisitationFlagCode]: string } = {
  VISITATION_WAITING:
    'Local policy: a new adult case is routed by the weekly visitation meeting within the set number of days',
};

/**
 * What the flags are computed from. The live projection builds it from its tables, the as-of
 * history with `foldReferralFacts`; both the same way.
 */
export interface ReferralFacts {
  readonly referralId: string;
  readonly referred: {
    readonly eventId: string;
    readonly caseId: string;
    readonly personId: string;
    readonly departmentId: string;
    readonly referredAt: string;
  } | null;
  readonly routed: {
    readonly eventId: string;
    readonly destination: VisitationDestination;
    readonly caseworkerId: string | null;
    readonly reasonCode: VisitationReasonCode;
    readonly meetingDate: IsoDate;
    readonly routedAt: string;
  } | null;
  readonly withdrawn: { readonly eventId: string; readonly withdrawnAt: string } | null;
}

export interface ReferralFlag {
  readonly code: VisitationFlagCode;
  readonly referralId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  /** The last day on time ('YYYY-MM-DD'). */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: 'warning' | 'overdue';
  readonly eventIds: readonly string[];
}

export function emptyReferralFacts(referralId: string): ReferralFacts {
  return { referralId, referred: null, routed: null, withdrawn: null };
}

/**
 * Folds one referral stream (in order, with event ids) into facts; from `from` when given, the
 * facts of the events before these.
 */
export function foldReferralFacts(
  referralId: string,
  events: readonly IdentifiedVisitationEvent[],
  from: ReferralFacts | null = null,
): ReferralFacts {
  let facts = from ?? emptyReferralFacts(referralId);
  for (const event of events) {
    const eventId = event.id;
    switch (event.type) {
      case 'CaseReferredToVisitation': {
        const { caseId, personId, departmentId, referredAt } = event.data;
        facts = { ...facts, referred: { eventId, caseId, personId, departmentId, referredAt } };
        break;
      }
      case 'ReferralRouted': {
        const { destination, caseworkerId, reasonCode, meetingDate, routedAt } = event.data;
        facts = {
          ...facts,
          routed: { eventId, destination, caseworkerId, reasonCode, meetingDate, routedAt },
        };
        break;
      }
      case 'ReferralWithdrawn':
        facts = { ...facts, withdrawn: { eventId, withdrawnAt: event.data.withdrawnAt } };
        break;
      default:
        return assertNever(event);
    }
  }
  return facts;
}

/** The last day a referral made at `referredAt` (an instant) is on time. */
export function visitationDueDate(
  referredAt: string,
  rules: VisitationRules = DEFAULT_VISITATION_RULES,
): IsoDate {
  checkRules(rules);
  const referred = new Date(referredAt);
  if (Number.isNaN(referred.getTime())) throw new RangeError('Expected an ISO instant');
  return addCalendarDays(copenhagenDateOf(referred), rules.waitingDays);
}

/**
 * VISITATION_WAITING (overdue) while the referral is neither routed nor withdrawn and `today`
 * is after the Danish date of the referral plus `waitingDays` calendar days.
 */
export function referralFlags(
  facts: ReferralFacts,
  today: IsoDate,
  rules: VisitationRules = DEFAULT_VISITATION_RULES,
): ReferralFlag[] {
  checkRules(rules);
  dateParts(today);
  const referred = facts.referred;
  if (referred === null || facts.routed !== null || facts.withdrawn !== null) return [];
  const dueDate = visitationDueDate(referred.referredAt, rules);
  if (today <= dueDate) return [];
  return [
    {
      code: 'VISITATION_WAITING',
      referralId: facts.referralId,
      caseId: referred.caseId,
      personId: referred.personId,
      departmentId: referred.departmentId,
      dueDate,
      rule: VISITATION_RULE_TEXTS.VISITATION_WAITING,
      severity: 'overdue',
      eventIds: [referred.eventId],
    },
  ];
}

function checkRules(rules: VisitationRules): void {
  if (!Number.isSafeInteger(rules.waitingDays) || rules.waitingDays < 0) {
    throw new RangeError('Visitation rules are whole, non-negative numbers');
  }
}

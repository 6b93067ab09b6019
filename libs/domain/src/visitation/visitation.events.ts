import { eventUnion } from '../shared/event-types';
/**
 * The weekly visitation meeting (Slagelse, 2021: Tuesdays in the disability-and-psychiatry
 * centre with the health-and-elderly centre and the jobcenter) routes each new adult case to one
 * destination. One stream per referral: `visitation-<referralId>`.
 *
 * Events carry internal ids and codes; a routing note is short and never holds a CPR number.
 * Times ending in `At` are instants (ISO 8601, UTC); dates are days on the Danish calendar.
 */
import type { IsoDate } from '../shared/calendar-dates';

export const visitationStream = (referralId: string): string => `visitation-${referralId}`;

/**
 * Where the meeting sends a case: a focus course; a caseworker (clearly in the target group),
 * assigned there and then; visitation in the health-and-elderly centre (CSÆ); the youth unit.
 */
export const VISITATION_DESTINATIONS = [
  'focus-course',
  'caseworker',
  'csae-visitation',
  'youth-unit',
] as const;
export type VisitationDestination = (typeof VISITATION_DESTINATIONS)[number];

/** Why the meeting chose the destination; 'other' needs a note. */
export const VISITATION_REASON_CODES = [
  'clearly-in-target-group',
  'needs-clarification',
  'care-or-health-needs',
  'young-adult',
  'other',
] as const;
export type VisitationReasonCode = (typeof VISITATION_REASON_CODES)[number];

export interface CaseReferredToVisitation {
  readonly type: 'CaseReferredToVisitation';
  readonly data: {
    readonly referralId: string;
    readonly caseId: string;
    readonly personId: string;
    /** The department that referred the case. */
    readonly departmentId: string;
    readonly referredAt: string;
  };
}

/** Final for the referral. */
export interface ReferralRouted {
  readonly type: 'ReferralRouted';
  readonly data: {
    readonly referralId: string;
    readonly destination: VisitationDestination;
    /** Set exactly when the destination is 'caseworker'. */
    readonly caseworkerId: string | null;
    readonly reasonCode: VisitationReasonCode;
    /** At most SHORT_TEXT_MAX_LENGTH characters; never a CPR number. */
    readonly note?: string;
    /** The visitation meeting that routed it. */
    readonly meetingDate: IsoDate;
    readonly routedAt: string;
  };
}

/** Final for the referral. */
export interface ReferralWithdrawn {
  readonly type: 'ReferralWithdrawn';
  readonly data: {
    readonly referralId: string;
    readonly reason: string;
    readonly withdrawnAt: string;
  };
}

export type VisitationEvent = CaseReferredToVisitation | ReferralRouted | ReferralWithdrawn;

/** A visitation event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedVisitationEvent = VisitationEvent & { readonly id: string };

export const VISITATION_EVENTS = eventUnion<VisitationEvent>({
  CaseReferredToVisitation: true,
  ReferralRouted: true,
  ReferralWithdrawn: true,
});
export const VISITATION_EVENT_TYPES = VISITATION_EVENTS.types;
export const isVisitationEvent = VISITATION_EVENTS.is;

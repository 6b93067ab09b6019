import type { CaseworkerFacts } from '../caseworkers/caseworker.decider';
import type { IsoDate } from '../shared/calendar-dates';
import type { VisitationDestination, VisitationReasonCode } from './visitation.events';

/**
 * Commands on one referral's stream. `now` is the time of the request (read by the caller). The
 * optional `…At` is when it actually happened (e.g. routed at Tuesday's meeting, recorded on
 * Wednesday); it defaults to `now` and may not be after it.
 */

export interface ReferToVisitation {
  readonly type: 'ReferToVisitation';
  readonly referralId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly referredAt?: Date;
  readonly now: Date;
}

export interface RouteReferral {
  readonly type: 'RouteReferral';
  readonly referralId: string;
  readonly destination: VisitationDestination;
  /** Looked up by the handler: required (and active) exactly for destination 'caseworker'. */
  readonly caseworker: CaseworkerFacts | null;
  readonly reasonCode: VisitationReasonCode;
  /** Required for reason 'other'. Short free text: no names or CPR numbers. */
  readonly note?: string;
  /** The meeting's day: not before the referral's day, not after the routing's. */
  readonly meetingDate: IsoDate;
  readonly routedAt?: Date;
  readonly now: Date;
}

export interface WithdrawReferral {
  readonly type: 'WithdrawReferral';
  readonly referralId: string;
  /** Short free text: no names or CPR numbers. */
  readonly reason: string;
  readonly withdrawnAt?: Date;
  readonly now: Date;
}

export type VisitationCommand = ReferToVisitation | RouteReferral | WithdrawReferral;

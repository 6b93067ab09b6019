import { ConflictException, NotFoundException } from '@nestjs/common';
import {
  isVisitationEvent,
  visitationDecider,
  visitationStream,
  type CaseCommand,
  type CaseState,
  type CaseworkerFacts,
} from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';
import { CASES } from '../cases/case.commands';
import { CASE_CLOSED, loadOpenCaseFacts } from '../cases/case-facts';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { aggregateStream } from '../shared/aggregate-stream';
import type { HappenedAtDto } from '../http/happened-at.dto';
import { streamKind } from '../shared/command-runner';
import type { RouteReferralDto, WithdrawReferralDto } from './visitation.dto';
import type { VisitationQueries } from './visitation.queries';

export const REFERRALS = streamKind(visitationStream, visitationDecider, isVisitationEvent);

export const REFERRAL_NOT_FOUND = {
  code: 'VISITATION.NOT_FOUND',
  message: 'No referral with this id',
} as const;

const caseState = async (store: EventStore, caseId: string) =>
  (await aggregateStream(store, CASES.streamOf(caseId), CASES.decider, CASES.reading)).state;

/**
 * Routing to a caseworker gives them the referral's case: the case (from the referral's own
 * stream, not a stale view) must be open, and the case's decider must accept the assignment
 * dated `at` (e.g. not before the case's latest caseworker step), checked before anything is
 * recorded, not halfway.
 */
export async function caseworkerAssignmentOf(
  store: EventStore,
  referralId: string,
  caseworkerId: string,
  { at, now }: { at: Date | undefined; now: Date },
): Promise<{ caseId: string; caseworker: CaseworkerFacts }> {
  const { state } = await aggregateStream(
    store,
    REFERRALS.streamOf(referralId),
    REFERRALS.decider,
    REFERRALS.reading,
  );
  if (state.referral === null) throw new NotFoundException(REFERRAL_NOT_FOUND);
  const caseId = state.referral.caseId;
  const current = await caseState(store, caseId);
  if (current.status === 'closed') throw new ConflictException(CASE_CLOSED);
  const caseworker = await loadCaseworkerFacts(store, caseworkerId);
  // A time a little ahead (within the clock skew) counts as now, as the runner will take it.
  const dated = at !== undefined && at.getTime() > now.getTime() ? now : at;
  CASES.decider.decide(caseCommandFor(current, caseId, caseworker, dated, now), current);
  return { caseId, caseworker };
}

/**
 * Assign when the case has no caseworker (the same caseworker again records nothing), else
 * change; the citizen is told later (POST /cases/:caseId/caseworker/told).
 */
function caseCommandFor(
  state: CaseState,
  caseId: string,
  caseworker: CaseworkerFacts,
  at: Date | undefined,
  now: Date,
): CaseCommand {
  const current = state.status === 'open' ? state.caseworkerId : null;
  return current === null || current === caseworker.caseworkerId
    ? { type: 'AssignCaseworker', caseId, caseworker, at, now }
    : {
        type: 'ChangeCaseworker',
        caseId,
        to: caseworker,
        reason: 'visitation',
        citizenTold: null,
        at,
        now,
      };
}

/** The case given to the caseworker when the routing happened (`at`, default now). */
export const giveCaseTo = (caseId: string, caseworker: CaseworkerFacts, at: Date | undefined) =>
  CASES.on(caseId, async ({ store, now }) =>
    caseCommandFor(await caseState(store, caseId), caseId, caseworker, at, now),
  );

/**
 * A referral of an open case (its person and department from the case's stream); a case has at
 * most one referral waiting (409 naming it), which the queue's read model answers.
 */
export const referToVisitation = (
  referralId: string,
  caseId: string,
  body: HappenedAtDto,
  queue: VisitationQueries,
) =>
  REFERRALS.on(referralId, async ({ store, now }) => {
    const facts = await loadOpenCaseFacts(store, caseId);
    const waiting = await queue.waitingReferralOf(caseId);
    if (waiting !== null) {
      throw new ConflictException({
        code: 'VISITATION.ALREADY_WAITING',
        message: 'The case has a referral waiting for the visitation meeting',
        details: { referralId: waiting },
      });
    }
    return {
      type: 'ReferToVisitation',
      referralId,
      caseId,
      personId: facts.personId,
      departmentId: facts.departmentId,
      referredAt: body.at,
      now,
    };
  });

/**
 * The routing; to a caseworker, `routing.assignment` names the case and the caseworker who is to
 * have it (checked in preparation, before anything is recorded), for `giveCaseTo` afterwards.
 */
export function routeReferral(referralId: string, body: RouteReferralDto) {
  const routing: {
    assignment: { caseId: string; caseworker: CaseworkerFacts; at: Date | undefined } | null;
  } = { assignment: null };
  const pending = REFERRALS.on(referralId, async ({ store, now }) => {
    if (body.destination === 'caseworker' && body.caseworkerId) {
      const assignment = await caseworkerAssignmentOf(store, referralId, body.caseworkerId, {
        at: body.at,
        now,
      });
      routing.assignment = { ...assignment, at: body.at };
    }
    return {
      type: 'RouteReferral',
      referralId,
      destination: body.destination,
      caseworker: routing.assignment?.caseworker ?? null,
      reasonCode: body.reasonCode,
      note: body.note,
      meetingDate: body.meetingDate,
      routedAt: body.at,
      now,
    };
  });
  return { pending, routing };
}

export const withdrawReferral = (referralId: string, body: WithdrawReferralDto) =>
  REFERRALS.on(referralId, ({ now }) => ({
    type: 'WithdrawReferral',
    referralId,
    reason: body.reason,
    withdrawnAt: body.at,
    now,
  }));

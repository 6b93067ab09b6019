import { ConflictException, NotFoundException } from '@nestjs/common';
import {
  isVisitationEvent,
  visitationDecider,
  visitationStream,
  type CaseworkerFacts,
} from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';
import { CASES } from '../cases/case.commands';
import { CASE_CLOSED } from '../cases/case-facts';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { aggregateStream } from '../shared/aggregate-stream';
import { streamKind } from '../shared/command-runner';

export const REFERRALS = streamKind(visitationStream, visitationDecider, isVisitationEvent);

export const REFERRAL_NOT_FOUND = {
  code: 'VISITATION.NOT_FOUND',
  message: 'No referral with this id',
} as const;

const caseState = async (store: EventStore, caseId: string) =>
  (await aggregateStream(store, CASES.streamOf(caseId), CASES.decider, CASES.reading)).state;

/**
 * Routing to a caseworker gives them the referral's case: the case (from the referral's own
 * stream, not a stale view) must be open, checked before anything is recorded, not halfway.
 */
export async function caseworkerAssignmentOf(
  store: EventStore,
  referralId: string,
  caseworkerId: string,
): Promise<{ caseId: string; caseworker: CaseworkerFacts }> {
  const { state } = await aggregateStream(
    store,
    REFERRALS.streamOf(referralId),
    REFERRALS.decider,
    REFERRALS.reading,
  );
  if (state.referral === null) throw new NotFoundException(REFERRAL_NOT_FOUND);
  const caseId = state.referral.caseId;
  if ((await caseState(store, caseId)).status === 'closed') {
    throw new ConflictException(CASE_CLOSED);
  }
  return { caseId, caseworker: await loadCaseworkerFacts(store, caseworkerId) };
}

/**
 * Assign when the case has no caseworker (the same caseworker again records nothing), else
 * change; the citizen is told later (POST /cases/:caseId/caseworker/told).
 */
export const giveCaseTo = (caseId: string, caseworker: CaseworkerFacts) =>
  CASES.on(caseId, async ({ store, now }) => {
    const state = await caseState(store, caseId);
    const current = state.status === 'open' ? state.caseworkerId : null;
    return current === null || current === caseworker.caseworkerId
      ? { type: 'AssignCaseworker', caseId, caseworker, now }
      : {
          type: 'ChangeCaseworker',
          caseId,
          to: caseworker,
          reason: 'visitation',
          citizenTold: null,
          now,
        };
  });

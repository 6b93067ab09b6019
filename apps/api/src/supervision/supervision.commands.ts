import {
  InvalidCommandError,
  isSupervisionEvent,
  supervisionDecider,
  supervisionStream,
} from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';
import type { CaseworkQueries } from '../casework/casework.queries';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { requireDepartment } from '../departments/departments';
import { checkedEvents } from '../shared/aggregate-stream';
import { streamKind } from '../shared/command-runner';
import type { DrawSampleDto, RecordReviewDto } from './supervision.dto';
import type { SupervisionQueries } from './supervision.queries';

export const SUPERVISION_SAMPLES = streamKind(
  supervisionStream,
  supervisionDecider,
  isSupervisionEvent,
);

/** Drawn by or reviewed by someone who is not a known caseworker: refused like a bad field. */
export async function requireCaseworker(
  store: EventStore,
  caseworkerId: string,
  field: string,
): Promise<void> {
  const facts = await loadCaseworkerFacts(store, caseworkerId);
  if (!facts.registered) {
    throw new InvalidCommandError('CASEWORKER.UNKNOWN', `${field} names no caseworker`, { field });
  }
}

/** Where a draw finds its candidates: the casework read model, caught up to the caller's write. */
export interface SampleCandidates {
  readonly casework: CaseworkQueries;
  readonly queries: SupervisionQueries;
  readonly waitForPosition: string | undefined;
}

/**
 * A sample of the department's open cases, drawn by a known caseworker from today's candidates
 * (the read model, after it has caught up to `waitForPosition`). Drawing is the system's act at
 * the time of the request, so it takes no `at`.
 */
export const drawSample = (
  sampleId: string,
  seed: string,
  body: DrawSampleDto,
  { casework, queries, waitForPosition }: SampleCandidates,
) =>
  SUPERVISION_SAMPLES.on(sampleId, async ({ store, manager, now }) => {
    await requireDepartment(manager, body.departmentId);
    await requireCaseworker(store, body.drawnBy, 'drawnBy');
    await casework.catchUp(waitForPosition);
    return {
      type: 'DrawSample',
      sampleId,
      departmentId: body.departmentId,
      candidates: await queries.candidates(body.departmentId),
      size: body.size,
      seed,
      drawnBy: body.drawnBy,
      now,
    };
  });

/** The cases as the decider drew and recorded them. */
export async function drawnCaseIds(
  store: EventStore,
  sampleId: string,
): Promise<readonly string[]> {
  const [drawn] = checkedEvents(
    await store.readStream(SUPERVISION_SAMPLES.streamOf(sampleId)),
    SUPERVISION_SAMPLES.reading,
  );
  return drawn?.type === 'SupervisionSampleDrawn' ? drawn.data.caseIds : [];
}

/** The reviewer must be a known caseworker. */
export const recordReview = (sampleId: string, body: RecordReviewDto) =>
  SUPERVISION_SAMPLES.on(sampleId, async ({ store, now }) => {
    await requireCaseworker(store, body.reviewerId, 'reviewerId');
    return {
      type: 'RecordReview',
      sampleId,
      caseId: body.caseId,
      reviewerId: body.reviewerId,
      // The decider checks the answers and keeps exactly the guide's questions.
      answers: { ...body.answers },
      reviewedAt: body.at,
      now,
    };
  });

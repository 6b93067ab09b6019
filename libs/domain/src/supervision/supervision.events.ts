import { eventUnion } from '../shared/event-types';
/**
 * Management supervision (ledelsestilsyn) of a team's cases: a risk-weighted random sample is
 * drawn, and each case in it is reviewed against the question guide. One stream per sample:
 * `supervision-<sampleId>`.
 *
 * Events carry internal ids and answer codes only: a reviewer's comments on a case are personal
 * data and stay out. Times ending in `At` are instants (ISO 8601, UTC).
 */
import type { SupervisionAnswers } from './supervision-questions';

export const supervisionStream = (sampleId: string): string => `supervision-${sampleId}`;

export interface SupervisionSampleDrawn {
  readonly type: 'SupervisionSampleDrawn';
  readonly data: {
    readonly sampleId: string;
    readonly departmentId: string;
    /** With the same candidates, `drawSupervisionSample(candidates, size, seed)` redraws it. */
    readonly seed: string;
    /** The size asked for; fewer cases are drawn when there are fewer candidates. */
    readonly size: number;
    /** The drawn cases, in draw order. */
    readonly caseIds: readonly string[];
    readonly drawnAt: string;
    /** The manager (or caseworker) who drew it. */
    readonly drawnBy: string;
  };
}

/** A review of one case in the sample; a later review of the same case replaces it. */
export interface SupervisionReviewRecorded {
  readonly type: 'SupervisionReviewRecorded';
  readonly data: {
    readonly sampleId: string;
    readonly caseId: string;
    readonly reviewerId: string;
    readonly answers: SupervisionAnswers;
    readonly reviewedAt: string;
  };
}

export type SupervisionEvent = SupervisionSampleDrawn | SupervisionReviewRecorded;

/** A supervision event with its stored event id. */
export type IdentifiedSupervisionEvent = SupervisionEvent & { readonly id: string };

export const SUPERVISION_EVENTS = eventUnion<SupervisionEvent>({
  SupervisionSampleDrawn: true,
  SupervisionReviewRecorded: true,
});
export const SUPERVISION_EVENT_TYPES = SUPERVISION_EVENTS.types;
export const isSupervisionEvent = SUPERVISION_EVENTS.is;

import type { SupervisionAnswers } from './supervision-questions';
import type { SupervisionCandidate } from './supervision-sample';

/**
 * Commands on one supervision sample's stream. `now` is the time of the request (the clock is
 * read by the caller, never here).
 */

export interface DrawSample {
  readonly type: 'DrawSample';
  readonly sampleId: string;
  readonly departmentId: string;
  /** The team's cases with their open flag counts (loaded by the handler). */
  readonly candidates: readonly SupervisionCandidate[];
  readonly size: number;
  /** Chosen by the caller (e.g. a random UUID); recorded so the draw can be repeated. */
  readonly seed: string;
  readonly drawnBy: string;
  readonly now: Date;
}

export interface RecordReview {
  readonly type: 'RecordReview';
  readonly sampleId: string;
  readonly caseId: string;
  readonly reviewerId: string;
  readonly answers: SupervisionAnswers;
  readonly reviewedAt?: Date;
  readonly now: Date;
}

export type SupervisionCommand = DrawSample | RecordReview;

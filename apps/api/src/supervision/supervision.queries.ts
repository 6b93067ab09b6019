import { Inject, Injectable } from '@nestjs/common';
import {
  reviewSummary,
  type SupervisionAnswers,
  type SupervisionCandidate,
  type SupervisionReviewSummary,
} from '@tovholder/domain';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { CaseworkQueries } from '../casework/casework.queries';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { waitForPosition } from '../projections/read-after-write';
import { SUPERVISION_PROJECTOR } from './supervision.projector';

export interface SampleView {
  readonly sample: {
    readonly sampleId: string;
    readonly departmentId: string;
    readonly seed: string;
    readonly size: number;
    readonly caseIds: string[];
    readonly drawnAt: string;
    readonly drawnBy: string;
  };
  readonly reviews: {
    readonly caseId: string;
    readonly reviewerId: string;
    readonly answers: SupervisionAnswers;
    readonly reviewedAt: string;
  }[];
  readonly reviewSummary: SupervisionReviewSummary;
}

/** All of today's flags of a department: the list is cut into pages only for people. */
const ALL_FLAGS = Number.MAX_SAFE_INTEGER;

@Injectable()
export class SupervisionQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    private readonly casework: CaseworkQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(
      this.watcher,
      [SUPERVISION_PROJECTOR],
      position,
      this.config.readWaitMaxMs,
    );
  }

  /**
   * The department's open cases, each with the number of today's flags on its open duties.
   * The candidate set is today's: redrawing a sample later with its seed gives the same cases
   * only from the same candidates (an audit keeps them, or redraws the same day).
   */
  async candidates(departmentId: string): Promise<SupervisionCandidate[]> {
    const rows = await this.dataSource.query<{ case_id: string }[]>(
      `SELECT case_id FROM casework_cases
        WHERE department_id = $1 AND closed_at IS NULL ORDER BY case_id`,
      [departmentId],
    );
    const flags = await this.casework.flags({ departmentId }, ALL_FLAGS, 0);
    const flagCounts = new Map<string, number>();
    for (const flag of flags.items) {
      if (flag.caseId !== null) flagCounts.set(flag.caseId, (flagCounts.get(flag.caseId) ?? 0) + 1);
    }
    return rows.map((row) => ({
      caseId: row.case_id,
      flagCount: flagCounts.get(row.case_id) ?? 0,
    }));
  }

  async sample(sampleId: string): Promise<SampleView | null> {
    const [sample] = await this.dataSource.query<
      {
        department_id: string;
        seed: string;
        size: number;
        case_ids: string[];
        drawn_at: Date;
        drawn_by: string;
      }[]
    >(
      `SELECT department_id, seed, size, case_ids, drawn_at, drawn_by
         FROM supervision_samples WHERE sample_id = $1`,
      [sampleId],
    );
    if (!sample) return null;
    const reviews = await this.dataSource.query<
      { case_id: string; reviewer_id: string; answers: SupervisionAnswers; reviewed_at: Date }[]
    >(
      `SELECT case_id, reviewer_id, answers, reviewed_at FROM supervision_reviews
        WHERE sample_id = $1 ORDER BY reviewed_at, case_id`,
      [sampleId],
    );
    const views = reviews.map((review) => ({
      caseId: review.case_id,
      reviewerId: review.reviewer_id,
      answers: review.answers,
      reviewedAt: review.reviewed_at.toISOString(),
    }));
    return {
      sample: {
        sampleId,
        departmentId: sample.department_id,
        seed: sample.seed,
        size: sample.size,
        caseIds: sample.case_ids,
        drawnAt: sample.drawn_at.toISOString(),
        drawnBy: sample.drawn_by,
      },
      reviews: views,
      reviewSummary: reviewSummary(views),
    };
  }
}

import { isSupervisionEvent, SUPERVISION_EVENT_TYPES } from '@tovholder/domain';
import type { ProjectionEvent } from '@tovholder/event-store';
import { upsertRows, type Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { identifiedEvents } from '../shared/aggregate-stream';

export const SUPERVISION_PROJECTOR = 'supervision';

const SAMPLE_COLUMNS = {
  sample_id: 'uuid',
  department_id: 'text',
  seed: 'text',
  size: 'integer',
  case_ids: 'jsonb',
  drawn_at: 'timestamptz',
  drawn_by: 'uuid',
} as const;

interface ReviewRow {
  sample_id: string;
  case_id: string;
  reviewer_id: string;
  answers: unknown;
  reviewed_at: string;
}

/** Samples as drawn and the current review of each sampled case (for the sample and the figures). */
export class SupervisionProjector implements Projector {
  readonly name = SUPERVISION_PROJECTOR;
  readonly tables = ['supervision_samples', 'supervision_reviews'];
  readonly queryOnlyIndexes = ['supervision_reviews_department'];

  handles(event: ProjectionEvent): boolean {
    return SUPERVISION_EVENT_TYPES.has(event.type);
  }

  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return this.applyBatch([event], manager);
  }

  /**
   * Set-based: the batch's first draw of each sample (a replayed draw changes nothing) and last
   * review of each sampled case (a second review replaces the first), each table written once.
   */
  async applyBatch(batch: readonly ProjectionEvent[], manager: EntityManager): Promise<void> {
    const samples = new Map<string, Record<keyof typeof SAMPLE_COLUMNS, unknown>>();
    const reviews = new Map<string, ReviewRow>();
    for (const event of identifiedEvents(batch, isSupervisionEvent)) {
      if (event.type === 'SupervisionSampleDrawn') {
        if (samples.has(event.data.sampleId)) continue;
        samples.set(event.data.sampleId, {
          sample_id: event.data.sampleId,
          department_id: event.data.departmentId,
          seed: event.data.seed,
          size: event.data.size,
          case_ids: event.data.caseIds,
          drawn_at: event.data.drawnAt,
          drawn_by: event.data.drawnBy,
        });
      } else {
        reviews.set(`${event.data.sampleId}:${event.data.caseId}`, {
          sample_id: event.data.sampleId,
          case_id: event.data.caseId,
          reviewer_id: event.data.reviewerId,
          answers: event.data.answers,
          reviewed_at: event.data.reviewedAt,
        });
      }
    }
    await upsertRows(manager, 'supervision_samples', SAMPLE_COLUMNS, [...samples.values()], {
      key: ['sample_id'],
    });
    if (reviews.size === 0) return;
    // The sample's stream holds the draw before any review, so its row is there by now; the
    // department is the sample's.
    await manager.query(
      `INSERT INTO supervision_reviews
         (sample_id, case_id, department_id, reviewer_id, answers, reviewed_at)
       SELECT x.sample_id, x.case_id, s.department_id, x.reviewer_id, x.answers, x.reviewed_at
         FROM jsonb_to_recordset($1::jsonb) AS x(sample_id uuid, case_id uuid, reviewer_id uuid,
                                                 answers jsonb, reviewed_at timestamptz)
         JOIN supervision_samples s ON s.sample_id = x.sample_id
       ON CONFLICT (sample_id, case_id) DO UPDATE SET
         reviewer_id = EXCLUDED.reviewer_id, answers = EXCLUDED.answers,
         reviewed_at = EXCLUDED.reviewed_at`,
      [JSON.stringify([...reviews.values()])],
    );
  }
}

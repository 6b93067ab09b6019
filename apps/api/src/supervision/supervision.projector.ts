import { isSupervisionEvent, SUPERVISION_EVENT_TYPES } from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import type { Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { identifiedEvent } from '../shared/aggregate-stream';

export const SUPERVISION_PROJECTOR = 'supervision';

/** Samples as drawn and the current review of each sampled case (for the sample and the figures). */
export class SupervisionProjector implements Projector {
  readonly name = SUPERVISION_PROJECTOR;
  readonly tables = ['supervision_samples', 'supervision_reviews'];

  handles(event: RecordedEvent): boolean {
    return SUPERVISION_EVENT_TYPES.has(event.type);
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = identifiedEvent(recorded, isSupervisionEvent);
    switch (event.type) {
      case 'SupervisionSampleDrawn': {
        const d = event.data;
        await manager.query(
          `INSERT INTO supervision_samples
             (sample_id, department_id, seed, size, case_ids, drawn_at, drawn_by)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) ON CONFLICT DO NOTHING`,
          [
            d.sampleId,
            d.departmentId,
            d.seed,
            d.size,
            JSON.stringify(d.caseIds),
            d.drawnAt,
            d.drawnBy,
          ],
        );
        return;
      }
      case 'SupervisionReviewRecorded': {
        const d = event.data;
        // The sample's stream holds the draw before any review, so its row is there already.
        await manager.query(
          `INSERT INTO supervision_reviews
             (sample_id, case_id, department_id, reviewer_id, answers, reviewed_at)
           SELECT $1, $2, department_id, $3, $4::jsonb, $5
             FROM supervision_samples WHERE sample_id = $1
           ON CONFLICT (sample_id, case_id) DO UPDATE SET
             reviewer_id = EXCLUDED.reviewer_id, answers = EXCLUDED.answers,
             reviewed_at = EXCLUDED.reviewed_at`,
          [d.sampleId, d.caseId, d.reviewerId, JSON.stringify(d.answers), d.reviewedAt],
        );
        return;
      }
    }
  }
}

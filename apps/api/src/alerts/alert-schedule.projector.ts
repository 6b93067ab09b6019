import type { RecordedEvent } from '@tovholder/event-store';
import type { Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { dutyOfEvent, type RecordEvent } from '../casework/duty-kinds';

export const ALERT_SCHEDULE_PROJECTOR = 'alert-schedule';

/**
 * Keeps each duty record's events and marks it changed, so the alert run judges exactly the
 * records an event touched; the run itself sets the next moment time alone changes the flags
 * (`next_due_at`, which depends on the clock and so is not the projection's to compute). A
 * rebuild marks every record changed: the run judges them again and, the ids being
 * deterministic, raises nothing twice.
 */
export class AlertScheduleProjector implements Projector {
  readonly name = ALERT_SCHEDULE_PROJECTOR;
  readonly tables = ['alert_schedule'];

  handles(event: RecordedEvent): boolean {
    return dutyOfEvent(event.type) !== null;
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const duty = dutyOfEvent(recorded.type);
    if (!duty) return;
    const event: RecordEvent = { id: recorded.id, type: recorded.type, data: recorded.data };
    const recordId = duty.recordIdOf(event);
    // Appends unless the event is there already (a replay after a crash).
    await manager.query(
      `INSERT INTO alert_schedule AS s (kind, record_id, events, version, changed)
       VALUES ($1, $2, jsonb_build_array($3::jsonb), 1, true)
       ON CONFLICT (kind, record_id) DO UPDATE
         SET events = s.events || jsonb_build_array($3::jsonb), version = s.version + 1, changed = true
         WHERE NOT s.events @> jsonb_build_array(jsonb_build_object('id', $4::text))`,
      [duty.kind, recordId, JSON.stringify(event), event.id],
    );
  }
}

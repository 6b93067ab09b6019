import { TRANSITION_EVENT_TYPES, type TransitionEvent } from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import type { Projector } from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';

export const TRANSITIONS_PROJECTOR = 'transitions';

/** Keeps each young person's transition events together; flags are computed when read. */
export class TransitionStreamsProjector implements Projector {
  readonly name = TRANSITIONS_PROJECTOR;
  readonly tables = ['transition_streams'];

  handles(event: RecordedEvent): boolean {
    return TRANSITION_EVENT_TYPES.has(event.type);
  }

  async apply(recorded: RecordedEvent, manager: EntityManager): Promise<void> {
    const event = recorded as unknown as TransitionEvent;
    const entry = JSON.stringify([{ id: recorded.id, type: event.type, data: event.data }]);
    await manager.query(
      // The birth date comes from the registry, as on coordination_cases, for the age-window lists.
      `INSERT INTO transition_streams (person_id, events, track, closed, birth_date)
       VALUES ($1, $2::jsonb, $3, $4, (SELECT birth_date FROM persons WHERE person_id = $1))
       ON CONFLICT (person_id) DO UPDATE
         SET events = transition_streams.events || EXCLUDED.events,
             track = coalesce(EXCLUDED.track, transition_streams.track),
             closed = transition_streams.closed OR EXCLUDED.closed
       WHERE NOT transition_streams.events @> jsonb_build_array(jsonb_build_object('id', $5::text))`,
      [
        event.data.personId,
        entry,
        event.type === 'TransitionTrackChosen' ? event.data.track : null,
        event.type === 'TransitionClosed',
        recorded.id,
      ],
    );
  }
}

import { isTransitionEvent, TRANSITION_EVENT_TYPES } from '@tovholder/domain';
import type { ProjectionEvent } from '@tovholder/event-store';
import {
  applyEvents,
  sliceBy,
  upsertRowsWrite,
  type ArrayWrite,
  type Projector,
} from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { identifiedEvents } from '../shared/aggregate-stream';

export const TRANSITIONS_PROJECTOR = 'transitions';

interface StreamEntry {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
}

interface StreamRow {
  person_id: string;
  events: StreamEntry[];
  track: string | null;
  closed: boolean;
}

/** Keeps each young person's transition events together; flags are computed when read. */
export class TransitionStreamsProjector implements Projector {
  readonly name = TRANSITIONS_PROJECTOR;
  readonly tables = ['transition_streams'];
  readonly queryOnlyIndexes = ['transition_streams_birth_date'];

  handles(event: ProjectionEvent): boolean {
    return TRANSITION_EVENT_TYPES.has(event.type);
  }

  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return applyEvents(this, [event], manager);
  }

  /** One write: the live runner sends it with the checkpoint's move as one statement. */
  async batchWrites(
    recorded: readonly ProjectionEvent[],
    manager: EntityManager,
  ): Promise<(ArrayWrite | null)[]> {
    const byPerson = sliceBy(identifiedEvents(recorded, isTransitionEvent), (e) => e.data.personId);
    const stored = await manager.query<StreamRow[]>(
      'SELECT person_id, events, track, closed FROM transition_streams WHERE person_id = ANY($1::uuid[])',
      [[...byPerson.keys()]],
    );
    const rows = new Map(stored.map((row) => [row.person_id, row]));
    const changed: StreamRow[] = [];
    for (const [personId, slice] of byPerson) {
      const row = rows.get(personId) ?? {
        person_id: personId,
        events: [],
        track: null,
        closed: false,
      };
      const seen = new Set(row.events.map((e) => e.id));
      let touched = false;
      for (const recordedEvent of slice) {
        if (seen.has(recordedEvent.id)) continue; // replayed after a crash
        const event = recordedEvent;
        seen.add(recordedEvent.id);
        row.events = [...row.events, { id: recordedEvent.id, type: event.type, data: event.data }];
        if (event.type === 'TransitionTrackChosen') row.track = event.data.track;
        if (event.type === 'TransitionClosed') row.closed = true;
        touched = true;
      }
      if (touched) changed.push(row);
    }
    return [
      upsertRowsWrite(
        'transition_streams',
        { person_id: 'uuid', events: 'jsonb', track: 'text', closed: 'boolean' },
        changed,
        {
          key: ['person_id'],
          update: ['events', 'track', 'closed'],
          // The birth date comes from the registry, as on coordination_cases, for the age-window lists.
          computed: {
            birth_date: '(SELECT birth_date FROM persons p WHERE p.person_id = x.person_id)',
          },
        },
      ),
    ];
  }
}

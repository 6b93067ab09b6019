import type { EventStore } from '@tovholder/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import { ParkedEventEntity } from './parked-event.entity';
import { describeError } from './projection-runner';
import { applyEvents, type Projector } from './projector';

export async function listParkedEvents(
  manager: EntityManager,
  projector?: string,
): Promise<ParkedEventEntity[]> {
  return manager.find(ParkedEventEntity, {
    where: projector ? { projector } : {},
    order: { id: 'ASC' },
  });
}

export async function countParkedEvents(manager: EntityManager): Promise<number> {
  return manager.count(ParkedEventEntity);
}

export type ReplayOutcome =
  | { readonly outcome: 'applied' }
  | { readonly outcome: 'failed'; readonly reason: string }
  | { readonly outcome: 'not_found' };

/**
 * Applies a parked event again (after a fix) and removes it from the parking lot. The checkpoint
 * is not touched: it passed the event when it was parked.
 */
export async function replayParkedEvent(
  dataSource: DataSource,
  store: EventStore,
  projector: Projector,
  parkedId: string,
): Promise<ReplayOutcome> {
  const parked = await dataSource.manager.findOneBy(ParkedEventEntity, {
    id: parkedId,
    projector: projector.name,
  });
  if (!parked) return { outcome: 'not_found' };
  const event = (await store.readStream(parked.streamId)).find((e) => e.id === parked.eventId);
  if (!event) return { outcome: 'failed', reason: 'the event is no longer in its stream' };
  try {
    await dataSource.transaction(async (manager) => {
      await applyEvents(projector, [event], manager);
      await manager.delete(ParkedEventEntity, { id: parked.id });
    });
    return { outcome: 'applied' };
  } catch (error) {
    const reason = describeError(error);
    await dataSource.manager.update(
      ParkedEventEntity,
      { id: parked.id },
      { reason, attempts: parked.attempts + 1, parkedAt: new Date() },
    );
    return { outcome: 'failed', reason };
  }
}

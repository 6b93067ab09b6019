import { parsePosition } from '@tovholder/event-store';
import type { CheckpointWatcher } from '@tovholder/read-models';

/**
 * Read-your-writes for a query: waits (bounded) until every read model it reads has passed the
 * position a command returned. No position, nothing to wait for.
 */
export async function waitForPosition(
  watcher: CheckpointWatcher,
  projectors: readonly string[],
  position: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const target = position ? parsePosition(position) : null;
  if (!target) return;
  await Promise.all(projectors.map((projector) => watcher.waitFor(projector, target, timeoutMs)));
}

import type { RecordedEvent } from '@tovholder/event-store';

/** When the event happened by the app's clock (metadata.at, set by every command), else when stored. */
export function occurredAt(event: RecordedEvent): string {
  const at = event.metadata.at;
  return typeof at === 'string' ? at : event.recordedAt.toISOString();
}

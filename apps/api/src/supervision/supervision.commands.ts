import {
  InvalidCommandError,
  isSupervisionEvent,
  supervisionDecider,
  supervisionStream,
} from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { streamKind } from '../shared/command-runner';

export const SUPERVISION_SAMPLES = streamKind(
  supervisionStream,
  supervisionDecider,
  isSupervisionEvent,
);

/** Drawn by or reviewed by someone who is not a known caseworker: refused like a bad field. */
export async function requireCaseworker(
  store: EventStore,
  caseworkerId: string,
  field: string,
): Promise<void> {
  const facts = await loadCaseworkerFacts(store, caseworkerId);
  if (facts.status === 'none') {
    throw new InvalidCommandError('CASEWORKER.UNKNOWN', `${field} names no caseworker`, { field });
  }
}

import { caseworkerFactsOf, type CaseworkerFacts } from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';
import { aggregateStream } from '../shared/aggregate-stream';
import { CASEWORKERS } from './caseworker.commands';

/** Looked up before deciding on a case or family: does the caseworker exist, and when were they deactivated? */
export async function loadCaseworkerFacts(
  store: EventStore,
  caseworkerId: string,
): Promise<CaseworkerFacts> {
  const { state } = await aggregateStream(
    store,
    CASEWORKERS.streamOf(caseworkerId),
    CASEWORKERS.decider,
    CASEWORKERS.reading,
  );
  return caseworkerFactsOf(caseworkerId, state);
}

import type { CaseworkerFacts } from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';
import { aggregateStream } from '../shared/aggregate-stream';
import { CASEWORKERS } from './caseworker.commands';

/** Looked up before deciding on a case or family: does the caseworker exist, are they active? */
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
  return { caseworkerId, status: state.status };
}

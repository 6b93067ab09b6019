import {
  caseworkerDecider,
  caseworkerStream,
  fold,
  type CaseworkerEvent,
  type CaseworkerFacts,
} from '@tovholder/domain';
import type { EventStore } from '@tovholder/event-store';

/** Looked up before deciding on a case or family: does the caseworker exist, are they active? */
export async function loadCaseworkerFacts(
  store: EventStore,
  caseworkerId: string,
): Promise<CaseworkerFacts> {
  const events = await store.readStream(caseworkerStream(caseworkerId));
  const state = fold(
    caseworkerDecider,
    events.map((e) => ({ type: e.type, data: e.data }) as unknown as CaseworkerEvent),
  );
  return { caseworkerId, status: state.status };
}

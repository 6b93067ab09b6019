import { caseStream, isCaseEvent } from '@tovholder/domain';
import { checkedEvents } from '../shared/aggregate-stream';
import type { EventStore } from '@tovholder/event-store';
import { ConflictException, NotFoundException } from '@nestjs/common';

/** What a duty recorded on a case takes from it: who, where, what type, and whether it is open. */
export interface CaseFacts {
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  readonly closed: boolean;
}

/** From the case's own stream (not a read model): a command must not act on a stale view. */
export async function loadCaseFacts(store: EventStore, caseId: string): Promise<CaseFacts> {
  const events = checkedEvents(await store.readStream(caseStream(caseId)), {
    isEvent: isCaseEvent,
  });
  const opened = events.find((event) => event.type === 'CaseOpened');
  if (opened?.type !== 'CaseOpened') {
    throw new NotFoundException({ code: 'CASE.NOT_FOUND', message: 'No case with this id' });
  }
  return {
    caseId,
    personId: opened.data.personId,
    departmentId: opened.data.departmentId,
    caseType: opened.data.caseType,
    closed: events.some((event) => event.type === 'CaseClosed'),
  };
}

export const CASE_CLOSED = { code: 'CASE.ALREADY_CLOSED', message: 'The case is closed' } as const;

/** As `loadCaseFacts`, for commands that need the case open: a closed case is a 409. */
export async function loadOpenCaseFacts(store: EventStore, caseId: string): Promise<CaseFacts> {
  const facts = await loadCaseFacts(store, caseId);
  if (facts.closed) throw new ConflictException(CASE_CLOSED);
  return facts;
}

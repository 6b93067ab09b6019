import {
  isJournalEvent,
  journalDecider,
  journalStream,
  type JournalCommand,
} from '@tovholder/domain';
import { loadCaseFacts } from '../cases/case-facts';
import { streamKind, type Preparation } from '../shared/command-runner';

export const JOURNALS = streamKind(journalStream, journalDecider, isJournalEvent);

/** An entry in a case's journal: the case must exist (from its own stream), else 404. */
export const journalOf = (
  caseId: string,
  prepare: (preparation: Preparation) => JournalCommand | Promise<JournalCommand>,
) =>
  JOURNALS.on(caseId, async (preparation) => {
    await loadCaseFacts(preparation.store, caseId);
    return prepare(preparation);
  });

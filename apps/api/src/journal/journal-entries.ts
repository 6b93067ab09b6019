import { isJournalEvent } from '@tovholder/domain';
import type {
  ContactChannel,
  ContactDirection,
  InsecureSendingAction,
  JournalDocumentKind,
} from '@tovholder/domain';
import type { RecordEvent } from '../casework/duty-kinds';
import { identifiedEvents } from '../shared/aggregate-stream';

export interface JournalContactEntry {
  readonly entryId: string;
  readonly type: 'contact';
  readonly occurredAt: string;
  readonly journaledAt: string;
  readonly channel: ContactChannel;
  readonly direction: ContactDirection;
  readonly subject: string;
  readonly containsPersonalData: boolean;
  readonly hasNote: boolean;
  /** Read the content with GET /cases/:caseId/journal/notes/:noteId. */
  readonly noteId: string | null;
  readonly insecureSendingHandled: {
    readonly action: InsecureSendingAction;
    readonly handledAt: string;
  } | null;
}

export interface JournalDocumentEntry {
  readonly entryId: string;
  readonly type: 'document';
  readonly documentDate: string;
  readonly journaledAt: string;
  readonly kind: JournalDocumentKind;
  readonly subject: string;
}

export type JournalEntry = JournalContactEntry | JournalDocumentEntry;

/** A case's journal entries in the order they were journaled, from the journal's events. */
export function journalEntries(events: readonly RecordEvent[]): JournalEntry[] {
  const entries = new Map<string, JournalEntry>();
  const updateContact = (entryId: string, change: Partial<JournalContactEntry>): void => {
    const entry = entries.get(entryId);
    if (entry?.type === 'contact') entries.set(entryId, { ...entry, ...change });
  };
  for (const event of identifiedEvents(events, isJournalEvent)) {
    switch (event.type) {
      case 'ContactJournaled': {
        const { data } = event;
        entries.set(data.entryId, {
          entryId: data.entryId,
          type: 'contact',
          occurredAt: data.occurredAt,
          journaledAt: data.journaledAt,
          channel: data.channel,
          direction: data.direction,
          subject: data.subject,
          containsPersonalData: data.containsPersonalData,
          hasNote: data.noteId !== null,
          noteId: data.noteId,
          insecureSendingHandled: null,
        });
        break;
      }
      case 'NoteRecorded':
        updateContact(event.data.entryId, { hasNote: true, noteId: event.data.noteId });
        break;
      case 'DocumentJournaled': {
        const { data } = event;
        entries.set(data.entryId, {
          entryId: data.entryId,
          type: 'document',
          documentDate: data.documentDate,
          journaledAt: data.journaledAt,
          kind: data.kind,
          subject: data.subject,
        });
        break;
      }
      case 'InsecureSendingHandled':
        updateContact(event.data.entryId, {
          insecureSendingHandled: { action: event.data.action, handledAt: event.data.handledAt },
        });
        break;
    }
  }
  return [...entries.values()];
}

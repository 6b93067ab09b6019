import { HttpException, Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@tovholder/domain';
import { WrongExpectedRevisionError } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../shared/clock';

/** The longest note accepted (characters); the table's CHECK repeats it. */
export const JOURNAL_NOTE_MAX_LENGTH = 20_000;

export interface JournalNote {
  readonly noteId: string;
  readonly caseId: string;
  readonly entryId: string;
  readonly content: string;
  readonly createdAt: string;
}

/** Errors that mean the event was certainly not appended. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof DomainError ||
    error instanceof HttpException ||
    error instanceof WrongExpectedRevisionError
  );
}

/**
 * Where the content of journal notes lives: personal data, never in an event or a log. The
 * journal's events only name a note by its id.
 */
@Injectable()
export class JournalNotes {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Stores the note, then runs `append` (the event naming it). When the append is refused the
   * note is deleted again, so no note is left that the journal does not know. On any other
   * failure (the append may have happened) the note is kept: an event must never name a note
   * that is gone.
   */
  async storeThen<T>(note: Omit<JournalNote, 'createdAt'>, append: () => Promise<T>): Promise<T> {
    await this.dataSource.query(
      `INSERT INTO journal_notes (note_id, case_id, entry_id, content, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [note.noteId, note.caseId, note.entryId, note.content, this.clock.now().toISOString()],
    );
    try {
      return await append();
    } catch (error) {
      if (isRefusal(error)) {
        await this.dataSource.query('DELETE FROM journal_notes WHERE note_id = $1', [note.noteId]);
      }
      throw error;
    }
  }

  async find(caseId: string, noteId: string): Promise<JournalNote | null> {
    const [row] = await this.dataSource.query<
      { note_id: string; case_id: string; entry_id: string; content: string; created_at: Date }[]
    >(
      `SELECT note_id, case_id, entry_id, content, created_at
         FROM journal_notes WHERE note_id = $1 AND case_id = $2`,
      [noteId, caseId],
    );
    if (!row) return null;
    return {
      noteId: row.note_id,
      caseId: row.case_id,
      entryId: row.entry_id,
      content: row.content,
      createdAt: row.created_at.toISOString(),
    };
  }
}

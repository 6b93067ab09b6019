import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JournalNotes1764000001100 implements MigrationInterface {
  name = 'JournalNotes1764000001100';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The content of journal notes: personal data, so kept out of the event store (the events
    // carry only note_id) and out of logs. Not a projection: no rebuild ever truncates it.
    // The length bound repeats the API's limit (JOURNAL_NOTE_MAX_LENGTH) as a last guard.
    await queryRunner.query(`
      CREATE TABLE journal_notes (
        note_id uuid PRIMARY KEY,
        case_id uuid NOT NULL,
        entry_id uuid NOT NULL,
        content text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 20000),
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX journal_notes_entry ON journal_notes (case_id, entry_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE journal_notes');
  }
}

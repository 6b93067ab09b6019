import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JournalNotes1764000001100 implements MigrationInterface {
  name = 'JournalNotes1764000001100';

  async up(queryRunner: QueryRunner): Promise<void> {
    // TODO(journal): the note store (content is personal data; kept out of events and logs).
    await queryRunner.query('SELECT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
}

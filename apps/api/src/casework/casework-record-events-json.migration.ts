import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A duty record's events as `json`, not `jsonb`: every batch sends the whole history of each
 * record it changes, and PostgreSQL takes about twice as long to turn that text into `jsonb` as
 * to check it as `json` (the largest cost of a casework rebuild). The few path queries over a
 * meeting's events cast to `jsonb` on the rows they read.
 */
export class CaseworkRecordEventsJson1764000018000 implements MigrationInterface {
  name = 'CaseworkRecordEventsJson1764000018000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE casework_records ALTER COLUMN events TYPE json USING events::json',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE casework_records ALTER COLUMN events TYPE jsonb USING events::jsonb',
    );
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A duty record's events are stored out of line without compression: a case's journal runs to
 * kilobytes, and compressing it with PostgreSQL's only compression here (pglz) cost about 15%
 * of the database's CPU in a casework rebuild, to save about half the bytes. Blue/green shadows
 * copy the setting (INCLUDING STORAGE).
 */
export class CaseworkRecordEventsUncompressed1764000019000 implements MigrationInterface {
  name = 'CaseworkRecordEventsUncompressed1764000019000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE casework_records ALTER COLUMN events SET STORAGE EXTERNAL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE casework_records ALTER COLUMN events SET STORAGE EXTENDED',
    );
  }
}

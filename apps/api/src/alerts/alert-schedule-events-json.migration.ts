import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The schedule's events as uncompressed `json`, as the casework records keep theirs: a rebuild
 * writes nearly every event of the log here, and turning the text into `jsonb` and compressing
 * it (pglz) was over a third of the database's CPU in an alert-schedule rebuild. Only a replay's
 * merge reads the events as `jsonb`, casting the one row it merges into.
 */
export class AlertScheduleEventsJson1764000019100 implements MigrationInterface {
  name = 'AlertScheduleEventsJson1764000019100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE alert_schedule ALTER COLUMN events TYPE json USING events::json,
         ALTER COLUMN events SET STORAGE EXTERNAL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE alert_schedule ALTER COLUMN events TYPE jsonb USING events::jsonb,
         ALTER COLUMN events SET STORAGE EXTENDED`,
    );
  }
}

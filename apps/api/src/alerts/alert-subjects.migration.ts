import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alert schedule beyond the casework duties: transitions (events kept like a duty's) and
 * families (whose coordination flags are read from the coordination projection). A row an event
 * marked through the coordination projection carries that event's commit position, so the run
 * judges it only once the coordination projection has passed it; a subject whose judgement
 * failed keeps the error's name and time (never its message: it may quote data).
 */
export class AlertSubjects1764000002600 implements MigrationInterface {
  name = 'AlertSubjects1764000002600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE alert_schedule
        ADD COLUMN mark_commit bigint,
        ADD COLUMN failed_at timestamptz,
        ADD COLUMN last_error text`);
    await queryRunner.query(
      'CREATE INDEX alert_schedule_failed ON alert_schedule (failed_at) WHERE failed_at IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX alert_schedule_failed');
    await queryRunner.query(
      'ALTER TABLE alert_schedule DROP COLUMN mark_commit, DROP COLUMN failed_at, DROP COLUMN last_error',
    );
  }
}

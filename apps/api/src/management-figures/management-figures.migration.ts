import type { MigrationInterface, QueryRunner } from 'typeorm';

const MONTH = (column: string) =>
  `(date_trunc('month', ${column} AT TIME ZONE 'Europe/Copenhagen'))`;

/**
 * What the management figures read, shaped for them: the figures count a window's rows per
 * department and Danish month. Covering indexes let the counts come from the index alone, and
 * statistics on the month expressions tell the planner there are few groups (it otherwise
 * guesses one per row and sorts the whole window on disk at national size).
 */
export class ManagementFigures1764000001300 implements MigrationInterface {
  name = 'ManagementFigures1764000001300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX casework_records_received');
    await queryRunner.query('DROP INDEX casework_records_done');
    await queryRunner.query(
      `CREATE INDEX casework_records_received ON casework_records (kind, received_at)
         INCLUDE (department_id, responded_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX casework_records_done ON casework_records (kind, done_at)
         INCLUDE (department_id, case_type, due_on, application_date)`,
    );
    for (const column of ['received_at', 'done_at', 'board_ruled_at']) {
      await queryRunner.query(
        `CREATE STATISTICS casework_records_${column}_month ON department_id, kind, ${MONTH(column)}
           FROM casework_records`,
      );
    }
    await queryRunner.query(
      `CREATE STATISTICS supervision_reviews_month ON department_id, ${MONTH('reviewed_at')}
         FROM supervision_reviews`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP STATISTICS supervision_reviews_month');
    for (const column of ['received_at', 'done_at', 'board_ruled_at']) {
      await queryRunner.query(`DROP STATISTICS casework_records_${column}_month`);
    }
    await queryRunner.query('DROP INDEX casework_records_received');
    await queryRunner.query('DROP INDEX casework_records_done');
    await queryRunner.query(
      'CREATE INDEX casework_records_received ON casework_records (kind, received_at)',
    );
    await queryRunner.query(
      'CREATE INDEX casework_records_done ON casework_records (kind, done_at)',
    );
  }
}

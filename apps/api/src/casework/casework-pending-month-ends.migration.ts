import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The changes to the month-end counts not yet carried into them (see month-ends.ts): empty at
 * first, the month ends as they are hold every change so far.
 */
export class CaseworkPendingMonthEnds1764000017310 implements MigrationInterface {
  name = 'CaseworkPendingMonthEnds1764000017310';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Keyed as the month ends are, so a batch adds to a pending change by its key; the figures
    // read those up to a month, by the same index.
    await queryRunner.query(`
      CREATE TABLE casework_open_changes (
        month date NOT NULL,
        department_id text NOT NULL,
        change int NOT NULL,
        PRIMARY KEY (month, department_id) INCLUDE (change)
      )`);
    await queryRunner.query(`
      CREATE TABLE casework_caseload_changes (
        month date NOT NULL,
        department_id text NOT NULL,
        caseworker_id uuid NOT NULL,
        change int NOT NULL,
        PRIMARY KEY (month, department_id, caseworker_id) INCLUDE (change)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE casework_caseload_changes, casework_open_changes');
  }
}

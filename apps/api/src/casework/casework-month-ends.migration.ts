import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MONTH_END_BACKFILL_SQL } from './month-ends';

/**
 * Open cases and caseloads at month ends, kept by the casework projector (see month-ends.ts);
 * filled here from the cases and assignments already projected, so no rebuild is needed.
 */
export class CaseworkMonthEnds1764000001500 implements MigrationInterface {
  name = 'CaseworkMonthEnds1764000001500';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The figures read a range of months: the month leads the keys, and the count is in the
    // index, so they read the index alone.
    await queryRunner.query(`
      CREATE TABLE casework_open_at_month_end (
        month date NOT NULL,
        department_id text NOT NULL,
        open int NOT NULL,
        PRIMARY KEY (month, department_id) INCLUDE (open)
      )`);
    await queryRunner.query(`
      CREATE TABLE casework_caseload_at_month_end (
        month date NOT NULL,
        department_id text NOT NULL,
        caseworker_id uuid NOT NULL,
        cases int NOT NULL,
        PRIMARY KEY (month, department_id, caseworker_id) INCLUDE (cases)
      )`);
    await queryRunner.query(`
      CREATE TABLE casework_month_end_horizon (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        month date NOT NULL
      )`);
    for (const sql of MONTH_END_BACKFILL_SQL) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE casework_month_end_horizon, casework_caseload_at_month_end, casework_open_at_month_end',
    );
  }
}

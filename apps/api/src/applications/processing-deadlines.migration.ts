import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EXAMPLE_PROCESSING_DEADLINES } from './processing-deadlines';

export class ProcessingDeadlines1764000000900 implements MigrationInterface {
  name = 'ProcessingDeadlines1764000000900';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE processing_deadlines (
        case_type text PRIMARY KEY,
        amount integer NOT NULL CHECK (amount > 0),
        unit text NOT NULL CHECK (unit IN ('days', 'weeks', 'months'))
      )`);
    for (const { caseType, amount, unit } of EXAMPLE_PROCESSING_DEADLINES) {
      await queryRunner.query(
        'INSERT INTO processing_deadlines (case_type, amount, unit) VALUES ($1, $2, $3)',
        [caseType, amount, unit],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE processing_deadlines');
  }
}

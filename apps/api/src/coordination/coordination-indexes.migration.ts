import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A family's open cases are found through its members: the plan must not fall back to scans. */
export class CoordinationIndexes1764000000700 implements MigrationInterface {
  name = 'CoordinationIndexes1764000000700';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      "CREATE INDEX coordination_cases_open_person ON coordination_cases (person_id) WHERE status = 'open'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX coordination_cases_open_person');
  }
}

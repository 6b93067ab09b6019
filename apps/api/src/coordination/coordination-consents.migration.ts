import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which departments' case details a family's primary contact may see (access scoping). */
export class CoordinationConsents1764000002000 implements MigrationInterface {
  name = 'CoordinationConsents1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE coordination_consents (
        family_id uuid NOT NULL,
        department_id text NOT NULL,
        basis text NOT NULL,
        given_at timestamptz NOT NULL,
        PRIMARY KEY (family_id, department_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE coordination_consents');
  }
}

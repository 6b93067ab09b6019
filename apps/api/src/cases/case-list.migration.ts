import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseList1764000000100 implements MigrationInterface {
  name = 'CaseList1764000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE case_list (
        case_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        department_id text NOT NULL,
        case_type text NOT NULL,
        status text NOT NULL,
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        close_reason text
      )`);
    await queryRunner.query(
      'CREATE INDEX case_list_department_status ON case_list (department_id, status, opened_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE case_list');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Casework1764000001000 implements MigrationInterface {
  name = 'Casework1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per duty record (inquiry, application, complaint, file-access request, a case's
    // journal): its events, folded at read time by the same functions the history uses, and the
    // columns the management figures read.
    await queryRunner.query(`
      CREATE TABLE casework_records (
        kind text NOT NULL,
        record_id uuid NOT NULL,
        events jsonb NOT NULL,
        outstanding boolean NOT NULL,
        department_id text,
        case_id uuid,
        person_id uuid,
        case_type text,
        received_at timestamptz,
        responded_at timestamptz,
        done_at timestamptz,
        application_date date,
        due_on date,
        outcome text,
        appealed_at timestamptz,
        board_outcome text,
        board_ruled_at timestamptz,
        PRIMARY KEY (kind, record_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX casework_records_outstanding ON casework_records (department_id, kind) WHERE outstanding',
    );
    await queryRunner.query('CREATE INDEX casework_records_case ON casework_records (case_id)');
    await queryRunner.query(
      'CREATE INDEX casework_records_received ON casework_records (kind, received_at)',
    );
    await queryRunner.query(
      'CREATE INDEX casework_records_done ON casework_records (kind, done_at)',
    );
    await queryRunner.query(
      'CREATE INDEX casework_records_ruled ON casework_records (board_ruled_at) WHERE board_ruled_at IS NOT NULL',
    );
    // Cases and who held them when: open cases and caseloads at the end of past months.
    await queryRunner.query(`
      CREATE TABLE casework_cases (
        case_id uuid PRIMARY KEY,
        department_id text NOT NULL,
        case_type text NOT NULL,
        opened_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await queryRunner.query(
      'CREATE INDEX casework_cases_department ON casework_cases (department_id, opened_at)',
    );
    await queryRunner.query(`
      CREATE TABLE casework_assignments (
        case_id uuid NOT NULL,
        caseworker_id uuid NOT NULL,
        department_id text NOT NULL,
        from_at timestamptz NOT NULL,
        to_at timestamptz,
        PRIMARY KEY (case_id, from_at, caseworker_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX casework_assignments_department ON casework_assignments (department_id, from_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE casework_assignments, casework_cases, casework_records');
  }
}

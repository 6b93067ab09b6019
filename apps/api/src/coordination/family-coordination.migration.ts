import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FamilyCoordination1764000000500 implements MigrationInterface {
  name = 'FamilyCoordination1764000000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE coordination_families (
        family_id uuid PRIMARY KEY,
        registered_at timestamptz NOT NULL,
        primary_contact_id uuid,
        primary_contact_at timestamptz,
        primary_contact_event_id uuid,
        untold_handover_at timestamptz,
        untold_handover_event_id uuid,
        released_at timestamptz,
        released_event_id uuid
      )`);
    await queryRunner.query(
      'CREATE INDEX coordination_families_primary_contact ON coordination_families (primary_contact_id)',
    );
    await queryRunner.query(`
      CREATE TABLE coordination_members (
        family_id uuid NOT NULL,
        person_id uuid NOT NULL,
        role text NOT NULL,
        added_at timestamptz NOT NULL,
        added_event_id uuid NOT NULL,
        PRIMARY KEY (family_id, person_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX coordination_members_person ON coordination_members (person_id)',
    );
    await queryRunner.query(`
      CREATE TABLE coordination_cases (
        case_id uuid PRIMARY KEY,
        person_id uuid NOT NULL,
        department_id text NOT NULL,
        case_type text NOT NULL,
        status text NOT NULL,
        opened_at timestamptz NOT NULL,
        opened_event_id uuid NOT NULL,
        caseworker_id uuid,
        caseworker_at timestamptz,
        caseworker_event_id uuid,
        untold_change_at timestamptz,
        untold_change_event_id uuid,
        closed_at timestamptz
      )`);
    await queryRunner.query(
      'CREATE INDEX coordination_cases_person ON coordination_cases (person_id)',
    );
    await queryRunner.query(
      "CREATE INDEX coordination_cases_caseworker ON coordination_cases (caseworker_id) WHERE status = 'open'",
    );
    await queryRunner.query(`
      CREATE TABLE coordination_caseworkers (
        caseworker_id uuid PRIMARY KEY,
        department_id text NOT NULL,
        active boolean NOT NULL,
        inactive_at timestamptz,
        inactive_event_id uuid
      )`);
    await queryRunner.query(`
      CREATE TABLE coordination_flags (
        family_id uuid NOT NULL,
        code text NOT NULL,
        subject_id uuid NOT NULL,
        since timestamptz NOT NULL,
        event_ids text[] NOT NULL,
        department_ids text[] NOT NULL,
        details jsonb NOT NULL,
        PRIMARY KEY (family_id, code, subject_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX coordination_flags_since ON coordination_flags (since, family_id)',
    );
    await queryRunner.query(
      'CREATE INDEX coordination_flags_departments ON coordination_flags USING gin (department_ids)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP TABLE coordination_flags, coordination_caseworkers, coordination_cases, coordination_members, coordination_families',
    );
  }
}

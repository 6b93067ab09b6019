import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Transitions1764000000600 implements MigrationInterface {
  name = 'Transitions1764000000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per young person with a transition stream: its events, folded at read time by the
    // same pure function the as-of history uses.
    await queryRunner.query(`
      CREATE TABLE transition_streams (
        person_id uuid PRIMARY KEY,
        events jsonb NOT NULL,
        track text,
        closed boolean NOT NULL DEFAULT false,
        birth_date date
      )`);
    await queryRunner.query(
      'CREATE INDEX transition_streams_birth_date ON transition_streams (birth_date)',
    );
    await queryRunner.query(`
      CREATE TABLE scheduled_runs (
        name text PRIMARY KEY,
        last_completed_date date NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query('ALTER TABLE coordination_cases ADD COLUMN birth_date date');
    await queryRunner.query(
      "CREATE INDEX coordination_cases_open_birth_date ON coordination_cases (birth_date) WHERE status = 'open'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE coordination_cases DROP COLUMN birth_date');
    await queryRunner.query('DROP TABLE scheduled_runs, transition_streams');
  }
}

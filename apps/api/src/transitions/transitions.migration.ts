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
        closed boolean NOT NULL DEFAULT false
      )`);
    await queryRunner.query(`
      CREATE TABLE scheduled_runs (
        name text PRIMARY KEY,
        last_completed_date date NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      "CREATE INDEX coordination_cases_open_type ON coordination_cases (case_type, person_id) WHERE status = 'open'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX coordination_cases_open_type');
    await queryRunner.query('DROP TABLE scheduled_runs, transition_streams');
  }
}

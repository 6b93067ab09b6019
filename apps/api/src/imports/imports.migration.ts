import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Imports started over HTTP: progress while they run, the report when they end. */
export class Imports1764000003200 implements MigrationInterface {
  name = 'Imports1764000003200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE imports (
        import_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted')),
        strict boolean NOT NULL,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        lines integer NOT NULL DEFAULT 0,
        refused integer NOT NULL DEFAULT 0,
        report jsonb
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE imports');
  }
}

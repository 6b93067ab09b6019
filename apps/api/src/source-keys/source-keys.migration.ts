import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys of cases, persons, caseworkers and families in the municipality's source systems. Written
 * with the command that creates the resource (the import), not projected: persons have no event
 * to project from, and an importer must know the id before it appends.
 */
export class SourceKeys1764000003100 implements MigrationInterface {
  name = 'SourceKeys1764000003100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE source_keys (
        kind text NOT NULL CHECK (kind IN ('case', 'person', 'caseworker', 'family')),
        system text NOT NULL,
        key text NOT NULL,
        resource_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, system, key)
      )`);
    await queryRunner.query('CREATE INDEX source_keys_resource ON source_keys (resource_id)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE source_keys');
  }
}

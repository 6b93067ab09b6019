import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyRecords1764000000200 implements MigrationInterface {
  name = 'IdempotencyRecords1764000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_records (
        key text PRIMARY KEY,
        method text NOT NULL,
        path text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'completed')),
        status_code int,
        response_body jsonb,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        CHECK (state = 'pending' OR status_code IS NOT NULL)
      )`);
    await queryRunner.query(
      'CREATE INDEX idempotency_records_created_at ON idempotency_records (created_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_records');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A pending record's lease: renewed while its request runs, so a dead process frees the key. */
export class IdempotencyLease1764000014000 implements MigrationInterface {
  name = 'IdempotencyLease1764000014000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE idempotency_records ADD COLUMN IF NOT EXISTS lease_until timestamptz',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE idempotency_records DROP COLUMN lease_until');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A claim's generation: kept when a retry takes over a pending record whose lease ran out, new
 * when the key is claimed afresh (first use, or after the key's window). The ids a request
 * derives from its key include it, so a key reused a day later names new records.
 */
export class IdempotencyGeneration1764000016000 implements MigrationInterface {
  name = 'IdempotencyGeneration1764000016000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE idempotency_records ADD COLUMN IF NOT EXISTS generation uuid',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE idempotency_records DROP COLUMN generation');
  }
}

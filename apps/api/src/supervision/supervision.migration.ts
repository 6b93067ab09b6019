import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Supervision1764000001200 implements MigrationInterface {
  name = 'Supervision1764000001200';

  async up(queryRunner: QueryRunner): Promise<void> {
    // TODO(supervision): samples and reviews read model.
    await queryRunner.query('SELECT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('SELECT 1');
  }
}

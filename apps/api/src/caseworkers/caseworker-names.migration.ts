import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CaseworkerNames1764000000350 implements MigrationInterface {
  name = 'CaseworkerNames1764000000350';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE caseworker_names (caseworker_id uuid PRIMARY KEY, name text NOT NULL)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE caseworker_names');
  }
}

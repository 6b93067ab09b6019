import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Persons1764000000400 implements MigrationInterface {
  name = 'Persons1764000000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE persons (
        person_id uuid PRIMARY KEY,
        cpr text NOT NULL UNIQUE,
        name text NOT NULL,
        birth_date date NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX persons_birth_date ON persons (birth_date)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE persons');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_DEPARTMENTS } from './default-departments';

export class Departments1764000000300 implements MigrationInterface {
  name = 'Departments1764000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE departments (
        id text PRIMARY KEY,
        name text NOT NULL,
        area text NOT NULL,
        active boolean NOT NULL DEFAULT true
      )`);
    for (const department of DEFAULT_DEPARTMENTS) {
      await queryRunner.query('INSERT INTO departments (id, name, area) VALUES ($1, $2, $3)', [
        department.id,
        department.name,
        department.area,
      ]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE departments');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PersonsDigitalPost1764000000800 implements MigrationInterface {
  name = 'PersonsDigitalPost1764000000800';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE persons ADD COLUMN exempt_from_digital_post boolean NOT NULL DEFAULT false',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE persons DROP COLUMN exempt_from_digital_post');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes an import paid for on every row without a query to use them: source keys are
 * only ever looked up by (kind, system, key), never by our id; and the registry's plain CPR
 * column is empty (NULL) once a person is sealed, so its uniqueness is kept by a partial index
 * over the rows that still have one (rows the start-up encrypts) instead of one entry a person.
 */
export class ImportWriteIndexes1764000019300 implements MigrationInterface {
  name = 'ImportWriteIndexes1764000019300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX source_keys_resource');
    await queryRunner.query(
      'CREATE UNIQUE INDEX persons_plain_cpr ON persons (plain_cpr) WHERE plain_cpr IS NOT NULL',
    );
    await queryRunner.query('ALTER TABLE persons DROP CONSTRAINT persons_cpr_key');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE persons ADD CONSTRAINT persons_cpr_key UNIQUE (plain_cpr)',
    );
    await queryRunner.query('DROP INDEX persons_plain_cpr');
    await queryRunner.query('CREATE INDEX source_keys_resource ON source_keys (resource_id)');
  }
}

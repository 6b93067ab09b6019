import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CPR numbers and names move from plain columns to ciphertexts under a per-person key
 * (person-crypto.ts), searched by a keyed hash. A migration cannot encrypt: the master key is
 * the app's configuration, not the database's. So the plain columns are renamed and emptied by
 * the app at start-up (PersonRegistry.encryptPlainRows), before it serves a request.
 */
export class PersonsEncrypted1764000001400 implements MigrationInterface {
  name = 'PersonsEncrypted1764000001400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE persons RENAME COLUMN cpr TO plain_cpr');
    await queryRunner.query('ALTER TABLE persons RENAME COLUMN name TO plain_name');
    await queryRunner.query(`
      ALTER TABLE persons
        ALTER COLUMN plain_cpr DROP NOT NULL,
        ALTER COLUMN plain_name DROP NOT NULL,
        ADD COLUMN cpr_hash bytea,
        ADD COLUMN cpr_sealed bytea,
        ADD COLUMN name_sealed bytea,
        ADD COLUMN erased_at timestamptz,
        ADD COLUMN erased_by text,
        ADD COLUMN erasure_reason text,
        ADD CONSTRAINT persons_erased_holds_nothing CHECK (
          erased_at IS NULL OR (
            cpr_hash IS NULL AND cpr_sealed IS NULL AND name_sealed IS NULL
            AND plain_cpr IS NULL AND plain_name IS NULL
            AND erased_by IS NOT NULL AND erasure_reason IS NOT NULL))`);
    await queryRunner.query('CREATE UNIQUE INDEX persons_cpr_hash ON persons (cpr_hash)');
    // One data key per person, wrapped by the master key named by master_key_id (so a rotation
    // can find what it still has to re-wrap). Erasure deletes the row.
    await queryRunner.query(`
      CREATE TABLE person_keys (
        person_id uuid PRIMARY KEY REFERENCES persons (person_id) ON DELETE CASCADE,
        master_key_id text NOT NULL,
        wrapped_key bytea NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query('CREATE INDEX person_keys_master_key ON person_keys (master_key_id)');
    // Stored answers of the persons routes held names; those routes no longer store any.
    await queryRunner.query(
      "DELETE FROM idempotency_records WHERE path = '/persons' OR path LIKE '/persons/%'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Without the master key the ciphertexts cannot go back to plain columns.
    const [row] = (await queryRunner.query(
      'SELECT count(*)::int AS n FROM persons WHERE plain_cpr IS NULL',
    )) as { n: number }[];
    if ((row?.n ?? 0) > 0) {
      throw new Error('persons holds encrypted or erased rows: this migration cannot be undone');
    }
    await queryRunner.query('DROP TABLE person_keys');
    await queryRunner.query(`
      ALTER TABLE persons
        DROP CONSTRAINT persons_erased_holds_nothing,
        DROP COLUMN cpr_hash, DROP COLUMN cpr_sealed, DROP COLUMN name_sealed,
        DROP COLUMN erased_at, DROP COLUMN erased_by, DROP COLUMN erasure_reason,
        ALTER COLUMN plain_cpr SET NOT NULL,
        ALTER COLUMN plain_name SET NOT NULL`);
    await queryRunner.query('ALTER TABLE persons RENAME COLUMN plain_cpr TO cpr');
    await queryRunner.query('ALTER TABLE persons RENAME COLUMN plain_name TO name');
  }
}

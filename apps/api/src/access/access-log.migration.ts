import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log: one row per read of a person's or family's data, never changed or removed
 * (a trigger refuses UPDATE and DELETE; TRUNCATE too). It names people by id only.
 */
export class AccessLog1764000002100 implements MigrationInterface {
  name = 'AccessLog1764000002100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE access_log (
        entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        roles text[] NOT NULL,
        action text NOT NULL,
        resource_kind text NOT NULL,
        resource_id uuid,
        case_id uuid,
        person_ids uuid[] NOT NULL,
        family_ids uuid[] NOT NULL,
        purpose text,
        outcome text NOT NULL,
        basis text
      )`);
    await queryRunner.query('CREATE INDEX access_log_at ON access_log (at)');
    await queryRunner.query('CREATE INDEX access_log_actor ON access_log (actor, at)');
    await queryRunner.query('CREATE INDEX access_log_persons ON access_log USING gin (person_ids)');
    await queryRunner.query(`
      CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the access log is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
        FOR EACH ROW EXECUTE FUNCTION access_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
        FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE access_log');
    await queryRunner.query('DROP FUNCTION access_log_append_only');
  }
}

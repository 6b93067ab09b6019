import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProjectionRuntime1764000000000 implements MigrationInterface {
  name = 'ProjectionRuntime1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE projection_checkpoints (
        projector text PRIMARY KEY,
        commit_position bigint,
        prepare_position bigint,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE parked_events (
        id bigserial PRIMARY KEY,
        projector text NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        stream_id text NOT NULL,
        stream_revision bigint NOT NULL,
        commit_position bigint NOT NULL,
        prepare_position bigint NOT NULL,
        reason text NOT NULL,
        attempts int NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX parked_events_projector_event ON parked_events (projector, event_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE parked_events');
    await queryRunner.query('DROP TABLE projection_checkpoints');
  }
}

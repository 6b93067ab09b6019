import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A function that raises "checkpoint moved", for the statement that writes a batch's rows and
 * moves the checkpoint at once (`writeWithCheckpoint`): plain SQL has no way to make a statement
 * fail, and a statement that fails writes nothing.
 */
export class CheckpointMoved1764000019400 implements MigrationInterface {
  name = 'CheckpointMoved1764000019400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION projection_checkpoint_moved(projector text) RETURNS boolean
      LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'The checkpoint of projector % was moved by another process', projector
          USING ERRCODE = 'TH409';
      END
      $fn$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION projection_checkpoint_moved(text)');
  }
}

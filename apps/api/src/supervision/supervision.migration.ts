import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Supervision1764000001200 implements MigrationInterface {
  name = 'Supervision1764000001200';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per drawn sample: the seed and size with the cases drawn (in draw order), so the
    // draw can be checked again.
    await queryRunner.query(`
      CREATE TABLE supervision_samples (
        sample_id uuid PRIMARY KEY,
        department_id text NOT NULL,
        seed text NOT NULL,
        size integer NOT NULL,
        case_ids jsonb NOT NULL,
        drawn_at timestamptz NOT NULL,
        drawn_by uuid NOT NULL
      )`);
    // The current review of each case in a sample: a second review replaces the first.
    await queryRunner.query(`
      CREATE TABLE supervision_reviews (
        sample_id uuid NOT NULL,
        case_id uuid NOT NULL,
        department_id text NOT NULL,
        reviewer_id uuid NOT NULL,
        answers jsonb NOT NULL,
        reviewed_at timestamptz NOT NULL,
        PRIMARY KEY (sample_id, case_id)
      )`);
    // The management figures count reviews per department and month.
    await queryRunner.query(
      'CREATE INDEX supervision_reviews_department ON supervision_reviews (department_id, reviewed_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE supervision_reviews, supervision_samples');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  RECORD_AGGREGATE_BACKFILL_SQL,
  RECORD_AGGREGATE_TABLES_SQL,
  RECORD_AGGREGATES,
} from './record-aggregates';

/**
 * Inquiries, first decisions and board rulings counted per department and month, kept by the
 * casework projector (see record-aggregates.ts); filled here from the records already
 * projected, so no rebuild is needed.
 */
export class CaseworkRecordAggregates1764000002300 implements MigrationInterface {
  name = 'CaseworkRecordAggregates1764000002300';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of RECORD_AGGREGATE_TABLES_SQL) await queryRunner.query(sql);
    for (const sql of RECORD_AGGREGATE_BACKFILL_SQL) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const tables = Object.values(RECORD_AGGREGATES).map((a) => a.table);
    await queryRunner.query(`DROP TABLE ${tables.join(', ')}`);
  }
}

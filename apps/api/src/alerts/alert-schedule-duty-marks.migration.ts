import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DUTY_KINDS } from '../casework/duty-kinds';

/**
 * A duty record's row on the alert schedule only marks it: the run reads the record's events
 * from `casework_records`, so the copies kept here go. Down puts them back from there, as the
 * earlier code judges a duty record from its row's events alone.
 */
export class AlertScheduleDutyMarks1764000019200 implements MigrationInterface {
  name = 'AlertScheduleDutyMarks1764000019200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE alert_schedule SET events = '[]'::json
        WHERE kind = ANY($1::text[]) AND json_array_length(events) > 0`,
      [DUTY_KINDS],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE alert_schedule s SET events = r.events
         FROM casework_records r WHERE r.kind = s.kind AND r.record_id = s.record_id`,
    );
  }
}

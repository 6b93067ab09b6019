import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DUTIES, type DutyKindName, type RecordEvent } from './duty-kinds';

const PAGE = 1_000;

interface StoredRecord {
  kind: DutyKindName;
  record_id: string;
  events: RecordEvent[];
}

/**
 * A duty record keeps the facts its events fold into, and the revision of the last one, in place
 * of its events: the projection folds a stored record on from its facts, so a batch that meets
 * the record again does not read and write its whole history again (a journal met year after
 * year in a log of live use made a rebuild quadratic in it). Only meetings keep their events,
 * which their queries read in SQL. The facts are folded here from the stored events; a record's
 * last revision is its event count less one, as every event of its stream is stored.
 *
 * Down cannot give the events back: after it, rebuild casework (`npm run rebuild-projection --
 * casework`).
 */
export class CaseworkRecordFacts1764000019500 implements MigrationInterface {
  name = 'CaseworkRecordFacts1764000019500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE casework_records ADD COLUMN facts json, ADD COLUMN last_revision integer`,
    );
    let after: { kind: string; recordId: string } | null = null;
    for (;;) {
      const rows: StoredRecord[] = await queryRunner.manager.query<StoredRecord[]>(
        `SELECT kind, record_id, events FROM casework_records
            WHERE ($1::text IS NULL OR (kind, record_id) > ($1, $2::uuid))
            ORDER BY kind, record_id LIMIT ${PAGE}`,
        [after?.kind ?? null, after?.recordId ?? null],
      );
      const last = rows[rows.length - 1];
      if (!last) break;
      after = { kind: last.kind, recordId: last.record_id };
      await queryRunner.query(
        `UPDATE casework_records r SET facts = f.facts, last_revision = x.last_revision
           FROM unnest($1::text[], $2::uuid[], $3::integer[]) WITH ORDINALITY
                  AS x(kind, record_id, last_revision, n)
           JOIN json_array_elements($4::json) WITH ORDINALITY AS f(facts, n) USING (n)
          WHERE r.kind = x.kind AND r.record_id = x.record_id`,
        [
          rows.map((row) => row.kind),
          rows.map((row) => row.record_id),
          rows.map((row) => row.events.length - 1),
          JSON.stringify(rows.map((row) => DUTIES[row.kind].fold(row.record_id, row.events))),
        ],
      );
    }
    const kept = Object.values(DUTIES)
      .filter((duty) => duty.keepsEvents)
      .map((duty) => duty.kind);
    await queryRunner.query(
      `UPDATE casework_records SET events = '[]'::json WHERE NOT kind = ANY($1::text[])`,
      [kept],
    );
    await queryRunner.query(
      `ALTER TABLE casework_records
         ALTER COLUMN facts SET NOT NULL, ALTER COLUMN last_revision SET NOT NULL,
         ALTER COLUMN events SET DEFAULT '[]'::json,
         ALTER COLUMN facts SET STORAGE EXTERNAL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE casework_records DROP COLUMN facts, DROP COLUMN last_revision',
    );
  }
}

import { randomUUID } from 'node:crypto';
import type { Position } from '@tovholder/event-store';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import { CaseworkRecordFacts1764000019500 } from '../apps/api/src/casework/casework-record-facts.migration';
import { loadConfig } from '../apps/api/src/config/app-config';
import {
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * An installation upgraded from records that kept their events: the migration folds each
 * record's stored events into the facts the projection now keeps, with the revision of the last,
 * and empties the events the queries no longer read.
 */
describe('migration: casework records keep facts, not events', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})));

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  }, 60_000);
  afterAll(() => fixture.close());

  it('folds the stored events of each record into the facts the projection writes', async () => {
    let last: Position | undefined;
    const streams: string[] = [];
    for (let n = 0; n < 3; n += 1) {
      const inquiryId = randomUUID();
      const steps = inquirySteps(inquiryId).slice(0, n + 1);
      streams.push(`inquiry-${inquiryId}`);
      last = (
        await fixture.store.append(
          `inquiry-${inquiryId}`,
          steps.map(([type, data]) => ({ id: randomUUID(), type, data })),
          'no_stream',
        )
      ).position;
    }
    await projectUpTo(fixture, projector, last);
    const records = () =>
      fixture.dataSource.query<Record<string, unknown>[]>(
        'SELECT * FROM casework_records ORDER BY kind, record_id',
      );
    const projected = await records();
    expect(projected).toHaveLength(3);

    // The rows as the version before kept them: every event, no facts.
    const migration = new CaseworkRecordFacts1764000019500();
    const queryRunner = fixture.dataSource.createQueryRunner();
    try {
      await migration.down(queryRunner);
      for (const stream of streams) {
        const events = (await fixture.store.readStream(stream)).map(({ id, type, data }) => ({
          id,
          type,
          data,
        }));
        await queryRunner.query(
          `UPDATE casework_records SET events = $2::json WHERE record_id = $1::uuid`,
          [stream.slice('inquiry-'.length), JSON.stringify(events)],
        );
      }
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }

    const migrated = await records();
    expect(migrated).toEqual(projected);
    expect(migrated.map((row) => row.last_revision).sort()).toEqual([0, 1, 2]);
  });
});

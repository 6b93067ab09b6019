import { randomUUID } from 'node:crypto';
import type { Position } from '@tovholder/event-store';
import { rebuildBlueGreen, rebuildProjection } from '@tovholder/read-models';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import { inquiryDuty } from '../apps/api/src/casework/duty-kinds';
import { loadConfig } from '../apps/api/src/config/app-config';
import {
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * A stored duty record keeps its facts, not its events, and a batch folds on from them: an
 * inquiry projected one event at a time has the facts of all its events folded at once, a batch
 * replayed after a crash changes nothing, and a rebuild from the log gives the same rows.
 */
describe('casework record facts folded on batch by batch', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})));
  const inquiryId = randomUUID();
  const stream = `inquiry-${inquiryId}`;
  const ids: string[] = [];
  let last: Position | undefined;

  const append = async (type: string, data: Record<string, unknown>): Promise<void> => {
    const id = randomUUID();
    last = (await fixture.store.append(stream, [{ id, type, data }], 'any')).position;
    ids.push(id);
    await projectUpTo(fixture, projector, last);
  };
  const records = () =>
    fixture.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM casework_records ORDER BY kind, record_id',
    );
  const inquiryCounts = () =>
    fixture.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM casework_inquiries_by_response_hours ORDER BY month, department_id, response_hours',
    );

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    for (const [type, data] of inquirySteps(inquiryId)) await append(type, data);
  }, 60_000);
  afterAll(() => fixture.close());

  it('keeps the facts of all its events, not the events, with the columns of all of them', async () => {
    const [row] = await records();
    const log = (await fixture.store.readStream(stream)).map(({ id, type, data }) => ({
      id,
      type,
      data,
    }));
    expect(row?.facts).toEqual(inquiryDuty.fold(inquiryId, log));
    expect((row?.facts as { answered: { eventId: string } }).answered.eventId).toBe(ids[2]);
    expect(row?.last_revision).toBe(2);
    expect(row?.events).toEqual([]);
    expect(row?.outstanding).toBe(false);
    expect(row?.done_at).toEqual(new Date('2026-03-10T09:00:00.000Z'));
  });

  it('a batch replayed after a crash adds nothing twice', async () => {
    const before = await records();
    const counted = await inquiryCounts();
    expect(counted).toHaveLength(1);
    const log = await fixture.store.readStream(stream);
    // The receipt again would start the facts afresh (it is not even looked up: its stream's first
    // event) and count the inquiry again; the later steps again would not show.
    for (const replayed of [log.slice(0, 1), log, log.slice(1)]) {
      await fixture.dataSource.transaction((manager) => projector.applyBatch(replayed, manager));
      expect(await records()).toEqual(before);
      expect(await inquiryCounts()).toEqual(counted);
    }
  });

  it('a rebuild from the log gives the same rows', async () => {
    const live = await records();
    await rebuildProjection(fixture.dataSource, fixture.store, projector);
    expect(await records()).toEqual(live);
  });

  it('a blue/green rebuild sharing its read keeps log order on a log of whole streams, to the same rows', async () => {
    const live = await records();
    const { streamOrder } = await rebuildBlueGreen(fixture.dataSource, fixture.store, projector, {
      catchUpBatchSize: 10,
      readShared: true,
    });
    expect(streamOrder).toEqual({ groups: [], rewritesPerEvent: { 'inquiry-': 0 } });
    expect(await records()).toEqual(live);
  });

  it('a blue/green rebuild alone reads the same log stream by stream, unsampled, to the same rows', async () => {
    const live = await records();
    const { streamOrder } = await rebuildBlueGreen(fixture.dataSource, fixture.store, projector, {
      catchUpBatchSize: 10,
    });
    expect(streamOrder).toEqual({ groups: projector.streamOrder, rewritesPerEvent: {} });
    expect(await records()).toEqual(live);
  });
});

import { randomUUID } from 'node:crypto';
import { rebuildProjection } from '@tovholder/read-models';
import { AlertScheduleProjector } from '../apps/api/src/alerts/alert-schedule.projector';
import {
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * The alert schedule keeps a duty record's events (as json) and merges a batch's into a stored
 * row: each event once, in log order, however the batches fall, and a rebuild gives the same.
 */
describe('alert schedule events merged batch by batch', () => {
  let fixture: ReadModelFixture;
  const projector = new AlertScheduleProjector();
  const inquiryId = randomUUID();
  const stream = `inquiry-${inquiryId}`;
  const ids: string[] = [];

  const append = async (type: string, data: Record<string, unknown>): Promise<void> => {
    const id = randomUUID();
    const { position } = await fixture.store.append(stream, [{ id, type, data }], 'any');
    ids.push(id);
    await projectUpTo(fixture, projector, position);
  };
  const events = async (): Promise<string[]> => {
    const rows = await fixture.dataSource.query<{ events: { id: string }[] }[]>(
      "SELECT events FROM alert_schedule WHERE kind = 'inquiry' AND record_id = $1",
      [inquiryId],
    );
    return (rows[0]?.events ?? []).map((event) => event.id);
  };

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    const [received, acknowledged] = inquirySteps(inquiryId);
    for (const [type, data] of [received, acknowledged]) await append(type, data);
  }, 60_000);
  afterAll(() => fixture.close());

  it('appends a later batch to the stored row, each event once and in log order', async () => {
    expect(await events()).toEqual(ids);
  });

  it('a batch replayed with a new event adds only the new one', async () => {
    const log = await fixture.store.readStream(stream);
    const [, , [type, data]] = inquirySteps(inquiryId);
    const answered = { id: randomUUID(), type, data };
    const { position } = await fixture.store.append(stream, [answered], 'any');
    const [stored] = await fixture.store.readStream(stream).then((all) => all.slice(-1));
    if (!stored) throw new Error('the appended event is missing');
    await fixture.dataSource.transaction((manager) =>
      projector.applyBatch([...log, stored], manager),
    );
    ids.push(answered.id);
    expect(await events()).toEqual(ids);
    expect(stored.position).toEqual(position);
  });

  it('a rebuild from the log gives the same events', async () => {
    const live = await events();
    await rebuildProjection(fixture.dataSource, fixture.store, projector);
    expect(await events()).toEqual(live);
  });
});

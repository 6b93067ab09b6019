import { randomUUID } from 'node:crypto';
import { applyEvents, rebuildProjection } from '@tovholder/read-models';
import { AlertScheduleProjector } from '../apps/api/src/alerts/alert-schedule.projector';
import {
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  type ReadModelFixture,
} from './support/read-model-db';

/** A young person's transition steps, as the schedule keeps them (it reads only their kind). */
function transitionSteps(personId: string): [string, Record<string, unknown>][] {
  return [
    ['TransitionPreparationDue', { personId, birthDate: '2010-05-01', caseIds: [] }],
    ['TransitionPreparationStarted', { personId, startedAt: '2026-05-02T09:00:00.000Z' }],
    ['TransitionTrackChosen', { personId, track: 'adult-disability' }],
  ];
}

/*
 * The alert schedule keeps a transition's events (as json) and merges a batch's into a stored
 * row: each event once, in log order, however the batches fall, and a rebuild gives the same.
 * A duty record's row only marks it: its events are the casework projection's.
 */
describe('alert schedule rows merged batch by batch', () => {
  let fixture: ReadModelFixture;
  const projector = new AlertScheduleProjector();
  const personId = randomUUID();
  const stream = `transition-${personId}`;
  const ids: string[] = [];

  const append = async (type: string, data: Record<string, unknown>): Promise<void> => {
    const id = randomUUID();
    const { position } = await fixture.store.append(stream, [{ id, type, data }], 'any');
    ids.push(id);
    await projectUpTo(fixture, projector, position);
  };
  const events = async (): Promise<string[]> => {
    const rows = await fixture.dataSource.query<{ events: { id: string }[] }[]>(
      "SELECT events FROM alert_schedule WHERE kind = 'transition' AND record_id = $1",
      [personId],
    );
    return (rows[0]?.events ?? []).map((event) => event.id);
  };

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    const [due, started] = transitionSteps(personId);
    for (const [type, data] of [due!, started!]) await append(type, data);
  }, 60_000);
  afterAll(() => fixture.close());

  it('appends a later batch to the stored row, each event once and in log order', async () => {
    expect(await events()).toEqual(ids);
  });

  it('a batch replayed with a new event adds only the new one', async () => {
    const log = await fixture.store.readStream(stream);
    const [type, data] = transitionSteps(personId)[2]!;
    const answered = { id: randomUUID(), type, data };
    const { position } = await fixture.store.append(stream, [answered], 'any');
    const [stored] = await fixture.store.readStream(stream).then((all) => all.slice(-1));
    if (!stored) throw new Error('the appended event is missing');
    await fixture.dataSource.transaction((manager) =>
      applyEvents(projector, [...log, stored], manager),
    );
    ids.push(answered.id);
    expect(await events()).toEqual(ids);
    expect(stored.position).toEqual(position);
  });

  it("a duty record's row marks it at its last event's commit, without its events", async () => {
    const inquiryId = randomUUID();
    let last = null;
    for (const [type, data] of inquirySteps(inquiryId).slice(0, 2)) {
      last = await fixture.store.append(
        `inquiry-${inquiryId}`,
        [{ id: randomUUID(), type, data }],
        'any',
      );
    }
    if (!last) throw new Error('nothing appended');
    await projectUpTo(fixture, projector, last.position);
    const rows = await fixture.dataSource.query<
      { events: unknown[]; changed: boolean; mark_commit: string }[]
    >(
      "SELECT events, changed, mark_commit::text FROM alert_schedule WHERE kind = 'inquiry' AND record_id = $1",
      [inquiryId],
    );
    expect(rows).toEqual([
      { events: [], changed: true, mark_commit: last.position.commit.toString() },
    ]);
  });

  it('a rebuild from the log gives the same events', async () => {
    const live = await events();
    await rebuildProjection(fixture.dataSource, fixture.store, projector);
    expect(await events()).toEqual(live);
  });
});

import { randomUUID } from 'node:crypto';
import { comparePositions, type Position, type ProjectionEvent } from '@tovholder/event-store';
import {
  applyEvents,
  arrayLiteral,
  CheckpointMovedError,
  CheckpointWatcher,
  listParkedEvents,
  PositionNotInLogError,
  ProjectorFailingError,
  ReadModelNotCaughtUpError,
  rebuildBlueGreen,
  ProjectionRunner,
  readCheckpoint,
  rebuildProjection,
  replayParkedEvent,
  writeWithCheckpoint,
  type ArrayWrite,
  type PreparedBatch,
  type Projector,
} from '@tovholder/read-models';
import type { EntityManager } from 'typeorm';
import { CaseListProjector } from '../apps/api/src/cases/case-list.projector';
import { crashProjectorBeforeCommit } from './support/crash-projector';
import { untilStoreHeadReaches } from './support/fixtures';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

function caseOpened(caseId = randomUUID(), departmentId = 'CHP') {
  return {
    id: randomUUID(),
    type: 'CaseOpened',
    data: {
      caseId,
      personId: randomUUID(),
      departmentId,
      caseType: 'disability-support',
      openedAt: '2026-05-01T08:00:00.000Z',
    },
  };
}

async function appendCases(fixture: ReadModelFixture, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const event = caseOpened();
    await fixture.store.append(`case-${event.data.caseId}`, [event], 'no_stream');
  }
}

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10000,
): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function caseRows(fixture: ReadModelFixture): Promise<unknown[]> {
  return fixture.dataSource.query('SELECT * FROM case_list ORDER BY case_id');
}

/** Counts events by type into its own table; fails on events marked poison while `broken`. */
class PoisonableProjector implements Projector {
  readonly name = 'poisonable';
  readonly tables = ['poisonable_counts'];
  broken = true;
  handles(): boolean {
    return true;
  }
  async apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    if (this.broken && event.data.poison === true) throw new Error('cannot apply a poison event');
    await manager.query(
      `INSERT INTO poisonable_counts (event_type, n) VALUES ($1, 1)
       ON CONFLICT (event_type) DO UPDATE SET n = poisonable_counts.n + 1`,
      [event.type],
    );
  }
}

/**
 * Counts events by type in the one-statement form (`batchWrites`); a poison event's write
 * breaks a CHECK constraint, so the whole statement fails, as a real projector's would.
 */
class StatementCountingProjector implements Projector {
  readonly name = 'statement-counting';
  readonly tables = ['statement_counts'];
  /** Transactions the runner opened for this projector's batches (none are expected). */
  transactions = 0;
  handles(): boolean {
    return true;
  }
  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return applyEvents(this, [event], manager);
  }
  batchWrites(events: readonly ProjectionEvent[], manager: EntityManager): Promise<ArrayWrite[]> {
    if (manager.queryRunner?.isTransactionActive) this.transactions += 1;
    const counts = new Map<string, number>();
    for (const event of events) {
      const type = event.data.poison === true ? 'POISON' : event.type;
      counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    return Promise.resolve([
      {
        sql: `INSERT INTO statement_counts (event_type, n)
              SELECT * FROM unnest($1::text[], $2::int[])
              ON CONFLICT (event_type) DO UPDATE SET n = statement_counts.n + EXCLUDED.n`,
        parameters: [arrayLiteral([...counts.keys()]), arrayLiteral([...counts.values()])],
      },
    ]);
  }
}

/**
 * A running total of the events' values, pipelined: a batch starts from the total the batch
 * before it prepared, not from the table. A batch holding a poison event fails to write.
 */
class RunningTotalProjector implements Projector {
  readonly name = 'running-total';
  readonly tables = ['running_totals'];
  handles(): boolean {
    return true;
  }
  apply(event: ProjectionEvent, manager: EntityManager): Promise<void> {
    return this.applyBatch([event], manager);
  }
  async applyBatch(batch: readonly ProjectionEvent[], manager: EntityManager): Promise<void> {
    await (await this.prepareBatch(batch, manager, null)).write(manager);
  }
  async prepareBatch(
    batch: readonly ProjectionEvent[],
    manager: EntityManager,
    previous: PreparedBatch | null,
  ): Promise<RunningTotal> {
    let start: number;
    if (previous instanceof RunningTotal) start = previous.total;
    else {
      const [row] = await manager.query<{ total: number }[]>('SELECT total FROM running_totals');
      start = row?.total ?? 0;
    }
    const total = batch.reduce((sum, event) => sum + Number(event.data.value), start);
    return new RunningTotal(
      total,
      batch.some((event) => event.data.poison === true),
    );
  }
}

class RunningTotal implements PreparedBatch {
  constructor(
    readonly total: number,
    private readonly poisoned: boolean,
  ) {}
  async write(manager: EntityManager): Promise<void> {
    if (this.poisoned) throw new Error('cannot write a poison event');
    await manager.query(
      `INSERT INTO running_totals (id, total) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET total = EXCLUDED.total`,
      [this.total],
    );
  }
}

describe('projection runtime', () => {
  let fixture: ReadModelFixture;
  beforeEach(async () => {
    fixture = await openReadModelFixture();
  });
  afterEach(async () => {
    await fixture.close();
  });

  it('parks an event it cannot apply, goes on with the next, and replays it after a fix', async () => {
    await fixture.dataSource.query(
      'CREATE TABLE poisonable_counts (event_type text PRIMARY KEY, n int NOT NULL)',
    );
    const stream = `test-${randomUUID()}`;
    const types = ['A', 'B', 'Poisoned', 'C', 'D'];
    await fixture.store.append(
      stream,
      types.map((type) => ({ id: randomUUID(), type, data: { poison: type === 'Poisoned' } })),
      'no_stream',
    );
    const projector = new PoisonableProjector();
    const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
      retryDelayMs: 5,
      maxAttempts: 3,
    });
    runner.start();
    try {
      await until(async () => (await listParkedEvents(fixture.dataSource.manager)).length === 1);
      await until(async () => {
        const rows: unknown[] = await fixture.dataSource.query('SELECT * FROM poisonable_counts');
        return rows.length === 4;
      });
    } finally {
      await runner.stop();
    }
    const [parked] = await listParkedEvents(fixture.dataSource.manager, 'poisonable');
    expect(parked).toMatchObject({ eventType: 'Poisoned', attempts: 3, streamId: stream });
    expect(parked?.reason).toContain('cannot apply a poison event');
    const head = await fixture.store.headPosition();
    expect(await readCheckpoint(fixture.dataSource.manager, 'poisonable')).toEqual(head);

    // still broken: the replay fails and the event stays parked
    if (!parked) throw new Error('no parked event');
    expect(
      await replayParkedEvent(fixture.dataSource, fixture.store, projector, parked.id),
    ).toMatchObject({
      outcome: 'failed',
    });
    projector.broken = false;
    expect(
      await replayParkedEvent(fixture.dataSource, fixture.store, projector, parked.id),
    ).toEqual({
      outcome: 'applied',
    });
    expect(await listParkedEvents(fixture.dataSource.manager)).toEqual([]);
    const rows: { event_type: string }[] = await fixture.dataSource.query(
      'SELECT event_type FROM poisonable_counts ORDER BY event_type',
    );
    expect(rows.map((row) => row.event_type)).toEqual(['A', 'B', 'C', 'D', 'Poisoned']);
  });

  it('a rebuild whose projector fails on every event stops as failed, the live rows kept; a few poison events in a row it parks', async () => {
    await fixture.dataSource.query(
      'CREATE TABLE poisonable_counts (event_type text PRIMARY KEY, n int NOT NULL)',
    );
    const append = (poison: boolean[]) =>
      fixture.store.append(
        `test-${randomUUID()}`,
        poison.map((p, i) => ({ id: randomUUID(), type: `E${i}`, data: { poison: p } })),
        'no_stream',
      );
    // Poison, poison, good, poison, poison: never three parked in a row.
    await append([true, true, false, true, true]);
    const projector = new PoisonableProjector();
    const { dataSource, store } = fixture;
    const rebuild = () =>
      rebuildBlueGreen(dataSource, store, projector, { stopAfterParkedInARow: 3 });
    await rebuild();
    const parked = () => listParkedEvents(dataSource.manager, 'poisonable');
    expect(await parked()).toHaveLength(4);
    const live = await dataSource.query('SELECT * FROM poisonable_counts ORDER BY event_type');
    expect(live).toEqual([{ event_type: 'E2', n: 1 }]);

    // A broken deploy: every event fails. Stopped at the third in a row, not parked to the end.
    await append([true, true, true, true, true, true]);
    const failed = rebuild();
    await expect(failed).rejects.toBeInstanceOf(ProjectorFailingError);
    await expect(failed).rejects.toThrow(/poisonable~rebuild failed on 3 events in a row/);
    expect(await dataSource.query('SELECT * FROM poisonable_counts ORDER BY event_type')).toEqual(
      live,
    );
    expect(await parked()).toHaveLength(4);
    const shadows = await dataSource.query(
      "SELECT nspname FROM pg_namespace WHERE nspname = 'rebuild_poisonable'",
    );
    expect(shadows).toEqual([]);
  });

  it('a wait that times out tells a position the log has not reached from a view that lags', async () => {
    const watcher = new CheckpointWatcher(fixture.dataSource, (position) =>
      fixture.store.hasReached(position),
    );
    const event = caseOpened();
    const appended = await fixture.store.append(`case-${event.data.caseId}`, [event], 'no_stream');
    // No runner follows this projector: a position the log holds is a view that lags.
    await expect(watcher.waitFor('never-run', appended.position, 50)).rejects.toBeInstanceOf(
      ReadModelNotCaughtUpError,
    );
    const past = { commit: appended.position.commit + 1_000_000n, prepare: 1n };
    await expect(watcher.waitFor('never-run', past, 50)).rejects.toBeInstanceOf(
      PositionNotInLogError,
    );
  });

  it('parks a poison event inside a large batch alone and applies the rest of the batch', async () => {
    await fixture.dataSource.query(
      'CREATE TABLE poisonable_counts (event_type text PRIMARY KEY, n int NOT NULL)',
    );
    const stream = `test-${randomUUID()}`;
    const events = Array.from({ length: 2000 }, (_, i) => ({
      id: randomUUID(),
      type: i === 1234 ? 'Poisoned' : `T${i % 7}`,
      data: { poison: i === 1234 },
    }));
    const appended = await fixture.store.append(stream, events, 'no_stream');
    // The shared test cluster's other transactions may hold the visible head back a moment.
    await untilStoreHeadReaches(fixture.store, appended.position);
    const projector = new PoisonableProjector();
    let commits = 0;
    const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
      retryDelayMs: 5,
      catchUpBatchSize: 5000,
      beforeCommit: () => {
        commits += 1;
        return Promise.resolve();
      },
    });
    await runner.catchUp();
    const parked = await listParkedEvents(fixture.dataSource.manager, 'poisonable');
    expect(parked.map((p) => p.eventId)).toEqual([events[1234]?.id]);
    const [applied] = await fixture.dataSource.query<{ n: string }[]>(
      'SELECT sum(n) AS n FROM poisonable_counts',
    );
    expect(Number(applied?.n)).toBe(1999);
    // Split by halves: a handful of transactions, not one per event.
    expect(commits).toBeLessThan(40);
    expect(runner.position).toEqual(await fixture.store.headPosition());
  });

  it('pipelined, a batch whose write failed is applied again by halves, and the next batch does not build on it', async () => {
    await fixture.dataSource.query(
      'CREATE TABLE running_totals (id int PRIMARY KEY, total int NOT NULL)',
    );
    const stream = `test-${randomUUID()}`;
    // Batches of 10: the first holds the poison; the second is prepared on the first's total.
    const events = Array.from({ length: 30 }, (_, i) => ({
      id: randomUUID(),
      type: 'Counted',
      data: { value: i === 5 ? 1000 : 1, poison: i === 5 },
    }));
    const appended = await fixture.store.append(stream, events, 'no_stream');
    await untilStoreHeadReaches(fixture.store, appended.position);
    const runner = new ProjectionRunner(
      fixture.dataSource,
      fixture.store,
      new RunningTotalProjector(),
      {
        retryDelayMs: 5,
        batchSize: 10,
        catchUpBatchSize: 10,
      },
    );
    await runner.catchUp();
    const parked = await listParkedEvents(fixture.dataSource.manager, 'running-total');
    expect(parked.map((p) => p.eventId)).toEqual([events[5]?.id]);
    const [row] = await fixture.dataSource.query<{ total: number }[]>(
      'SELECT total FROM running_totals',
    );
    expect(row?.total).toBe(29);
    expect(runner.position).toEqual(await fixture.store.headPosition());
  });

  it('writes a batch and its checkpoint in one statement: a poison event is parked alone, a moved checkpoint writes nothing', async () => {
    await fixture.dataSource.query(
      `CREATE TABLE statement_counts (event_type text PRIMARY KEY CHECK (event_type <> 'POISON'),
                                      n int NOT NULL)`,
    );
    const stream = `test-${randomUUID()}`;
    const events = Array.from({ length: 2000 }, (_, i) => ({
      id: randomUUID(),
      type: `T${i % 7}`,
      data: { poison: i === 777 },
    }));
    const appended = await fixture.store.append(stream, events, 'no_stream');
    await untilStoreHeadReaches(fixture.store, appended.position);
    const projector = new StatementCountingProjector();
    const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
      retryDelayMs: 5,
      catchUpBatchSize: 5000,
    });
    await runner.catchUp();
    expect(projector.transactions).toBe(0);
    const parked = await listParkedEvents(fixture.dataSource.manager, projector.name);
    expect(parked.map((p) => p.eventId)).toEqual([events[777]?.id]);
    const counted = async (): Promise<number> => {
      const [row] = await fixture.dataSource.query<{ n: string | null }[]>(
        'SELECT sum(n) AS n FROM statement_counts',
      );
      return Number(row?.n ?? 0);
    };
    expect(await counted()).toBe(1999);
    expect(runner.position).toEqual(await fixture.store.headPosition());

    // Another process moved the checkpoint from where this one expects it: nothing is written.
    const stale = { commit: 1n, prepare: 1n };
    const writes = await projector.batchWrites(
      await fixture.store.readAll(null, 3),
      fixture.dataSource.manager,
    );
    await expect(
      writeWithCheckpoint(fixture.dataSource.manager, writes, projector.name, stale, {
        commit: 2n,
        prepare: 2n,
      }),
    ).rejects.toBeInstanceOf(CheckpointMovedError);
    expect(await counted()).toBe(1999);
    expect(await readCheckpoint(fixture.dataSource.manager, projector.name)).toEqual(
      runner.position,
    );
  });

  it('following the log live in single statements, parks a poison event of the last batch alone and applies the rest at once', async () => {
    await fixture.dataSource.query(
      `CREATE TABLE statement_counts (event_type text PRIMARY KEY CHECK (event_type <> 'POISON'),
                                      n int NOT NULL)`,
    );
    const projector = new StatementCountingProjector();
    const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
      retryDelayMs: 5,
    });
    runner.start();
    try {
      await until(() => runner.state === 'running');
      const stream = `test-${randomUUID()}`;
      let revision: number | 'no_stream' = 'no_stream';
      let head: Position | null = null;
      const poison = randomUUID();
      for (let append = 0; append < 5; append++) {
        const events = Array.from({ length: 20 }, (_, i) => ({
          id: append === 4 && i === 7 ? poison : randomUUID(),
          type: `T${i % 3}`,
          data: { poison: append === 4 && i === 7 },
        }));
        const appended = await fixture.store.append(stream, events, revision);
        revision = appended.nextRevision;
        head = appended.position;
      }
      if (!head) throw new Error('nothing appended');
      const last = head;
      await untilStoreHeadReaches(fixture.store, last);
      await until(() => comparePositions(runner.position, last) >= 0);
      const parked = await listParkedEvents(fixture.dataSource.manager, projector.name);
      expect(parked.map((p) => p.eventId)).toEqual([poison]);
      const [row] = await fixture.dataSource.query<{ n: string | null }[]>(
        'SELECT sum(n) AS n FROM statement_counts',
      );
      expect(Number(row?.n)).toBe(99);
      expect(projector.transactions).toBe(0);
    } finally {
      await runner.stop();
    }
    expect(await readCheckpoint(fixture.dataSource.manager, projector.name)).toEqual(
      await fixture.store.headPosition(),
    );
  });

  it('lets only one of several instances run a projector; a standby takes over when it stops', async () => {
    const options = { standbyPollMs: 50, batchSize: 20 };
    const first = new ProjectionRunner(
      fixture.dataSource,
      fixture.store,
      new CaseListProjector(),
      options,
    );
    const second = new ProjectionRunner(
      fixture.dataSource,
      fixture.store,
      new CaseListProjector(),
      options,
    );
    first.start();
    await until(() => first.state === 'running');
    second.start();
    await until(() => second.state === 'standby');
    await appendCases(fixture, 60);
    await until(async () => (await caseRows(fixture)).length === 60);
    expect(first.state).toBe('running');
    expect(second.state).toBe('standby');

    await first.stop();
    await until(() => second.state === 'running');
    await appendCases(fixture, 40);
    await until(async () => (await caseRows(fixture)).length === 100);
    await second.stop();
    expect(await readCheckpoint(fixture.dataSource.manager, 'case-list')).toEqual(
      await fixture.store.headPosition(),
    );
  });

  it('after a crash between writing and committing a batch, the read model equals a full rebuild', async () => {
    await appendCases(fixture, 180);
    await crashProjectorBeforeCommit(fixture.url);

    // the first batch committed, the second died with its transaction
    expect(await caseRows(fixture)).toHaveLength(50);

    const restarted = new ProjectionRunner(
      fixture.dataSource,
      fixture.store,
      new CaseListProjector(),
      {
        batchSize: 50,
      },
    );
    restarted.start();
    await until(async () => (await caseRows(fixture)).length === 180);
    await restarted.stop();
    const live = await caseRows(fixture);

    const result = await rebuildProjection(
      fixture.dataSource,
      fixture.store,
      new CaseListProjector(),
    );
    expect(result).toEqual({ events: 180, replayedBy: 'here' });
    expect(await caseRows(fixture)).toEqual(live);
  }, 60000);

  it('passes events it has nothing for without a transaction: waiting readers are told at once, the table a moment later', async () => {
    const opened = caseOpened();
    const { position: head } = await fixture.store.append(
      `case-${opened.data.caseId}`,
      [opened],
      'no_stream',
    );
    // The shared test cluster's other transactions may hold the visible head back a moment.
    await untilStoreHeadReaches(fixture.store, head);
    const told: string[] = [];
    let transactions = 0;
    const runner = new ProjectionRunner(
      fixture.dataSource,
      fixture.store,
      new PoisonableProjector(),
      {
        name: 'nothing-to-do',
        onCheckpoint: (_name, position) => told.push(`${position.commit}-${position.prepare}`),
        beforeCommit: () => {
          transactions += 1;
          return Promise.resolve();
        },
      },
    );
    jest.spyOn(runner.projector, 'handles').mockReturnValue(false);
    runner.start();
    try {
      await until(() => told.includes(`${head.commit}-${head.prepare}`));
      await until(async () => {
        const stored = await readCheckpoint(fixture.dataSource.manager, 'nothing-to-do');
        return stored?.commit === head.commit && stored.prepare === head.prepare;
      }, 2000);
      expect(transactions).toBe(0);
    } finally {
      await runner.stop();
    }
  });

  it('a rebuild from another process while the running instance is idle is replayed by that instance', async () => {
    await appendCases(fixture, 30);
    const running = new ProjectionRunner(
      fixture.dataSource,
      fixture.store,
      new CaseListProjector(),
      {
        resetCheckMs: 100,
      },
    );
    running.start();
    try {
      await until(async () => (await caseRows(fixture)).length === 30);
      // No new events follow: only the reset check can tell the runner to start over.
      const result = await rebuildProjection(
        fixture.dataSource,
        fixture.store,
        new CaseListProjector(),
      );
      expect(result).toEqual({ events: 30, replayedBy: 'running-instance' });
      expect(await caseRows(fixture)).toHaveLength(30);
    } finally {
      await running.stop();
    }
  }, 30000);
});

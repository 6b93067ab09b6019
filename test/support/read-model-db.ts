import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  PostgresEventStore,
  type EventStore,
  type Position,
  type ProjectionEvent,
  type StreamOrderRead,
} from '@tovholder/event-store';
import {
  ProjectionRunner,
  rebuildBlueGreen,
  resetProjection,
  type Projector,
} from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { readModelDataSourceOptions } from '../../apps/api/src/read-models';
import { createTestDatabase, dropTestDatabase } from './database';

export interface ReadModelFixture {
  readonly url: string;
  readonly store: PostgresEventStore;
  readonly dataSource: DataSource;
  close(): Promise<void>;
}

/** A fresh database with the event store and the migrated read models, without the HTTP app. */
export async function openReadModelFixture(): Promise<ReadModelFixture> {
  const url = await createTestDatabase();
  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await new DataSource(readModelDataSourceOptions(url)).initialize();
  return {
    url,
    store,
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await store.close();
      await dropTestDatabase(url);
    },
  };
}

/**
 * Projects the log into `projector` until it has passed `last` (the newest event the test
 * wrote): other test files' transactions in the same PostgreSQL can hold back what is visible.
 */
export async function projectUpTo(
  fixture: ReadModelFixture,
  projector: Projector,
  last: Position | undefined,
): Promise<void> {
  const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
    batchSize: 50,
  });
  do await runner.catchUp();
  while (last && comparePositions(runner.position, last) < 0);
}

type Step = [type: string, data: Record<string, unknown>];

/** A granted decision's data, its checklist complete. */
export function grantedDecision(
  applicationId: string,
  decisionId: string,
  decidedAt: string,
): Record<string, unknown> {
  return {
    applicationId,
    decisionId,
    outcome: 'granted',
    decidedAt,
    channel: 'digital-post',
    checklist: {
      reasonsGiven: true,
      hearing: 'done',
      hearingNotNeededReason: null,
      appealGuidanceIncluded: true,
      consent: 'obtained',
    },
  };
}

/** An inquiry's steps as (type, data), in order: received, acknowledged, answered. */
export function inquirySteps(inquiryId: string): [Step, Step, Step] {
  const base = { inquiryId, channel: 'letter' };
  return [
    [
      'InquiryReceived',
      {
        ...base,
        personId: randomUUID(),
        departmentId: 'CBU',
        caseId: null,
        channel: 'phone',
        receivedAt: '2026-03-02T09:00:00.000Z',
      },
    ],
    [
      'InquiryAcknowledged',
      { ...base, acknowledgedAt: '2026-03-03T09:00:00.000Z', answerPromisedBy: '2026-03-20' },
    ],
    ['InquiryAnswered', { ...base, answeredAt: '2026-03-10T09:00:00.000Z' }],
  ];
}

/**
 * Rebuilds `projector` from the log in catch-up batches of `size` events: a pipelined projector
 * loads and folds each while the one before writes and commits. `beforeCommit` injects faults.
 */
export async function rebuildInBatchesOf(
  fixture: ReadModelFixture,
  projector: Projector,
  size: number,
  beforeCommit?: (events: readonly ProjectionEvent[]) => Promise<void>,
): Promise<void> {
  await resetProjection(fixture.dataSource, projector);
  const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
    batchSize: size,
    catchUpBatchSize: size,
    retryDelayMs: 1,
    beforeCommit,
  });
  const lock = await runner.tryLock();
  if (!lock) throw new Error(`${projector.name} is locked elsewhere`);
  try {
    await runner.catchUp();
  } finally {
    await lock.release();
  }
}

/**
 * A blue/green rebuild of `projector` (one with `streamOrder`) in pages of `size` events, which
 * must have gone stream by stream up to its start: it read in stream order and did not start
 * again in log order.
 */
export async function rebuildInStreamOrder(
  fixture: ReadModelFixture,
  projector: Projector,
  size: number,
): Promise<void> {
  const { store } = fixture;
  let pages = 0;
  const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
    readInStreamOrder: (read: StreamOrderRead) => {
      pages += 1;
      return store.readInStreamOrder(read);
    },
  });
  const warnings: string[] = [];
  const { streamOrder } = await rebuildBlueGreen(fixture.dataSource, counting, projector, {
    catchUpBatchSize: size,
    order: 'stream',
    logger: { log: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
  expect(warnings).toEqual([]);
  expect(streamOrder?.groups).toEqual(projector.streamOrder);
  expect(pages).toBeGreaterThan(1);
}

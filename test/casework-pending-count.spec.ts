import { randomUUID } from 'node:crypto';
import { caseStream } from '@tovholder/domain';
import type { RecordedEvent } from '@tovholder/event-store';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import { PENDING_MONTH_END_TABLES, type CarryRule } from '../apps/api/src/casework/month-ends';
import { loadConfig } from '../apps/api/src/config/app-config';
import type { EntityManager } from 'typeorm';
import { openReadModelFixture, type ReadModelFixture } from './support/read-model-db';

/*
 * A batch's statement reports how many month-end changes are pending once its own are added,
 * and the projector carries them in when that reaches `mostPending`. The count must be the rows
 * of the pending tables: a change the batch adds to a row already pending is not a new row.
 */
describe('casework projector: the pending month-end changes a batch reports', () => {
  let fixture: ReadModelFixture;
  const policy = caseworkPolicyFrom(loadConfig({}));
  const never: CarryRule = { rowsPerPendingChange: 0, mostPending: Number.MAX_SAFE_INTEGER };
  const caseworker = randomUUID();

  /** A case opened and assigned at `at`: a pending change to open cases and one to a caseload. */
  const openCase = async (at: string): Promise<RecordedEvent[]> => {
    const caseId = randomUUID();
    await fixture.store.append(
      caseStream(caseId),
      [
        {
          id: randomUUID(),
          type: 'CaseOpened',
          data: {
            caseId,
            personId: randomUUID(),
            departmentId: 'CBU',
            caseType: 'sel-123',
            openedAt: at,
          },
        },
        {
          id: randomUUID(),
          type: 'CaseworkerAssigned',
          data: { caseId, caseworkerId: caseworker, assignedAt: at },
        },
      ],
      'no_stream',
    );
    // By stream: other test files' transactions in the same server can hold back readAll.
    return fixture.store.readStream(caseStream(caseId));
  };

  const pendingRows = async (
    manager: EntityManager = fixture.dataSource.manager,
  ): Promise<number> => {
    const [row] = await manager.query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM ${PENDING_MONTH_END_TABLES.open})
            + (SELECT count(*) FROM ${PENDING_MONTH_END_TABLES.caseload})::int AS n`,
    );
    return Number(row?.n);
  };

  /** Applies `batch` with `rule` and reports the pending rows after it, then undoes it. */
  const pendingAfter = async (batch: RecordedEvent[], rule: CarryRule): Promise<number> => {
    const runner = fixture.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await new CaseworkProjector(policy, rule).applyBatch(batch, runner.manager);
      return await pendingRows(runner.manager);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  };

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });

  afterAll(async () => {
    await fixture.close();
  });

  it('counts a change to a pending row once, and carries at the count, not before', async () => {
    const january = await openCase('2024-01-10T10:00:00.000Z');
    await fixture.dataSource.transaction((manager) =>
      new CaseworkProjector(policy, never).applyBatch(january, manager),
    );
    const before = await pendingRows();
    expect(before).toBe(2); // January's open cases and the caseworker's January caseload

    // Another January case changes the two rows pending; a March and a May case add two rows each.
    const batch = [
      ...(await openCase('2024-01-20T10:00:00.000Z')),
      ...(await openCase('2024-03-05T10:00:00.000Z')),
      ...(await openCase('2024-05-05T10:00:00.000Z')),
    ];
    const after = before + 4;
    expect(await pendingAfter(batch, never)).toBe(after);
    expect(await pendingAfter(batch, { rowsPerPendingChange: 0, mostPending: after + 1 })).toBe(
      after,
    );
    expect(await pendingAfter(batch, { rowsPerPendingChange: 0, mostPending: after })).toBe(0);
  });
});

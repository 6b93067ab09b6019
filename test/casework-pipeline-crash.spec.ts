import { randomUUID } from 'node:crypto';
import { ProjectionRunner, rebuildBlueGreen, rebuildProjection } from '@tovholder/read-models';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import { loadConfig } from '../apps/api/src/config/app-config';
import type { Position } from '@tovholder/event-store';
import { crashProjectorBeforeCommit } from './support/crash-projector';
import { untilStoreHeadReaches } from './support/fixtures';
import {
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * The casework projector catches up pipelined: each batch is folded while the one before commits,
 * on that one's rows. Killed (SIGKILL) between writing its second batch and committing it, with
 * the third folded on the second's rows, the read model holds the first batch only; a restarted
 * runner then gives what a rebuild gives. Every case is opened, assigned and reassigned in
 * different batches of 50 events, so each batch changes rows the one before wrote.
 */

const CASES = 40;

describe('casework projector: a crash while the next batch is folded on the uncommitted one', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})));
  const rows = () =>
    fixture.dataSource.query<unknown[]>(
      `SELECT c.*, (SELECT array_agg(a ORDER BY a) FROM casework_assignments a WHERE a.case_id = c.case_id) AS assignments
         FROM casework_cases c ORDER BY c.case_id`,
    );

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(() => fixture.close());

  it('holds the committed batches only, and a restart equals a rebuild', async () => {
    const caseIds = Array.from({ length: CASES }, () => randomUUID());
    const [first, second] = [randomUUID(), randomUUID()];
    const steps: [string, (caseId: string) => Record<string, unknown>][] = [
      [
        'CaseOpened',
        (caseId) => ({
          caseId,
          personId: randomUUID(),
          departmentId: 'CHP',
          caseType: 'family-support',
          openedAt: '2026-03-02T09:00:00.000Z',
        }),
      ],
      [
        'CaseworkerAssigned',
        (caseId) => ({ caseId, caseworkerId: first, assignedAt: '2026-03-03T09:00:00.000Z' }),
      ],
      [
        'CaseworkerChanged',
        (caseId) => ({
          caseId,
          fromCaseworkerId: first,
          toCaseworkerId: second,
          reason: 'Workload',
          changedAt: '2026-04-01T09:00:00.000Z',
        }),
      ],
      [
        'CaseClosed',
        (caseId) => ({ caseId, reason: 'Support ended', closedAt: '2026-05-04T09:00:00.000Z' }),
      ],
    ];
    let last;
    for (const [type, data] of steps) {
      for (const caseId of caseIds) {
        const event = { id: randomUUID(), type, data: data(caseId) };
        last = (await fixture.store.append(`case-${caseId}`, [event], 'any')).position;
      }
    }
    await crashProjectorBeforeCommit(fixture.url, 'casework');

    // The first batch (40 openings, 10 assignments) committed; the second died with its transaction.
    const committed = await fixture.dataSource.query<{ cases: number; assignments: number }[]>(
      `SELECT (SELECT count(*) FROM casework_cases)::int AS cases,
              (SELECT count(*) FROM casework_assignments)::int AS assignments`,
    );
    expect(committed).toEqual([{ cases: CASES, assignments: 50 - CASES }]);

    await projectUpTo(fixture, projector, last);
    const restarted = await rows();
    expect(restarted).toHaveLength(CASES);
    await rebuildProjection(fixture.dataSource, fixture.store, projector);
    expect(await rows()).toEqual(restarted);
  }, 60_000);
});

describe('casework projector: a poison event while catching up pipelined', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})));

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(() => fixture.close());

  it('is parked alone, and every other event of its batch and the next is applied', async () => {
    const caseIds = Array.from({ length: 12 }, () => randomUUID());
    let last: Position | null = null;
    const append = async (caseId: string, type: string, data: Record<string, unknown>) => {
      const id = randomUUID();
      ({ position: last } = await fixture.store.append(
        `case-${caseId}`,
        [{ id, type, data }],
        'any',
      ));
      return id;
    };
    let poison = '';
    for (const [i, caseId] of caseIds.entries()) {
      await append(caseId, 'CaseOpened', {
        caseId,
        personId: randomUUID(),
        departmentId: 'CHP',
        caseType: 'family-support',
        openedAt: '2026-03-02T09:00:00.000Z',
      });
      // Counted per month: the batch around the poison counts its inquiry the careful way, and
      // the rebuild's counts computed at once afterwards must replace, not add to, that.
      const inquiryId = randomUUID();
      const [received, data] = inquirySteps(inquiryId)[0];
      ({ position: last } = await fixture.store.append(
        `inquiry-${inquiryId}`,
        [{ id: randomUUID(), type: received, data }],
        'no_stream',
      ));
      // A close without its time cannot be read: the batch holding it fails to fold.
      if (i === 5) poison = await append(caseId, 'CaseClosed', { caseId });
      await append(caseId, 'CaseworkerAssigned', {
        caseId,
        caseworkerId: randomUUID(),
        assignedAt: '2026-03-03T09:00:00.000Z',
      });
    }
    // The catch-up ends where the log's visible head is: another suite's open transaction in the
    // shared cluster may hold it back for a while.
    if (last) await untilStoreHeadReaches(fixture.store, last);
    const runner = new ProjectionRunner(fixture.dataSource, fixture.store, projector, {
      batchSize: 5,
      catchUpBatchSize: 5,
      maxAttempts: 1,
      retryDelayMs: 1,
    });
    const lock = await runner.tryLock();
    try {
      await runner.catchUp();
    } finally {
      await lock?.release();
    }
    const parked = await fixture.dataSource.query<{ event_id: string }[]>(
      `SELECT event_id FROM parked_events WHERE projector = 'casework'`,
    );
    expect(parked).toEqual([{ event_id: poison }]);
    const counts = await fixture.dataSource.query<{ open: number; assignments: number }[]>(
      `SELECT (SELECT count(*) FROM casework_cases WHERE closed_at IS NULL)::int AS open,
              (SELECT count(*) FROM casework_assignments WHERE to_at IS NULL)::int AS assignments`,
    );
    expect(counts).toEqual([{ open: 12, assignments: 12 }]);
    const inquiries = () =>
      fixture.dataSource.query(
        'SELECT sum(inquiries)::int AS n FROM casework_inquiries_by_response_hours',
      );
    expect(await inquiries()).toEqual([{ n: 12 }]);

    // A blue/green rebuild folds each stream at once first: that pass stops at the poison, and
    // the rebuild starts again in log order, where it is parked alone as above.
    const warnings: string[] = [];
    await rebuildBlueGreen(fixture.dataSource, fixture.store, projector, {
      catchUpBatchSize: 5,
      order: 'stream',
      logger: { log: () => undefined, warn: (m) => warnings.push(m), error: () => undefined },
    });
    expect(warnings).toEqual([
      expect.stringContaining('starting again in log order'),
      expect.stringContaining(`parked event ${poison}`),
    ]);
    expect(
      await fixture.dataSource.query(
        `SELECT event_id FROM parked_events WHERE projector = 'casework'`,
      ),
    ).toEqual([{ event_id: poison }]);
    expect(
      await fixture.dataSource.query(
        `SELECT (SELECT count(*) FROM casework_cases WHERE closed_at IS NULL)::int AS open,
                (SELECT count(*) FROM casework_assignments WHERE to_at IS NULL)::int AS assignments`,
      ),
    ).toEqual(counts);
    expect(await inquiries()).toEqual([{ n: 12 }]);
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { loadConfig } from '../apps/api/src/config/app-config';
import { startTestApp, type TestApp } from './support/test-app';

const CASES = 4000;
const READERS = 4;

interface Read {
  readonly status: number;
  readonly caseType: string | null;
  readonly total: number | null;
}

describe('blue/green rebuild under concurrent reads', () => {
  let t: TestApp;
  beforeAll(async () => {
    const defaults = loadConfig({});
    // Small catch-up batches: the rebuild takes long enough for reads to land on both sides.
    t = await startTestApp({
      config: { projections: { ...defaults.projections, catchUpBatchSize: 200 } },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  async function projectorStatus(): Promise<
    { name: string; eventsBehind: number; rebuild: unknown }[]
  > {
    const response = await request(t.server).get('/projections').expect(200);
    return response.body as { name: string; eventsBehind: number; rebuild: unknown }[];
  }

  it('serves the old rows until the switch and the new rows after it, every read 2xx', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const caseIds: string[] = [];
    for (let chunk = 0; chunk < CASES / 500; chunk++) {
      const events = Array.from({ length: 500 }, () => {
        const caseId = randomUUID();
        caseIds.push(caseId);
        return {
          id: randomUUID(),
          type: 'CaseOpened',
          data: {
            caseId,
            personId: randomUUID(),
            departmentId: 'CHP',
            caseType: 'disability-support',
            openedAt: '2026-05-01T08:00:00.000Z',
          },
        };
      });
      await store.append(`bulk-${randomUUID()}`, events, 'no_stream');
    }
    // The log's head shows once the other projectors' long catch-up transactions have ended.
    for (;;) {
      const visible = (await store.readAll(null, CASES + 1000)).length;
      const caseList = (await projectorStatus()).find((p) => p.name === 'case-list');
      if (visible >= CASES && caseList?.eventsBehind === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The live version's rows as an older projector version wrote them: the rebuild corrects them.
    const dataSource = t.app.get(DataSource);
    await dataSource.query("UPDATE case_list SET case_type = 'as-built-before'");

    let reading = true;
    const reads: Read[][] = Array.from({ length: READERS }, () => []);
    const readers = reads.map(async (log, reader) => {
      for (let i = 0; reading; i++) {
        const caseId = caseIds[(reader * 997 + i * 31) % caseIds.length];
        const one = await request(t.server).get(`/cases/${caseId}`);
        log.push({
          status: one.status,
          caseType: (one.body as { caseType?: string }).caseType ?? null,
          total: null,
        });
        const page = await request(t.server).get('/cases').query({ departmentId: 'CHP', limit: 5 });
        const body = page.body as { total?: number; items?: { caseType: string }[] };
        log.push({
          status: page.status,
          caseType: body.items?.[0]?.caseType ?? null,
          total: body.total ?? null,
        });
      }
    });

    await request(t.server).post('/projections/case-list/rebuild').expect(202);
    await request(t.server).post('/projections/case-list/rebuild').expect(409);
    let sawProgress = false;
    for (;;) {
      const caseList = (await projectorStatus()).find((p) => p.name === 'case-list');
      if (caseList?.rebuild) sawProgress = true;
      else if (sawProgress) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // reads after the switch
    reading = false;
    await Promise.all(readers);

    expect(sawProgress).toBe(true);
    const all = reads.flat();
    expect(all.filter((read) => read.status !== 200)).toEqual([]);
    expect(all.filter((read) => read.total !== null && read.total !== CASES)).toEqual([]);
    // Each reader sees old rows, then new ones, and never old again after new.
    for (const log of reads) {
      const types = log.map((read) => read.caseType);
      const firstNew = types.indexOf('disability-support');
      expect(
        types
          .slice(0, firstNew < 0 ? types.length : firstNew)
          .every((x) => x === 'as-built-before'),
      ).toBe(true);
      expect(types.slice(firstNew).every((x) => x === 'disability-support')).toBe(true);
    }
    expect(all.some((read) => read.caseType === 'as-built-before')).toBe(true);
    expect(all.at(-1)?.caseType).toBe('disability-support');
    const [row] = await dataSource.query<{ n: string }[]>(
      "SELECT count(*) AS n FROM case_list WHERE case_type = 'disability-support'",
    );
    expect(Number(row?.n)).toBe(CASES);
    const schemas = await dataSource.query<unknown[]>(
      "SELECT 1 FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'",
    );
    expect(schemas).toEqual([]);
  }, 120_000);
});

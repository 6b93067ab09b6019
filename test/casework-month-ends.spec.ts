import { randomUUID } from 'node:crypto';
import type { Position } from '@tovholder/event-store';
import { rebuildProjection, type Projector } from '@tovholder/read-models';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import {
  carryPendingChanges,
  countsAtMonthEndSql,
  MONTH_END_BACKFILL_SQL,
  MONTH_END_TABLES,
  PENDING_MONTH_END_TABLES,
} from '../apps/api/src/casework/month-ends';
import { loadConfig } from '../apps/api/src/config/app-config';
import { MANAGEMENT_FIGURES_SQL } from '../apps/api/src/management-figures/management-figures.queries';
import { monthEnd, monthsBetween, seededUniform } from './support/months';
import {
  openReadModelFixture,
  projectUpTo,
  rebuildInBatchesOf,
  rebuildInStreamOrder,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * The open cases and caseloads the casework projector keeps at month ends, checked against a
 * plain count over the events at every Copenhagen month end: cases opened, handed on and closed
 * across month ends (some exactly on one, some across a DST change), events in the log out of
 * the order of their instants, months before the first event and after the last; then the
 * migration's backfill and a rebuild from the log must give the same rows. The projector here
 * carries its pending changes into the month ends only when it must (the first batch, or many
 * pending), so the counts are read with changes pending, and again once they are carried in.
 */

const HOUR = 3_600_000;
const DEPARTMENTS = ['CBU', 'CHP'] as const;

interface Written {
  stream: string;
  type: string;
  data: Record<string, unknown>;
}
interface SimCase {
  caseId: string;
  department: string;
  holder: string | null;
  closed: boolean;
}

/** A case's life as events: who held it from when, when it opened and closed. */
interface Life {
  department: string;
  openedAt: number;
  closedAt?: number;
  holders: { caseworker: string; from: number }[];
}

function livesOf(events: readonly Written[]): Map<string, Life> {
  const lives = new Map<string, Life>();
  for (const { type, data } of events) {
    const life = lives.get(data.caseId as string);
    if (type === 'CaseOpened') {
      lives.set(data.caseId as string, {
        department: data.departmentId as string,
        openedAt: Date.parse(data.openedAt as string),
        holders: [],
      });
    } else if (type === 'CaseworkerAssigned' && life) {
      life.holders.push({
        caseworker: data.caseworkerId as string,
        from: Date.parse(data.assignedAt as string),
      });
    } else if (type === 'CaseworkerChanged' && life) {
      life.holders.push({
        caseworker: data.toCaseworkerId as string,
        from: Date.parse(data.changedAt as string),
      });
    } else if (type === 'CaseClosed' && life) {
      life.closedAt = Date.parse(data.closedAt as string);
    }
  }
  return lives;
}

/** Open cases per department and cases per caseworker at the end of `month`, counted plainly. */
function standingAt(lives: Map<string, Life>, month: string) {
  const end = monthEnd(month);
  const open = new Map<string, number>();
  const held = new Map<string, number>();
  for (const life of lives.values()) {
    if (life.openedAt > end || (life.closedAt !== undefined && life.closedAt <= end)) continue;
    open.set(life.department, (open.get(life.department) ?? 0) + 1);
    const holder = life.holders.filter((h) => h.from <= end).at(-1);
    if (holder) {
      const key = `${life.department}|${holder.caseworker}`;
      held.set(key, (held.get(key) ?? 0) + 1);
    }
  }
  return { open, held };
}

describe('casework projector: open cases and caseloads at month ends', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})), {
    rowsPerPendingChange: 0,
    mostPending: 1_000_000,
  });
  const written: Written[] = [];
  let last: Position | undefined;

  const append = async (stream: string, type: string, data: Record<string, unknown>) => {
    const result = await fixture.store.append(stream, [{ id: randomUUID(), type, data }], 'any');
    written.push({ stream, type, data });
    last = result.position;
  };
  // Caught up, a runner settles the projector (carries every pending change in): not here, so
  // the counts are read with changes pending.
  const keepingPending: Projector = {
    name: projector.name,
    tables: projector.tables,
    handles: (event) => projector.handles(event),
    apply: (event, manager) => projector.apply(event, manager),
    applyBatch: (events, manager) => projector.applyBatch(events, manager),
  };
  const project = () => projectUpTo(fixture, keepingPending, last);
  /** The month-end rows once every pending change is carried in. */
  const snapshot = async (): Promise<unknown[]> => {
    await fixture.dataSource.transaction((manager) => carryPendingChanges(manager));
    return Promise.all(
      Object.values(MONTH_END_TABLES).map((table) =>
        fixture.dataSource.query(`SELECT * FROM ${table} t ORDER BY t`),
      ),
    );
  };
  const pendingChanges = async (): Promise<number> => {
    const [row] = await fixture.dataSource.query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM ${PENDING_MONTH_END_TABLES.open})
            + (SELECT count(*) FROM ${PENDING_MONTH_END_TABLES.caseload})::int AS n`,
    );
    return Number(row?.n);
  };

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    const random = seededUniform('5150');
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const caseworkers = Object.fromEntries(
      DEPARTMENTS.map((d) => [d, [randomUUID(), randomUUID(), randomUUID()]]),
    ) as Record<string, string[]>;

    let now = Date.parse('2025-10-03T08:00:00.000Z');
    const cases: SimCase[] = [];
    type Kind = 'open' | 'assign' | 'change' | 'close';
    const act = async (kind: Kind | undefined, at: string) => {
      const open = cases.filter((c) => !c.closed);
      const roll = random();
      kind ??=
        roll < 0.3 || open.length < 4
          ? 'open'
          : roll < 0.55
            ? 'assign'
            : roll < 0.8
              ? 'change'
              : 'close';
      const unassigned = open.filter((c) => c.holder === null);
      const assigned = open.filter((c) => c.holder !== null);
      // Nothing to do the change to: a case opens instead.
      const none = {
        open: false,
        assign: !unassigned.length,
        change: !assigned.length,
        close: !open.length,
      };
      if (kind === 'open' || none[kind]) {
        const c: SimCase = {
          caseId: randomUUID(),
          department: pick(DEPARTMENTS),
          holder: null,
          closed: false,
        };
        cases.push(c);
        await append(`case-${c.caseId}`, 'CaseOpened', {
          caseId: c.caseId,
          personId: randomUUID(),
          departmentId: c.department,
          caseType: 'family-support',
          openedAt: at,
        });
      } else if (kind === 'assign') {
        const c = pick(unassigned);
        c.holder = pick(caseworkers[c.department]!);
        await append(`case-${c.caseId}`, 'CaseworkerAssigned', {
          caseId: c.caseId,
          caseworkerId: c.holder,
          assignedAt: at,
        });
      } else if (kind === 'change') {
        const c = pick(assigned);
        const to = pick(caseworkers[c.department]!.filter((w) => w !== c.holder));
        await append(`case-${c.caseId}`, 'CaseworkerChanged', {
          caseId: c.caseId,
          fromCaseworkerId: c.holder,
          toCaseworkerId: to,
          reason: 'Workload',
          changedAt: at,
        });
        c.holder = to;
      } else {
        const c = pick(assigned.length && random() < 0.5 ? assigned : open);
        c.closed = true;
        await append(`case-${c.caseId}`, 'CaseClosed', {
          caseId: c.caseId,
          reason: 'Support ended',
          closedAt: at,
        });
      }
    };
    // Ten months of random steps; at every month end (DST in force at the end of March, not at
    // the end of October) a millisecond before, exactly on it (which belongs to the month
    // before) and a millisecond after, with every kind of change exactly on it.
    for (const month of monthsBetween('2025-10', '2026-07')) {
      const end = monthEnd(month);
      for (;;) {
        const next = now + Math.round(random() * 30 * HOUR);
        if (next >= end - 1) break;
        now = next;
        await act(undefined, new Date(now).toISOString());
      }
      await act(undefined, new Date(end - 1).toISOString());
      for (const kind of ['open', 'assign', 'change', 'close'] as const) {
        await act(kind, new Date(end).toISOString());
      }
      await act(undefined, new Date(end + 1).toISOString());
      now = end + 1;
      // Projected in several goes, carried in after each (so later changes are carried into
      // month ends written before, and the horizon moves on between batches too).
      if (month.endsWith('1') || month.endsWith('4')) {
        await project();
        await fixture.dataSource.transaction((manager) => carryPendingChanges(manager));
      }
    }

    // Two requests at once can put events in the log out of the order of their instants: here
    // a case opened and assigned in the second month, handed on in the third and closed exactly
    // at the end of the fifth, all logged after the months since.
    const late = randomUUID();
    const [first, second] = caseworkers.CBU as [string, string];
    await append(`case-${late}`, 'CaseOpened', {
      caseId: late,
      personId: randomUUID(),
      departmentId: 'CBU',
      caseType: 'family-support',
      openedAt: '2025-11-10T09:00:00.000Z',
    });
    await append(`case-${late}`, 'CaseworkerAssigned', {
      caseId: late,
      caseworkerId: first,
      assignedAt: '2025-11-10T10:00:00.000Z',
    });
    await append(`case-${late}`, 'CaseworkerChanged', {
      caseId: late,
      fromCaseworkerId: first,
      toCaseworkerId: second,
      reason: 'Leave',
      changedAt: new Date(monthEnd('2025-12')).toISOString(),
    });
    await append(`case-${late}`, 'CaseClosed', {
      caseId: late,
      reason: 'Support ended',
      closedAt: new Date(monthEnd('2026-02')).toISOString(),
    });
    await project();
  }, 120_000);
  afterAll(async () => {
    await fixture.close();
  });

  // From before the first event to after the last: the months after stand as the last did.
  const months = monthsBetween('2025-09', '2026-12');

  it('the run crossed month ends in every way', () => {
    const at = (field: string) =>
      new Set(written.map((e) => e.data[field]).filter((v): v is string => v !== undefined));
    const ends = new Set(months.map((m) => new Date(monthEnd(m)).toISOString()));
    const onAnEnd = (field: string) => [...at(field)].filter((v) => ends.has(v)).length;
    expect(onAnEnd('openedAt')).toBeGreaterThan(0);
    expect(onAnEnd('changedAt')).toBeGreaterThan(0);
    expect(onAnEnd('closedAt')).toBeGreaterThan(0);
    expect(written.filter((e) => e.type === 'CaseworkerChanged').length).toBeGreaterThan(20);
    expect(written.filter((e) => e.type === 'CaseClosed').length).toBeGreaterThan(20);
  });

  const countsEqualTheEvents = async () => {
    const lives = livesOf(written);
    for (const month of months) {
      const expected = standingAt(lives, month);
      const params = [`${month}-01`];
      const open = await fixture.dataSource.query<{ department_id: string; open: number }[]>(
        countsAtMonthEndSql('open'),
        params,
      );
      const held = await fixture.dataSource.query<
        { department_id: string; caseworker_id: string; cases: number }[]
      >(countsAtMonthEndSql('caseload'), params);
      expect({
        month,
        open: new Map(open.map((r) => [r.department_id, r.open])),
        held: new Map(held.map((r) => [`${r.department_id}|${r.caseworker_id}`, r.cases])),
      }).toEqual({ month, ...expected });
    }
  };

  it('every caseworker and department count at every month end equals a count over the events, changes pending', async () => {
    expect(await pendingChanges()).toBeGreaterThan(0);
    await countsEqualTheEvents();
  });

  const figuresEqualTheEvents = async () => {
    const lives = livesOf(written);
    const [from, to] = [months[0]!, months.at(-1)!];
    const run = <T>(sql: string, department: string | null) =>
      fixture.dataSource.query<T[]>(sql, [`${from}-01`, `${to}-01`, department]);
    const open = await run<{ department_id: string; month: string; open: number }>(
      MANAGEMENT_FIGURES_SQL.openCases,
      null,
    );
    const caseload = await run<{
      department_id: string;
      month: string;
      caseworkers: number;
      max: number;
    }>(MANAGEMENT_FIGURES_SQL.caseload, 'CHP');
    for (const month of months) {
      const expected = standingAt(lives, month);
      for (const department of DEPARTMENTS) {
        expect([
          month,
          department,
          open.find((r) => r.month === month && r.department_id === department)?.open ?? 0,
        ]).toEqual([month, department, expected.open.get(department) ?? 0]);
      }
      const chp = [...expected.held].filter(([key]) => key.startsWith('CHP|')).map(([, n]) => n);
      const row = caseload.find((r) => r.month === month);
      expect([month, row?.caseworkers ?? 0, row?.max ?? null]).toEqual([
        month,
        chp.length,
        chp.length ? Math.max(...chp) : null,
      ]);
    }
  };

  it("the figures' month-end queries read them for any window, changes pending", async () => {
    expect(await pendingChanges()).toBeGreaterThan(0);
    await figuresEqualTheEvents();
  });

  it('once the pending changes are carried in, the counts and figures are the same', async () => {
    const figures = () =>
      Promise.all(
        [MANAGEMENT_FIGURES_SQL.openCases, MANAGEMENT_FIGURES_SQL.caseload].map((sql) =>
          fixture.dataSource.query<Record<string, unknown>[]>(
            `SELECT * FROM (${sql}) f ORDER BY f.department_id, f.month`,
            [`${months[0]}-01`, `${months.at(-1)}-01`, null],
          ),
        ),
      );
    const pending = await figures();
    await fixture.dataSource.transaction((manager) => carryPendingChanges(manager));
    expect(await pendingChanges()).toBe(0);
    expect(await figures()).toEqual(pending);
    await countsEqualTheEvents();
    await figuresEqualTheEvents();
  });

  it("the migration's backfill from cases and assignments gives the same rows", async () => {
    const live = await snapshot();
    await fixture.dataSource.query(`TRUNCATE ${Object.values(MONTH_END_TABLES).join(', ')}`);
    for (const sql of MONTH_END_BACKFILL_SQL) await fixture.dataSource.query(sql);
    expect(await snapshot()).toEqual(live);
  });

  it('a rebuild from the log gives the same rows, every change carried in once caught up', async () => {
    const live = await snapshot();
    await rebuildProjection(fixture.dataSource, fixture.store, projector);
    expect(await pendingChanges()).toBe(0);
    expect(await snapshot()).toEqual(live);
  });

  const cases = () =>
    fixture.dataSource.query(
      'SELECT * FROM casework_cases c, LATERAL (SELECT array_agg(a ORDER BY a) FROM casework_assignments a WHERE a.case_id = c.case_id) a ORDER BY c.case_id',
    );

  it('a rebuild in small batches, each folded while the one before commits, gives the same rows', async () => {
    const live = await snapshot();
    const liveCases = await cases();
    for (const size of [1, 3, 17]) {
      await rebuildInBatchesOf(fixture, projector, size);
      expect(await snapshot()).toEqual(live);
      expect(await cases()).toEqual(liveCases);
    }
    // A batch whose commit fails once is applied again by halves, and the one folded on its
    // rows meanwhile is folded again.
    let failures = 0;
    await rebuildInBatchesOf(fixture, projector, 17, () =>
      failures++ % 5 === 2
        ? Promise.reject(new Error('injected before commit'))
        : Promise.resolve(),
    );
    expect(failures).toBeGreaterThan(5);
    expect(await snapshot()).toEqual(live);
    expect(await cases()).toEqual(liveCases);
  });

  it('a blue/green rebuild, each stream folded at once (pages splitting streams), gives the same rows', async () => {
    const live = await snapshot();
    const liveCases = await cases();
    await rebuildInStreamOrder(fixture, projector, 13);
    expect(await pendingChanges()).toBe(0);
    expect(await snapshot()).toEqual(live);
    expect(await cases()).toEqual(liveCases);
  });
});

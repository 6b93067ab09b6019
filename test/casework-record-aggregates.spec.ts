import { randomUUID } from 'node:crypto';
import { processingDeadline, type PublishedDeadline } from '@tovholder/domain';
import { calendarDaysBetween } from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import type { Position } from '@tovholder/event-store';
import { rebuildBlueGreen, rebuildProjection } from '@tovholder/read-models';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import {
  RECORD_AGGREGATE_BACKFILL_SQL,
  RECORD_AGGREGATES,
} from '../apps/api/src/casework/record-aggregates';
import { loadConfig } from '../apps/api/src/config/app-config';
import { MANAGEMENT_FIGURES_SQL } from '../apps/api/src/management-figures/management-figures.queries';
import { monthEnd, monthsBetween, seededUniform } from './support/months';
import {
  grantedDecision,
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  rebuildInBatchesOf,
  rebuildInStreamOrder,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * The inquiries, first decisions and board rulings the casework projector counts per department
 * and month, read by the figures' queries and checked against a plain count over the events:
 * records received, answered, decided and ruled on exactly on Copenhagen month ends (across the
 * DST changes), a millisecond either side, responses exactly on and a millisecond past a whole
 * hour, an earlier response logged after a later one, a sent-back decision decided again; then
 * the migration's backfill and a rebuild from the log must give the same rows.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DEPARTMENTS = ['CBU', 'CHP'] as const;
const CASE_TYPES = ['child-support', 'disability-support'] as const;
const DEADLINES: PublishedDeadline[] = [
  { amount: 8, unit: 'weeks' },
  { amount: 3, unit: 'months' },
  { amount: 30, unit: 'days' },
];
/** Whole hours the figures may be asked with (INQUIRY_ACK_HOURS). */
const ACK_HOURS = [0, 1, 24, 47, 48, 49, 1000];

const iso = (ms: number) => new Date(ms).toISOString();
const monthOf = (at: string) => copenhagenDateOf(new Date(at)).slice(0, 7);

/** percentile_cont as PostgreSQL computes it (float8 interpolation between two ranks). */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = p * (sorted.length - 1);
  const lo = sorted[Math.floor(at)]!;
  const hi = sorted[Math.ceil(at)]!;
  return lo + (at - Math.floor(at)) * (hi - lo);
}

interface Written {
  type: string;
  data: Record<string, unknown>;
}

describe('casework projector: inquiries, decisions and rulings counted per month', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})));
  const written: Written[] = [];
  let last: Position | undefined;

  const append = async (stream: string, type: string, data: Record<string, unknown>) => {
    const result = await fixture.store.append(stream, [{ id: randomUUID(), type, data }], 'any');
    written.push({ type, data });
    last = result.position;
  };
  const project = () => projectUpTo(fixture, projector, last);
  const snapshot = (): Promise<unknown[]> =>
    Promise.all(
      Object.values(RECORD_AGGREGATES).map((a) =>
        fixture.dataSource.query(`SELECT * FROM ${a.table} t ORDER BY t`),
      ),
    );

  const months = monthsBetween('2025-09', '2026-05');

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    const random = seededUniform('4242');
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

    type Response = readonly ['ack' | 'answer', number?];
    /** Responses in the order logged, each `after` ms from receipt (random when not given). */
    const inquiry = async (receivedAt: number, responses: readonly Response[]) => {
      const inquiryId = randomUUID();
      const stream = `inquiry-${inquiryId}`;
      await append(stream, 'InquiryReceived', {
        inquiryId,
        personId: randomUUID(),
        departmentId: pick(DEPARTMENTS),
        caseId: null,
        channel: 'phone',
        receivedAt: iso(receivedAt),
      });
      for (const [kind, after = Math.round(random() * 120 * HOUR)] of responses) {
        const at = iso(receivedAt + after);
        if (kind === 'ack') {
          await append(stream, 'InquiryAcknowledged', {
            inquiryId,
            channel: 'letter',
            acknowledgedAt: at,
            answerPromisedBy: copenhagenDateOf(new Date(receivedAt + 20 * DAY)),
          });
        } else {
          await append(stream, 'InquiryAnswered', { inquiryId, channel: 'letter', answeredAt: at });
        }
      }
    };

    const application = async (receivedAt: number, decidedAt: number | null, board: boolean) => {
      const applicationId = randomUUID();
      const stream = `application-${applicationId}`;
      const applicationDate = copenhagenDateOf(
        new Date(receivedAt - Math.round(random() * 3) * DAY),
      );
      await append(stream, 'ApplicationReceived', {
        applicationId,
        caseId: randomUUID(),
        personId: randomUUID(),
        departmentId: pick(DEPARTMENTS),
        caseType: pick(CASE_TYPES),
        applicationDate,
        publishedDeadline: pick(DEADLINES),
        exemptFromDigitalPost: false,
        receivedAt: iso(receivedAt),
      });
      if (decidedAt === null) return;
      const decide = async (at: number) => {
        const decisionId = randomUUID();
        await append(stream, 'DecisionIssued', grantedDecision(applicationId, decisionId, iso(at)));
        return decisionId;
      };
      const decisionId = await decide(decidedAt);
      if (!board) return;
      const ruledAt = decidedAt + Math.round(random() * 60 * DAY);
      await append(stream, 'DecisionAppealed', {
        applicationId,
        decisionId,
        appealedAt: iso(decidedAt + DAY),
      });
      await append(stream, 'AppealForwardedToBoard', {
        applicationId,
        decisionId,
        forwardedAt: iso(decidedAt + 2 * DAY),
      });
      const outcome = pick(['upheld', 'changed', 'sent-back'] as const);
      await append(stream, 'AppealBoardRuled', {
        applicationId,
        decisionId,
        outcome,
        ruledAt: iso(ruledAt),
      });
      if (outcome === 'sent-back') {
        // Decided again and ruled on again: the figures keep the first of each.
        const again = await decide(ruledAt + 5 * DAY);
        await append(stream, 'DecisionAppealed', {
          applicationId,
          decisionId: again,
          appealedAt: iso(ruledAt + 6 * DAY),
        });
        await append(stream, 'AppealForwardedToBoard', {
          applicationId,
          decisionId: again,
          forwardedAt: iso(ruledAt + 7 * DAY),
        });
        await append(stream, 'AppealBoardRuled', {
          applicationId,
          decisionId: again,
          outcome: 'upheld',
          ruledAt: iso(ruledAt + 30 * DAY),
        });
      }
    };

    for (const month of months.slice(0, -1)) {
      const end = monthEnd(month);
      // On a month end (the end of October and of March cross a DST change), either side of
      // it, and responses exactly on, just short of and just past whole hours.
      for (const at of [end - 1, end, end + 1]) {
        await inquiry(at, [['ack', 48 * HOUR]]);
        await inquiry(at, [['ack', 48 * HOUR + 1], ['answer']]);
        await inquiry(at, [['answer', 47 * HOUR - 1]]);
        await inquiry(at, [['ack', 0]]);
        await inquiry(at, []);
        await application(at - 60 * DAY, at, random() < 0.5);
      }
      // A response logged after a later one: the earlier counts.
      await inquiry(end - 30 * HOUR, [
        ['ack', 50 * HOUR],
        ['answer', 49 * HOUR - 1],
      ]);
      for (let i = 0; i < 25; i++) {
        const receivedAt = end - Math.round(random() * 30 * DAY);
        const roll = random();
        await inquiry(
          receivedAt,
          roll < 0.15 ? [] : roll < 0.5 ? [['ack']] : [['ack'], ['answer']],
        );
        const decided = random() < 0.85 ? receivedAt + Math.round(random() * 120 * DAY) : null;
        await application(receivedAt, decided, random() < 0.3);
      }
      // Projected in several goes, so records change after they were first counted.
      if (month.endsWith('0') || month.endsWith('2')) await project();
    }
    await project();
  }, 180_000);
  afterAll(async () => {
    await fixture.close();
  });

  /** The figures counted plainly from the events, per department and month. */
  function expected() {
    const inquiries = new Map<
      string,
      { department: string; month: string; received: number; responded: number | null }
    >();
    const applications = new Map<
      string,
      {
        department: string;
        caseType: string;
        applicationDate: string;
        deadline: string;
        decidedAt?: string;
        ruled?: { at: string; outcome: string };
      }
    >();
    for (const { type, data } of written) {
      if (type === 'InquiryReceived') {
        inquiries.set(data.inquiryId as string, {
          department: data.departmentId as string,
          month: monthOf(data.receivedAt as string),
          received: Date.parse(data.receivedAt as string),
          responded: null,
        });
      } else if (type === 'InquiryAcknowledged' || type === 'InquiryAnswered') {
        const i = inquiries.get(data.inquiryId as string)!;
        const at = Date.parse((data.acknowledgedAt ?? data.answeredAt) as string);
        i.responded = i.responded === null ? at : Math.min(i.responded, at);
      } else if (type === 'ApplicationReceived') {
        applications.set(data.applicationId as string, {
          department: data.departmentId as string,
          caseType: data.caseType as string,
          applicationDate: data.applicationDate as string,
          deadline: processingDeadline(
            data.applicationDate as string,
            data.publishedDeadline as PublishedDeadline,
          ),
        });
      } else if (type === 'DecisionIssued') {
        const a = applications.get(data.applicationId as string)!;
        a.decidedAt ??= data.decidedAt as string;
      } else if (type === 'AppealBoardRuled') {
        const a = applications.get(data.applicationId as string)!;
        a.ruled ??= { at: data.ruledAt as string, outcome: data.outcome as string };
      }
    }
    return { inquiries: [...inquiries.values()], applications: [...applications.values()] };
  }

  const run = <T>(sql: string, department: string | null, extra: unknown[] = []) =>
    fixture.dataSource.query<T[]>(sql, [
      `${months[0]}-01`,
      `${months.at(-1)}-01`,
      department,
      ...extra,
    ]);

  it('the run counted on and around month ends and whole hours', () => {
    const { inquiries, applications } = expected();
    const ends = new Set(months.map((m) => monthEnd(m)));
    expect(inquiries.filter((i) => ends.has(i.received)).length).toBeGreaterThan(10);
    expect(inquiries.filter((i) => i.responded === null).length).toBeGreaterThan(10);
    expect(
      applications.filter((a) => a.decidedAt && ends.has(Date.parse(a.decidedAt))).length,
    ).toBeGreaterThan(5);
    expect(applications.filter((a) => a.ruled?.outcome === 'sent-back').length).toBeGreaterThan(2);
  });

  it.each(ACK_HOURS)(
    'inquiries received and answered within %i hours equal a count over the events',
    async (hours) => {
      const { inquiries } = expected();
      for (const department of [null, 'CHP']) {
        const rows = await run<{
          department_id: string;
          month: string;
          received: number;
          in_time: number;
        }>(MANAGEMENT_FIGURES_SQL.inquiries, department, [hours]);
        const want = new Map<string, { received: number; in_time: number }>();
        for (const i of inquiries) {
          if ((department && i.department !== department) || !months.includes(i.month)) continue;
          const key = `${i.department}|${i.month}`;
          const row = want.get(key) ?? { received: 0, in_time: 0 };
          row.received++;
          if (i.responded !== null && i.responded <= i.received + hours * HOUR) row.in_time++;
          want.set(key, row);
        }
        expect(
          new Map(
            rows.map((r) => [
              `${r.department_id}|${r.month}`,
              { received: r.received, in_time: r.in_time },
            ]),
          ),
        ).toEqual(want);
      }
    },
  );

  it('decisions, within the deadline and processing-time percentiles equal the events', async () => {
    const { applications } = expected();
    for (const department of [null, 'CBU']) {
      const rows = await run<{
        department_id: string;
        month: string;
        case_type: string;
        decided: number;
        within: number;
        published_days: number;
        median_days: number;
        p90_days: number;
      }>(MANAGEMENT_FIGURES_SQL.decisions, department);
      const groups = new Map<
        string,
        { decided: number; within: number; days: number[]; published: number[] }
      >();
      for (const a of applications) {
        if (!a.decidedAt || (department && a.department !== department)) continue;
        const month = monthOf(a.decidedAt);
        if (!months.includes(month)) continue;
        const key = `${a.department}|${month}|${a.caseType}`;
        const group = groups.get(key) ?? { decided: 0, within: 0, days: [], published: [] };
        const decidedOn = copenhagenDateOf(new Date(a.decidedAt));
        group.decided++;
        if (decidedOn <= a.deadline) group.within++;
        group.days.push(calendarDaysBetween(a.applicationDate, decidedOn));
        group.published.push(calendarDaysBetween(a.applicationDate, a.deadline));
        groups.set(key, group);
      }
      const want = new Map(
        [...groups].map(([key, g]) => [
          key,
          {
            decided: g.decided,
            within: g.within,
            published_days: percentileCont(g.published, 0.5),
            median_days: percentileCont(g.days, 0.5),
            p90_days: percentileCont(g.days, 0.9),
          },
        ]),
      );
      expect(
        new Map(
          rows.map(({ department_id, month, case_type, ...figures }) => [
            `${department_id}|${month}|${case_type}`,
            figures,
          ]),
        ),
      ).toEqual(want);
    }
  });

  it('board rulings and those changed or sent back equal the events', async () => {
    const { applications } = expected();
    const rows = await run<{
      department_id: string;
      month: string;
      ruled: number;
      changed: number;
    }>(MANAGEMENT_FIGURES_SQL.appeals, null);
    const want = new Map<string, { ruled: number; changed: number }>();
    for (const a of applications) {
      if (!a.ruled || !months.includes(monthOf(a.ruled.at))) continue;
      const key = `${a.department}|${monthOf(a.ruled.at)}`;
      const row = want.get(key) ?? { ruled: 0, changed: 0 };
      row.ruled++;
      if (a.ruled.outcome !== 'upheld') row.changed++;
      want.set(key, row);
    }
    expect(
      new Map(
        rows.map((r) => [`${r.department_id}|${r.month}`, { ruled: r.ruled, changed: r.changed }]),
      ),
    ).toEqual(want);
  });

  it("the migration's backfill from the records gives the same rows", async () => {
    const live = await snapshot();
    expect(live.every((rows) => Array.isArray(rows) && rows.length > 0)).toBe(true);
    const tables = Object.values(RECORD_AGGREGATES).map((a) => a.table);
    await fixture.dataSource.query(`TRUNCATE ${tables.join(', ')}`);
    for (const sql of RECORD_AGGREGATE_BACKFILL_SQL) await fixture.dataSource.query(sql);
    expect(await snapshot()).toEqual(live);
  });

  it('a rebuild from the log gives the same rows', async () => {
    const live = await snapshot();
    await rebuildProjection(fixture.dataSource, fixture.store, projector);
    expect(await snapshot()).toEqual(live);
  });

  const records = () =>
    fixture.dataSource.query(
      'SELECT *, events::text AS events FROM casework_records ORDER BY kind, record_id',
    );

  it('a rebuild in small batches, each folded while the one before commits, gives the same rows', async () => {
    const live = [await snapshot(), await records()];
    await rebuildInBatchesOf(fixture, projector, 11);
    expect([await snapshot(), await records()]).toEqual(live);
  });

  it('a blue/green rebuild in log order, counting once it has caught up, gives the same rows', async () => {
    const live = [await snapshot(), await records()];
    await rebuildBlueGreen(fixture.dataSource, fixture.store, projector, {
      catchUpBatchSize: 11,
      order: 'log',
    });
    expect([await snapshot(), await records()]).toEqual(live);
  });

  it('after a rebuild, the live projection counts on from the counts it computed at once', async () => {
    await rebuildBlueGreen(fixture.dataSource, fixture.store, projector, { catchUpBatchSize: 11 });
    const inquiries = async () => {
      const [row] = await fixture.dataSource.query<{ n: number }[]>(
        'SELECT sum(inquiries)::int AS n FROM casework_inquiries_by_response_hours',
      );
      return row?.n ?? 0;
    };
    const before = await inquiries();
    const inquiryId = randomUUID();
    let last: Position | undefined;
    for (const [type, data] of inquirySteps(inquiryId)) {
      ({ position: last } = await fixture.store.append(
        `inquiry-${inquiryId}`,
        [{ id: randomUUID(), type, data }],
        'any',
      ));
    }
    await projectUpTo(fixture, projector, last);
    expect(await inquiries()).toBe(before + 1);
    const counted = await snapshot();
    const tables = Object.values(RECORD_AGGREGATES).map((a) => a.table);
    await fixture.dataSource.query(`TRUNCATE ${tables.join(', ')}`);
    for (const sql of RECORD_AGGREGATE_BACKFILL_SQL) await fixture.dataSource.query(sql);
    expect(await snapshot()).toEqual(counted);
  });

  it('a blue/green rebuild, each stream folded at once (pages splitting streams), gives the same rows', async () => {
    const live = [await snapshot(), await records()];
    await rebuildInStreamOrder(fixture, projector, 7);
    expect([await snapshot(), await records()]).toEqual(live);
  });
});

import {
  EVENT_STORE,
  formatPosition,
  type EventStore,
  type RecordedEvent,
} from '@tovholder/event-store';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { registerCaseworker, registerPerson, untilLogHeadReaches } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

/*
 * A small municipality lived through the HTTP API for half a year with a seeded random schedule;
 * then every figure is computed again here from the raw events, in plain JavaScript, and
 * compared with GET /management-figures and its CSV.
 */

// ---------------------------------------------------------------------------------------------
// Plain helpers: randomness with a seed, Copenhagen calendar via Intl, percentiles.
// ---------------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const copenhagenFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function copenhagen(ms: number): { date: string; time: string } {
  const part = (type: string) =>
    copenhagenFormat.formatToParts(new Date(ms)).find((p) => p.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    time: `${part('hour')}:${part('minute')}`,
  };
}
const danishDate = (iso: string): string => copenhagen(Date.parse(iso)).date;
const danishMonth = (iso: string): string => danishDate(iso).slice(0, 7);

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The first instant of a month in Copenhagen: midnight there is 23:00 or 22:00 UTC before. */
function monthStart(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  for (const offset of [1, 2]) {
    const t = Date.UTC(y, m - 1, 1) - offset * HOUR;
    const local = copenhagen(t);
    if (local.date === `${month}-01` && local.time === '00:00') return t;
  }
  throw new Error(`no start for ${month}`);
}
const monthEnd = (month: string): number => monthStart(nextMonth(month));

function monthsFrom(from: string, to: string): string[] {
  const months = [from];
  while (months.at(-1) !== to) months.push(nextMonth(months.at(-1)!));
  return months;
}

const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The published processing deadline: calendar days, weeks or months (last day of a short month). */
function deadlineOf(applicationDate: string, published: { amount: number; unit: string }): string {
  if (published.unit === 'days') return addDays(applicationDate, published.amount);
  if (published.unit === 'weeks') return addDays(applicationDate, 7 * published.amount);
  const [y, m, d] = applicationDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + published.amount, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, lastDay)))
    .toISOString()
    .slice(0, 10);
}

/** PostgreSQL's percentile_cont: linear interpolation between the nearest ranks. */
function percentileCont(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
const round1 = (value: number): number => Math.round(value * 10) / 10;
const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 10;

// ---------------------------------------------------------------------------------------------
// The figures again, from the events.
// ---------------------------------------------------------------------------------------------

const ACK_HOURS = 48; // the default INQUIRY_ACK_HOURS the test app runs with
const QUESTIONS = [
  'decisionCorrect',
  'reasonsAdequate',
  'hearingDone',
  'consentObtained',
  'appealGuidanceGiven',
  'notesAdequate',
] as const;
const ANSWERS = ['yes', 'no', 'not-relevant'] as const;

function expectedFigures(
  events: readonly RecordedEvent[],
  departments: readonly string[],
  months: readonly string[],
) {
  const of = (type: string) => events.filter((e) => e.type === type).map((e) => e.data);

  // Inquiries: the first acknowledgement or answer.
  const inquiries = new Map<string, { department: string; receivedAt: string; first?: string }>();
  for (const e of events) {
    const d = e.data;
    if (e.type === 'InquiryReceived') {
      inquiries.set(d.inquiryId as string, {
        department: d.departmentId as string,
        receivedAt: d.receivedAt as string,
      });
    }
    const at =
      e.type === 'InquiryAcknowledged'
        ? (d.acknowledgedAt as string)
        : e.type === 'InquiryAnswered'
          ? (d.answeredAt as string)
          : undefined;
    const inquiry = inquiries.get(d.inquiryId as string);
    if (at && inquiry && (!inquiry.first || Date.parse(at) < Date.parse(inquiry.first))) {
      inquiry.first = at;
    }
  }

  // Applications: deadline from the snapshot, the first decision, the first board ruling.
  const applications = new Map<
    string,
    {
      department: string;
      caseType: string;
      applicationDate: string;
      deadline: string;
      decidedAt?: string;
      ruling?: { outcome: string; at: string };
    }
  >();
  for (const e of events) {
    const d = e.data;
    const application = applications.get(d.applicationId as string);
    if (e.type === 'ApplicationReceived') {
      applications.set(d.applicationId as string, {
        department: d.departmentId as string,
        caseType: d.caseType as string,
        applicationDate: d.applicationDate as string,
        deadline: deadlineOf(
          d.applicationDate as string,
          d.publishedDeadline as { amount: number; unit: string },
        ),
      });
    } else if (e.type === 'DecisionIssued' && application && !application.decidedAt) {
      application.decidedAt = d.decidedAt as string;
    } else if (e.type === 'AppealBoardRuled' && application && !application.ruling) {
      application.ruling = { outcome: d.outcome as string, at: d.ruledAt as string };
    }
  }

  // Cases: department, opening, closing, and who held them from when.
  const cases = new Map<
    string,
    {
      department: string;
      openedAt: number;
      closedAt?: number;
      holders: { caseworker: string; from: number }[];
    }
  >();
  for (const e of events) {
    const d = e.data;
    const c = cases.get(d.caseId as string);
    if (e.type === 'CaseOpened') {
      cases.set(d.caseId as string, {
        department: d.departmentId as string,
        openedAt: Date.parse(d.openedAt as string),
        holders: [],
      });
    } else if (e.type === 'CaseworkerAssigned' && c) {
      c.holders.push({
        caseworker: d.caseworkerId as string,
        from: Date.parse(d.assignedAt as string),
      });
    } else if (e.type === 'CaseworkerChanged' && c) {
      c.holders.push({
        caseworker: d.toCaseworkerId as string,
        from: Date.parse(d.changedAt as string),
      });
    } else if (e.type === 'CaseClosed' && c) {
      c.closedAt = Date.parse(d.closedAt as string);
    }
  }
  const openAt = (c: { openedAt: number; closedAt?: number }, end: number) =>
    c.openedAt <= end && (c.closedAt === undefined || c.closedAt > end);

  // Supervision: a sample's department; the latest review of each case in a sample.
  const sampleDepartment = new Map(
    of('SupervisionSampleDrawn').map((d) => [d.sampleId as string, d.departmentId as string]),
  );
  const reviews = new Map<string, Record<string, unknown>>();
  for (const d of of('SupervisionReviewRecorded'))
    reviews.set(`${d.sampleId as string}|${d.caseId as string}`, d);

  return departments.map((department) => ({
    departmentId: department,
    months: months.map((month) => {
      const end = monthEnd(month);
      const received = [...inquiries.values()].filter(
        (i) => i.department === department && danishMonth(i.receivedAt) === month,
      );
      const inTime = received.filter(
        (i) => i.first && Date.parse(i.first) <= Date.parse(i.receivedAt) + ACK_HOURS * HOUR,
      ).length;

      const decided = [...applications.values()].filter(
        (a) => a.department === department && a.decidedAt && danishMonth(a.decidedAt) === month,
      );
      const within = decided.filter((a) => danishDate(a.decidedAt!) <= a.deadline).length;
      const caseTypes = [...new Set(decided.map((a) => a.caseType))].sort();
      const processingTimes = caseTypes.map((caseType) => {
        const ofType = decided.filter((a) => a.caseType === caseType);
        const days = ofType.map((a) => daysBetween(a.applicationDate, danishDate(a.decidedAt!)));
        const published = ofType.map((a) => daysBetween(a.applicationDate, a.deadline));
        return {
          caseType,
          decisions: ofType.length,
          publishedDays: round1(percentileCont(published, 0.5)),
          medianDays: round1(percentileCont(days, 0.5)),
          p90Days: round1(percentileCont(days, 0.9)),
        };
      });

      const complaints = of('ComplaintRegistered').filter(
        (d) => d.departmentId === department && danishMonth(d.receivedAt as string) === month,
      ).length;
      const open = [...cases.values()].filter((c) => c.department === department && openAt(c, end));

      const ruled = [...applications.values()].filter(
        (a) => a.department === department && a.ruling && danishMonth(a.ruling.at) === month,
      );
      const changed = ruled.filter((a) => ['changed', 'sent-back'].includes(a.ruling!.outcome));

      const held = new Map<string, number>();
      for (const c of open) {
        const holder = c.holders.filter((h) => h.from <= end).at(-1);
        if (holder) held.set(holder.caseworker, (held.get(holder.caseworker) ?? 0) + 1);
      }
      const loads = [...held.values()];

      const monthReviews = [...reviews.values()].filter(
        (r) =>
          sampleDepartment.get(r.sampleId as string) === department &&
          danishMonth(r.reviewedAt as string) === month,
      );
      const questions = Object.fromEntries(
        QUESTIONS.map((q) => [
          q,
          Object.fromEntries(
            ANSWERS.map((a) => [
              a,
              monthReviews.filter((r) => (r.answers as Record<string, string>)[q] === a).length,
            ]),
          ),
        ]),
      );

      return {
        month,
        inquiries: {
          received: received.length,
          acknowledgedInTime: inTime,
          percent: share(inTime, received.length),
        },
        decisions: {
          decided: decided.length,
          withinDeadline: within,
          percent: share(within, decided.length),
        },
        processingTimes,
        complaints: {
          received: complaints,
          openCasesAtMonthEnd: open.length,
          per100OpenCases:
            open.length === 0 ? null : Math.round((10000 * complaints) / open.length) / 100,
        },
        appeals: {
          ruled: ruled.length,
          changedOrSentBack: changed.length,
          percent: share(changed.length, ruled.length),
        },
        caseload: {
          caseworkers: loads.length,
          min: loads.length ? Math.min(...loads) : null,
          median: loads.length ? round1(percentileCont(loads, 0.5)) : null,
          p90: loads.length ? round1(percentileCont(loads, 0.9)) : null,
          max: loads.length ? Math.max(...loads) : null,
        },
        supervision: { reviews: monthReviews.length, questions },
      };
    }),
  }));
}

// ---------------------------------------------------------------------------------------------
// The half year, through the API.
// ---------------------------------------------------------------------------------------------

const DEPARTMENTS = ['CBU', 'CHP', 'JOBCENTER'] as const;
const CASE_TYPES = {
  'family-support': { amount: 8, unit: 'weeks' },
  'disability-aids': { amount: 2, unit: 'months' },
  'housing-benefit': { amount: 30, unit: 'days' },
} as const;
const checklist = {
  reasonsGiven: true,
  hearing: 'done',
  appealGuidanceIncluded: true,
  consent: 'obtained',
};

interface SimCase {
  caseId: string;
  department: string;
  caseworker: string | null;
  closed: boolean;
}

describe('management figures over HTTP, checked against the raw events', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2025-12-15T08:00:00.000Z'));
  const events: RecordedEvent[] = [];
  let departments: string[] = [];
  let head = '';

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const random = mulberry32(20260101);
    const chance = (p: number) => random() < p;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const within = (from: number, to: number) => from + random() * (to - from);

    // Every request at least a minute after the one before: the clock never goes back.
    let now = clock.now().getTime();
    const moveTo = (at: number) => {
      now = Math.max(Math.round(at), now + 60_000);
      clock.set(new Date(now));
    };
    const post = async (path: string, body: object, status = 200) =>
      (await request(t.server).post(path).send(body).expect(status)).body as Record<
        string,
        unknown
      >;

    for (const [caseType, deadline] of Object.entries(CASE_TYPES)) {
      await request(t.server).put(`/processing-deadlines/${caseType}`).send(deadline).expect(200);
    }
    const caseworkers = new Map<string, string[]>();
    for (const department of DEPARTMENTS) {
      const team: string[] = [];
      for (let i = 0; i < 3; i++) team.push(await registerCaseworker(t, department));
      caseworkers.set(department, team);
    }
    const citizens: string[] = [];
    for (let i = 0; i < 8; i++)
      citizens.push(await registerPerson(t, `19${60 + i}-0${1 + i}-1${i}`));

    // The agenda: things to do at a time; each may put more on it.
    const agenda: { at: number; seq: number; run: () => Promise<void> }[] = [];
    let seq = 0;
    const later = (at: number, run: () => Promise<void>) => agenda.push({ at, seq: seq++, run });
    const cases: SimCase[] = [];
    const openCases = (department?: string) =>
      cases.filter((c) => !c.closed && (!department || c.department === department));

    const openCase = async () => {
      const department = pick(DEPARTMENTS);
      const caseType = pick(Object.keys(CASE_TYPES));
      const opened = await post(
        '/cases',
        { personId: pick(citizens), departmentId: department, caseType },
        201,
      );
      const c: SimCase = {
        caseId: opened.caseId as string,
        department,
        caseworker: null,
        closed: false,
      };
      cases.push(c);
      later(now + within(5 * 60_000, 30 * HOUR), async () => {
        if (c.closed) return;
        const caseworker = pick(caseworkers.get(department)!);
        await post(`/cases/${c.caseId}/caseworker`, { caseworkerId: caseworker });
        c.caseworker = caseworker;
      });
    };

    const changeCaseworker = async () => {
      const candidates = openCases().filter((c) => c.caseworker !== null);
      if (candidates.length === 0) return;
      const c = pick(candidates);
      const to = pick(caseworkers.get(c.department)!.filter((w) => w !== c.caseworker));
      await post(`/cases/${c.caseId}/caseworker/change`, {
        toCaseworkerId: to,
        reason: 'Workload',
      });
      c.caseworker = to;
    };

    const closeCase = async () => {
      const candidates = openCases();
      if (candidates.length < 5) return;
      const c = pick(candidates);
      await post(`/cases/${c.caseId}/close`, { reason: 'Support ended' });
      c.closed = true;
    };

    const inquiry = async () => {
      const department = pick(DEPARTMENTS);
      const open = openCases(department);
      const about = open.length > 0 && chance(0.5) ? pick(open) : undefined;
      const recorded = await post(
        '/inquiries',
        {
          personId: pick(citizens),
          departmentId: department,
          caseId: about?.caseId,
          channel: 'e-mail',
        },
        201,
      );
      const id = recorded.inquiryId as string;
      const fate = random();
      if (fate < 0.4 || (fate >= 0.65 && fate < 0.8)) {
        // Acknowledged within the hours, or late; answered some days after.
        const ackAt =
          fate < 0.4 ? now + within(HOUR, 46 * HOUR) : now + within(50 * HOUR, 130 * HOUR);
        later(ackAt, async () => {
          await post(`/inquiries/${id}/acknowledgement`, {
            channel: 'digital-post',
            answerPromisedBy: addDays(copenhagen(now).date, 10),
          });
          if (chance(0.7)) {
            later(now + within(DAY, 12 * DAY), () =>
              post(`/inquiries/${id}/answer`, { channel: 'digital-post' }).then(() => undefined),
            );
          }
        });
      } else if (fate < 0.65) {
        // Answered straight away, in time or not: the answer is the first response.
        later(now + within(2 * HOUR, 90 * HOUR), () =>
          post(`/inquiries/${id}/answer`, { channel: 'phone' }).then(() => undefined),
        );
      } // else: never answered
    };

    const decide = async (applicationId: string) =>
      (
        await post(
          `/applications/${applicationId}/decisions`,
          {
            outcome: pick(['granted', 'refused', 'partly-granted']),
            channel: 'digital-post',
            checklist,
          },
          201,
        )
      ).decisionId as string;

    const application = async () => {
      const candidates = openCases();
      if (candidates.length === 0) return;
      const c = pick(candidates);
      const applicationDate = copenhagen(now - Math.floor(random() * 5) * DAY).date;
      const received = await post(`/cases/${c.caseId}/applications`, { applicationDate }, 201);
      const id = received.applicationId as string;
      if (chance(0.1)) return; // still undecided
      later(now + within(10 * DAY, 90 * DAY), async () => {
        const decisionId = await decide(id);
        if (!chance(0.35)) return;
        const base = `/applications/${id}/decisions/${decisionId}`;
        later(now + within(DAY, 10 * DAY), async () => {
          await post(`${base}/appeal`, {});
          later(now + within(DAY, 5 * DAY), async () => {
            await post(`${base}/appeal/reassessment`, { outcome: 'upheld' });
            later(now + within(HOUR, 2 * DAY), async () => {
              await post(`${base}/appeal/forwarding`, {});
              later(now + within(5 * DAY, 45 * DAY), async () => {
                const outcome = pick(['upheld', 'changed', 'sent-back']);
                await post(`${base}/appeal/ruling`, { outcome });
                // Sent back: a new decision, which the figures do not count again.
                if (outcome === 'sent-back') {
                  later(now + within(3 * DAY, 20 * DAY), () => decide(id).then(() => undefined));
                }
              });
            });
          });
        });
      });
    };

    const complaint = async () => {
      const department = pick(DEPARTMENTS);
      const open = openCases(department);
      const about = open.length > 0 ? pick(open) : undefined;
      await post(
        '/complaints',
        {
          departmentId: department,
          caseId: chance(0.5) ? about?.caseId : undefined,
          about: pick(['staff', 'service', 'casework']),
          channel: 'e-mail',
        },
        201,
      );
    };

    /** Draws a sample and reviews its cases over the next days; `first` reviews one exactly then. */
    const supervise = async (department: string, first?: number) => {
      const manager = caseworkers.get(department)![0]!;
      const drawn = await request(t.server)
        .post('/supervision/samples')
        .query({ waitForPosition: formatPosition((await store().headPosition())!) })
        .send({ departmentId: department, size: 3, seed: `sim-${seq}`, drawnBy: manager });
      if (drawn.status === 422) return; // no open cases yet
      expect(drawn.status).toBe(201);
      const { sampleId, caseIds } = drawn.body as { sampleId: string; caseIds: string[] };
      const review = (caseId: string) => async () => {
        await post(`/supervision/samples/${sampleId}/reviews`, {
          caseId,
          reviewerId: manager,
          answers: Object.fromEntries(QUESTIONS.map((q) => [q, pick(ANSWERS)])),
        });
      };
      for (const [i, caseId] of caseIds.entries()) {
        later(i === 0 && first ? first : now + within(HOUR, 12 * DAY), review(caseId));
        // Sometimes reviewed again later (perhaps next month): only that review counts.
        if (chance(0.3)) later(now + within(15 * DAY, 40 * DAY), review(caseId));
      }
    };

    const store = () => t.app.get<EventStore>(EVENT_STORE);

    // Planted on the edges (checked after the run to have kept their exact times): just after
    // midnight in Copenhagen on the 1st is still the previous month in UTC; a case closed or
    // opened exactly at a month's end; an acknowledgement exactly on the hour limit.
    const exactly = (iso: string, run: () => Promise<void>) => later(Date.parse(iso), run);
    const cbuCase = () => openCases('CBU').find((c) => c.caseworker !== null)!;
    let planted: { inquiryId?: string; applicationId?: string; decisionId?: string } = {};
    exactly('2026-01-31T23:30:00.000Z', async () => {
      const body = await post(
        '/inquiries',
        { personId: citizens[0], departmentId: 'CBU', channel: 'phone' },
        201,
      );
      planted = { ...planted, inquiryId: body.inquiryId as string };
      exactly('2026-02-02T23:30:00.000Z', () =>
        post(`/inquiries/${planted.inquiryId}/acknowledgement`, {
          channel: 'phone',
          answerPromisedBy: '2026-02-20',
        }).then(() => undefined),
      );
    });
    exactly('2026-01-31T23:40:00.000Z', () =>
      post('/complaints', { departmentId: 'CBU', about: 'service', channel: 'phone' }, 201).then(
        () => undefined,
      ),
    );
    exactly('2026-02-28T23:00:00.000Z', async () => {
      const c = cbuCase();
      await post(`/cases/${c.caseId}/close`, { reason: 'Moved away' });
      c.closed = true;
    });
    exactly('2026-03-02T09:00:00.000Z', async () => {
      const received = await post(
        `/cases/${cbuCase().caseId}/applications`,
        { applicationDate: '2026-03-02' },
        201,
      );
      planted = { ...planted, applicationId: received.applicationId as string };
    });
    exactly('2026-03-31T22:00:00.000Z', openCase);
    exactly('2026-03-31T22:30:00.000Z', async () => {
      const id = planted.applicationId!;
      planted = { ...planted, decisionId: await decide(id) };
      const base = `/applications/${id}/decisions/${planted.decisionId}`;
      exactly('2026-04-02T09:00:00.000Z', () => post(`${base}/appeal`, {}).then(() => undefined));
      exactly('2026-04-03T09:00:00.000Z', () =>
        post(`${base}/appeal/reassessment`, { outcome: 'upheld' }).then(() => undefined),
      );
      exactly('2026-04-04T09:00:00.000Z', () =>
        post(`${base}/appeal/forwarding`, {}).then(() => undefined),
      );
      exactly('2026-04-30T22:10:00.000Z', () =>
        post(`${base}/appeal/ruling`, { outcome: 'changed' }).then(() => undefined),
      );
    });
    exactly('2026-05-31T20:00:00.000Z', () =>
      supervise('CBU', Date.parse('2026-05-31T22:30:00.000Z')),
    );

    // A stand-in holds one CHP case for a month, then none: not a caseworker with 0 cases.
    const standIn = await registerCaseworker(t, 'CHP', 'Stand-in');
    exactly('2026-02-10T09:00:00.000Z', async () => {
      const opened = await post(
        '/cases',
        { personId: citizens[1], departmentId: 'CHP', caseType: 'housing-benefit' },
        201,
      );
      const c: SimCase = {
        caseId: opened.caseId as string,
        department: 'CHP',
        caseworker: standIn,
        closed: false,
      };
      await post(`/cases/${c.caseId}/caseworker`, { caseworkerId: standIn });
      exactly('2026-03-16T09:00:00.000Z', async () => {
        await post(`/cases/${c.caseId}/caseworker/change`, {
          toCaseworkerId: caseworkers.get('CHP')![0],
          reason: 'Back from leave',
        });
        c.caseworker = caseworkers.get('CHP')![0]!;
        cases.push(c);
      });
    });

    // Day by day from mid-December to the end of June; times of day anywhere in the 24 hours
    // (UTC), so some fall in the next Copenhagen day or month.
    const lastDay = Date.parse('2026-07-01T00:00:00.000Z');
    for (let day = Date.parse('2025-12-15T00:00:00.000Z'); day < lastDay; day += DAY) {
      const at = () => day + random() * DAY;
      if (chance(0.6)) later(at(), openCase);
      if (chance(0.15)) later(at(), changeCaseworker);
      if (chance(0.12)) later(at(), closeCase);
      if (chance(0.5)) later(at(), inquiry);
      if (chance(0.4)) later(at(), application);
      if (chance(0.2)) later(at(), complaint);
      if (chance(0.05)) later(at(), () => supervise(pick(DEPARTMENTS)));
      for (;;) {
        const next = agenda
          .filter((task) => task.at < day + DAY)
          .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
        if (!next) break;
        agenda.splice(agenda.indexOf(next), 1);
        moveTo(next.at);
        await next.run();
      }
    }
    moveTo(Date.parse('2026-07-02T10:00:00.000Z'));

    // The log shows an event once every older transaction in the (shared) cluster has ended:
    // a marker written after the run, once visible, means every event of the run is too.
    const marker = await store().append(
      `test-marker-${randomUUID()}`,
      [{ id: randomUUID(), type: 'TestRunEnded', data: {} }],
      'no_stream',
    );
    await untilLogHeadReaches(t, formatPosition(marker.position));
    // Every event of the run, from the store itself.
    for (let after = null as RecordedEvent['position'] | null; ;) {
      const page = await store().readAll(after, 1000);
      if (page.length === 0) break;
      events.push(...page);
      after = page.at(-1)!.position;
    }
    head = formatPosition(events.at(-1)!.position);
    departments = (
      (await request(t.server).get('/departments').expect(200)).body as { id: string }[]
    ).map((d) => d.id);
  }, 180_000);
  afterAll(async () => {
    await t.close();
  });

  const figures = async (query: Record<string, string>) =>
    (
      await request(t.server)
        .get('/management-figures')
        .query({ ...query, waitForPosition: head })
        .expect(200)
    ).body as { departments: { departmentId: string; months: unknown[] }[] } & Record<
      string,
      unknown
    >;

  it('the run produced a varied dataset', () => {
    const count = (type: string) => events.filter((e) => e.type === type).length;
    expect(count('CaseOpened')).toBeGreaterThan(60);
    expect(count('CaseworkerChanged')).toBeGreaterThan(10);
    expect(count('CaseClosed')).toBeGreaterThan(10);
    expect(count('InquiryAcknowledged')).toBeGreaterThan(20);
    expect(count('DecisionIssued')).toBeGreaterThan(30);
    expect(count('AppealBoardRuled')).toBeGreaterThan(5);
    expect(count('ComplaintRegistered')).toBeGreaterThan(10);
    expect(count('SupervisionReviewRecorded')).toBeGreaterThan(5);
    // The planted edges kept their exact times.
    const at = (type: string, field: string, iso: string) =>
      expect(events.filter((e) => e.type === type && e.data[field] === iso)).toHaveLength(1);
    at('InquiryReceived', 'receivedAt', '2026-01-31T23:30:00.000Z');
    at('InquiryAcknowledged', 'acknowledgedAt', '2026-02-02T23:30:00.000Z'); // 48 h exactly
    at('ComplaintRegistered', 'receivedAt', '2026-01-31T23:40:00.000Z');
    at('CaseClosed', 'closedAt', '2026-02-28T23:00:00.000Z'); // the end of February
    at('CaseOpened', 'openedAt', '2026-03-31T22:00:00.000Z'); // the end of March
    at('DecisionIssued', 'decidedAt', '2026-03-31T22:30:00.000Z');
    at('AppealBoardRuled', 'ruledAt', '2026-04-30T22:10:00.000Z');
    at('SupervisionReviewRecorded', 'reviewedAt', '2026-05-31T22:30:00.000Z');
    const outcomes = new Set(
      events.filter((e) => e.type === 'AppealBoardRuled').map((e) => e.data.outcome),
    );
    expect(outcomes).toEqual(new Set(['upheld', 'changed', 'sent-back']));
  });

  it('JSON: every figure of every department and month equals the independent computation', async () => {
    const body = await figures({ fromMonth: '2026-01', toMonth: '2026-06' });
    expect(body.fromMonth).toBe('2026-01');
    expect(body.toMonth).toBe('2026-06');
    expect(body.generatedAt).toBe(clock.now().toISOString());
    const expected = expectedFigures(events, departments, monthsFrom('2026-01', '2026-06'));
    expect(body.departments.map((d) => d.departmentId).sort()).toEqual([...departments].sort());
    for (const department of expected) {
      const actual = body.departments.find((d) => d.departmentId === department.departmentId)!;
      for (const [i, month] of department.months.entries()) {
        expect({ department: department.departmentId, ...(actual.months[i] as object) }).toEqual({
          department: department.departmentId,
          ...month,
        });
      }
    }
    // Not all zeros: the comparison above had something to compare.
    const cbu = expected.find((d) => d.departmentId === 'CBU')!;
    expect(cbu.months.some((m) => m.processingTimes.length > 1)).toBe(true);
    expect(cbu.months.some((m) => m.caseload.caseworkers > 1)).toBe(true);
  });

  it('a later window and one department give the same figures (stock figures start right)', async () => {
    const body = await figures({ fromMonth: '2026-03', toMonth: '2026-05', departmentId: 'CHP' });
    expect(body.departments).toEqual(
      expectedFigures(events, ['CHP'], monthsFrom('2026-03', '2026-05')),
    );
  });

  it('CSV: long format with the same numbers, RFC 4180, as an attachment', async () => {
    const response = await request(t.server)
      .get('/management-figures.csv')
      .query({ fromMonth: '2026-01', toMonth: '2026-06', waitForPosition: head })
      .expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="management-figures-2026-01-2026-06.csv"',
    );
    const lines = response.text.split('\r\n');
    expect(lines[0]).toBe('department,month,figure,case_type,value');
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1).map((line) => line.split(','));
    expect(rows.every((row) => row.length === 5)).toBe(true);
    const value = (department: string, month: string, figure: string, caseType = '') =>
      rows.find(
        ([d, m, f, c]) => d === department && m === month && f === figure && c === caseType,
      )?.[4];

    const expected = expectedFigures(events, ['CBU', 'CHP'], monthsFrom('2026-01', '2026-06'));
    for (const department of expected) {
      for (const m of department.months) {
        const id = department.departmentId;
        expect(value(id, m.month, 'inquiries.received')).toBe(String(m.inquiries.received));
        expect(value(id, m.month, 'complaints.openCasesAtMonthEnd')).toBe(
          String(m.complaints.openCasesAtMonthEnd),
        );
        expect(value(id, m.month, 'decisions.percent')).toBe(
          m.decisions.percent === null ? '' : String(m.decisions.percent),
        );
        expect(value(id, m.month, 'caseload.median')).toBe(
          m.caseload.median === null ? '' : String(m.caseload.median),
        );
        for (const p of m.processingTimes) {
          expect(value(id, m.month, 'processingTimes.medianDays', p.caseType)).toBe(
            String(p.medianDays),
          );
        }
      }
    }
    // Every department and month has its block of rows.
    expect(new Set(rows.map(([d, m]) => `${d} ${m}`)).size).toBe(departments.length * 6);
  });

  it('refuses bad ranges and unknown departments', async () => {
    const reversed = await request(t.server)
      .get('/management-figures')
      .query({ fromMonth: '2026-05', toMonth: '2026-04' })
      .expect(400);
    expect(reversed.body.errors).toEqual([expect.objectContaining({ field: 'toMonth' })]);
    await request(t.server)
      .get('/management-figures')
      .query({ fromMonth: '2024-01', toMonth: '2026-12' })
      .expect(200);
    const tooLong = await request(t.server)
      .get('/management-figures.csv')
      .query({ fromMonth: '2024-01', toMonth: '2027-01' })
      .expect(400);
    expect(tooLong.body.errors).toEqual([expect.objectContaining({ field: 'toMonth' })]);
    const badMonth = await request(t.server)
      .get('/management-figures')
      .query({ fromMonth: '2026-13', toMonth: '2026' })
      .expect(400);
    expect(badMonth.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'fromMonth',
      'toMonth',
    ]);
    await request(t.server)
      .get('/management-figures')
      .query({ fromMonth: '2026-01', toMonth: '2026-02', departmentId: 'NOWHERE' })
      .expect(404);
  });
});

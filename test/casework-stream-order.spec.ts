import { randomUUID } from 'node:crypto';
import type { EventStore, Position } from '@tovholder/event-store';
import { rebuildBlueGreen, STREAM_ORDER_PAYS_FROM } from '@tovholder/read-models';
import { caseworkPolicyFrom } from '../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../apps/api/src/casework/casework.projector';
import { loadConfig } from '../apps/api/src/config/app-config';
import {
  grantedDecision,
  inquirySteps,
  openReadModelFixture,
  projectUpTo,
  rebuildInStreamOrder,
  type ReadModelFixture,
} from './support/read-model-db';

/*
 * A log as live use writes it: each case's journal and inquiries spread between everyone else's
 * events, so a catch-up in log order folds a journal on from its stored facts batch after batch.
 * A blue/green rebuild folds each stream at once instead, cases first (a journal has no
 * department of its own and takes its case's), and must give the same rows; also when events
 * come after the head it started from, which it then folds on in log order. A log of whole
 * streams (an import's) is rebuilt in log order, which is faster there, to the same rows.
 */
const CASES = 6;
const CONTACTS = 5;
const DEPARTMENTS = ['CBU', 'CHP', 'VOK'];

describe('casework: a rebuild stream by stream equals the live projection', () => {
  let fixture: ReadModelFixture;
  const projector = new CaseworkProjector(caseworkPolicyFrom(loadConfig({})));
  let later: Position | null = null;
  let last: Position | undefined;
  // The per-month counts too: a pass stream by stream computes them once it is done, and the
  // log order goes on counting from them.
  const rows = () =>
    fixture.dataSource.query<Record<string, unknown>[]>(
      `SELECT r.*, r.facts::text AS facts, r.events::text AS events,
              (SELECT array_agg(c ORDER BY c.case_id) FROM casework_cases c) AS cases,
              (SELECT array_agg(a ORDER BY a) FROM casework_assignments a) AS assignments,
              (SELECT array_agg(i::text ORDER BY i::text) FROM casework_inquiries_by_response_hours i) AS inquiries,
              (SELECT array_agg(d::text ORDER BY d::text) FROM casework_decisions_by_days d) AS decisions
         FROM casework_records r ORDER BY r.kind, r.record_id`,
    );

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    const caseIds = Array.from({ length: CASES }, () => randomUUID());
    const applications: string[] = [];
    const [first, second] = [randomUUID(), randomUUID()];
    const steps: [stream: string, type: string, data: Record<string, unknown>][] = [];
    caseIds.forEach((caseId, i) => {
      const departmentId = DEPARTMENTS[i % DEPARTMENTS.length];
      const personId = randomUUID();
      steps.push([
        `case-${caseId}`,
        'CaseOpened',
        {
          caseId,
          personId,
          departmentId,
          caseType: 'family-support',
          openedAt: '2026-02-02T09:00:00.000Z',
        },
      ]);
      steps.push([
        `case-${caseId}`,
        'CaseworkerAssigned',
        { caseId, caseworkerId: first, assignedAt: '2026-02-02T10:00:00.000Z' },
      ]);
      const applicationId = randomUUID();
      applications.push(applicationId);
      steps.push([
        `application-${applicationId}`,
        'ApplicationReceived',
        {
          applicationId,
          caseId,
          personId,
          departmentId,
          caseType: 'family-support',
          applicationDate: '2026-02-03',
          publishedDeadline: { amount: 8, unit: 'weeks' },
          exemptFromDigitalPost: false,
          receivedAt: '2026-02-03T09:00:00.000Z',
        },
      ]);
    });
    // Round after round, every case gets a contact in its journal and a step of an inquiry.
    const inquiries = caseIds.map(() => {
      const inquiryId = randomUUID();
      return { stream: `inquiry-${inquiryId}`, steps: inquirySteps(inquiryId) };
    });
    for (let round = 0; round < CONTACTS; round++) {
      caseIds.forEach((caseId, i) => {
        const at = `2026-03-0${round + 2}T1${i}:00:00.000Z`;
        steps.push([
          `journal-${caseId}`,
          'ContactJournaled',
          {
            caseId,
            entryId: randomUUID(),
            occurredAt: at,
            journaledAt: at,
            channel: round % 2 === 0 ? 'phone' : 'e-mail',
            direction: 'from-citizen',
            subject: 'follow-up',
            containsPersonalData: round === 1,
            noteId: round === 0 ? null : randomUUID(),
          },
        ]);
        // A change of caseworker folded twice would close the new assignment: it must not be.
        if (round === 2) {
          steps.push([
            `case-${caseId}`,
            'CaseworkerChanged',
            {
              caseId,
              fromCaseworkerId: first,
              toCaseworkerId: second,
              reason: 'leave',
              changedAt: at,
            },
          ]);
        }
        const inquiry = inquiries[i];
        const step = inquiry?.steps[round];
        if (inquiry && step) steps.push([inquiry.stream, ...step]);
        // Decided last, after the head a rebuild starts from: counted on from the pass's counts.
        const applicationId = applications[i];
        if (round === CONTACTS - 1 && applicationId) {
          steps.push([
            `application-${applicationId}`,
            'DecisionIssued',
            grantedDecision(applicationId, randomUUID(), at),
          ]);
        }
      });
    }
    for (const [n, [stream, type, data]] of steps.entries()) {
      ({ position: last } = await fixture.store.append(
        stream,
        [{ id: randomUUID(), type, data }],
        'any',
      ));
      if (n === Math.floor((steps.length * 3) / 4)) later = last;
    }
    await projectUpTo(fixture, projector, last);
  }, 60_000);
  afterAll(() => fixture.close());

  it('the live projection counted the inquiries and the decisions', async () => {
    const [counted] = await fixture.dataSource.query<{ inquiries: number; decisions: number }[]>(
      `SELECT (SELECT sum(inquiries) FROM casework_inquiries_by_response_hours)::int AS inquiries,
              (SELECT sum(decisions) FROM casework_decisions_by_days)::int AS decisions`,
    );
    expect(counted).toEqual({ inquiries: CASES, decisions: CASES });
  });

  it('journals take their cases’ departments in the live projection', async () => {
    const journals = await fixture.dataSource.query<{ department_id: string | null }[]>(
      `SELECT department_id FROM casework_records WHERE kind = 'journal'`,
    );
    expect(journals).toHaveLength(CASES);
    expect(journals.every((j) => j.department_id !== null)).toBe(true);
  });

  it('a rebuild that folds each stream at once (pages splitting streams) gives the same rows', async () => {
    const live = await rows();
    await rebuildInStreamOrder(fixture, projector, 7);
    expect(await rows()).toEqual(live);
  });

  it('events after the head it started from are folded on in log order', async () => {
    const live = await rows();
    const { store } = fixture;
    // As if the last quarter were appended while the rebuild read the rest, stream by stream.
    const startedEarlier: EventStore = Object.assign(Object.create(store) as EventStore, {
      headPosition: () => Promise.resolve(later),
    });
    const warnings: string[] = [];
    // Chosen, not forced: this log spreads each stream over several batches of 7 (sampled, as
    // when every projector rebuilds from one read).
    const { streamOrder } = await rebuildBlueGreen(fixture.dataSource, startedEarlier, projector, {
      catchUpBatchSize: 7,
      readShared: true,
      logger: {
        log: () => undefined,
        warn: (m) => warnings.push(m),
        error: (m) => warnings.push(m),
      },
    });
    expect(warnings).toEqual([]);
    // Chosen, for the journals' and inquiries' sake; an application is a stream of one event.
    expect(streamOrder?.groups).toEqual(projector.streamOrder);
    const rates = streamOrder?.rewritesPerEvent ?? {};
    expect(rates['journal-']).toBeGreaterThanOrEqual(STREAM_ORDER_PAYS_FROM);
    expect(rates['application-']).toBe(0);
    expect(await rows()).toEqual(live);
  });
});

import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  fakeCpr,
  openCase,
  registerCaseworker,
  registerPerson,
  untilLogHeadReaches,
} from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  kind: string;
  recordId: string;
  code: string;
  dueDate: string;
  severity: string;
}

interface Queued {
  referralId: string;
  caseId: string;
  departmentId: string;
  waitingDays: number;
  dueDate: string;
  flags: Flag[];
}

interface Referred {
  referralId: string;
  position: string;
}

describe('visitation over HTTP: referral, queue, routing to the four destinations, VISITATION_WAITING', () => {
  let t: TestApp;
  // Monday 2 March 2026, 10:00 in Copenhagen; the meetings are on Tuesdays.
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const newCase = async (departmentId: string) => {
    const personId = await registerPerson(t, '1990-05-17');
    const { caseId } = await openCase(t, personId, departmentId, 'adult-support');
    return { personId, caseId };
  };

  const refer = async (caseId: string, body: object = {}): Promise<Referred> =>
    (await request(t.server).post(`/cases/${caseId}/visitation-referrals`).send(body).expect(201))
      .body as Referred;

  const referral = async (referralId: string, position: string) =>
    (
      await request(t.server)
        .get(`/visitation-referrals/${referralId}`)
        .query({ waitForPosition: position })
        .expect(200)
    ).body as { flags: Flag[]; facts: { routed: { destination: string } | null } };

  const queue = async (departmentId: string, position: string, page: object = {}) =>
    (
      await request(t.server)
        .get('/visitation/queue')
        .query({ departmentId, waitForPosition: position, ...page })
        .expect(200)
    ).body as { items: Queued[]; total: number };

  const visitationFlags = async (position: string) =>
    (
      (
        await request(t.server)
          .get('/casework/flags')
          .query({ kind: 'visitation', waitForPosition: position })
          .expect(200)
      ).body as { items: Flag[] }
    ).items;

  const route = (referralId: string, body: object) =>
    request(t.server).post(`/visitation-referrals/${referralId}/routing`).send(body);

  it('VISITATION_WAITING: not there on day 14, there on day 15, in the queue and the flag list; routing clears it', async () => {
    clock.set(new Date('2026-03-02T09:00:00.000Z'));
    const { caseId } = await newCase('JOBCENTER');
    const referred = await refer(caseId);
    expect(referred).toMatchObject({ written: 1, revision: 0 });
    expect((await referral(referred.referralId, referred.position)).flags).toEqual([]);

    // Day 14 (14 calendar days, default VISITATION_WAITING_DAYS): still on time.
    clock.set(new Date('2026-03-16T21:00:00.000Z')); // 22:00 on the 16th in Copenhagen
    expect((await referral(referred.referralId, referred.position)).flags).toEqual([]);
    expect((await queue('JOBCENTER', referred.position)).items).toEqual([
      expect.objectContaining({
        referralId: referred.referralId,
        caseId,
        waitingDays: 14,
        dueDate: '2026-03-16',
        flags: [],
      }),
    ]);
    expect(
      (await visitationFlags(referred.position)).filter((f) => f.recordId === referred.referralId),
    ).toEqual([]);

    // Day 15, the Tuesday of the meeting: waiting too long.
    clock.set(new Date('2026-03-17T08:00:00.000Z'));
    const waiting = expect.objectContaining({
      code: 'VISITATION_WAITING',
      dueDate: '2026-03-16',
      severity: 'overdue',
    });
    expect((await referral(referred.referralId, referred.position)).flags).toEqual([waiting]);
    const queued = await queue('JOBCENTER', referred.position);
    expect(queued.total).toBe(1);
    expect(queued.items).toEqual([
      expect.objectContaining({
        referralId: referred.referralId,
        waitingDays: 15,
        flags: [waiting],
      }),
    ]);
    expect(
      (await visitationFlags(referred.position)).filter((f) => f.recordId === referred.referralId),
    ).toEqual([
      expect.objectContaining({
        kind: 'visitation',
        code: 'VISITATION_WAITING',
        caseId,
        departmentId: 'JOBCENTER',
      }),
    ]);

    clock.set(new Date('2026-03-17T12:00:00.000Z'));
    const routed = await route(referred.referralId, {
      destination: 'csae-visitation',
      reasonCode: 'care-or-health-needs',
      meetingDate: '2026-03-17',
    }).expect(200);
    expect(routed.body).toMatchObject({ written: 1, caseworkerAssignment: null });
    expect((await referral(referred.referralId, routed.body.position)).flags).toEqual([]);
    expect(await queue('JOBCENTER', routed.body.position)).toMatchObject({ items: [], total: 0 });
    expect(
      (await visitationFlags(routed.body.position)).filter(
        (f) => f.recordId === referred.referralId,
      ),
    ).toEqual([]);

    // The history still shows the flag before the meeting routed it.
    const history = await request(t.server)
      .get(`/visitation-referrals/${referred.referralId}/history`)
      .query({ asOf: '2026-03-17T11:59:00.000Z' })
      .expect(200);
    expect(history.body.flags).toEqual([waiting]);
  });

  it('the queue lists waiting referrals oldest first, paged', async () => {
    clock.set(new Date('2026-03-10T09:00:00.000Z'));
    const newer = await refer((await newCase('UU')).caseId);
    const older = await refer((await newCase('UU')).caseId, { at: '2026-03-05T09:00:00.000Z' });
    const all = await queue('UU', older.position);
    expect(all.total).toBe(2);
    expect(all.items.map((item) => [item.referralId, item.waitingDays])).toEqual([
      [older.referralId, 5],
      [newer.referralId, 0],
    ]);
    const second = await queue('UU', older.position, { limit: 1, offset: 1 });
    expect(second).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(second.items.map((item) => item.referralId)).toEqual([newer.referralId]);
    expect(await queue('UU', older.position, { offset: 5 })).toMatchObject({ items: [], total: 2 });
  });

  it('routes to each of the four destinations; to a caseworker, the case gets that caseworker', async () => {
    clock.set(new Date('2026-03-24T09:00:00.000Z')); // Tuesday
    const meetingDate = '2026-03-24';
    const routes = [
      { destination: 'focus-course', reasonCode: 'needs-clarification' },
      { destination: 'csae-visitation', reasonCode: 'care-or-health-needs' },
      { destination: 'youth-unit', reasonCode: 'young-adult', note: 'Aged 19, in education' },
    ];
    for (const body of routes) {
      const referred = await refer((await newCase('CHP')).caseId);
      const routed = await route(referred.referralId, { ...body, meetingDate }).expect(200);
      expect(routed.body).toMatchObject({ written: 1, caseworkerAssignment: null });
      const view = await referral(referred.referralId, routed.body.position);
      expect(view.facts.routed).toMatchObject({
        destination: body.destination,
        caseworkerId: null,
      });
    }

    // The case shows in the family's view with the caseworker it was given.
    const anna = await registerCaseworker(t, 'CHP', 'Anna');
    const bo = await registerCaseworker(t, 'CHP', 'Bo');
    const { personId, caseId } = await newCase('CHP');
    const familyId = (await request(t.server).post('/families').expect(201)).body
      .familyId as string;
    await request(t.server)
      .post(`/families/${familyId}/members`)
      .send({ personId, role: 'parent' })
      .expect(201);
    const caseworkerOf = async (id: string, position: string) => {
      const view = await request(t.server)
        .get(`/families/${familyId}`)
        .query({ waitForPosition: position })
        .expect(200);
      const cases = Object.values(
        view.body.openCasesByDepartment as Record<
          string,
          { caseId: string; caseworkerId: string }[]
        >,
      ).flat();
      return cases.find((c) => c.caseId === id)?.caseworkerId ?? null;
    };

    const referred = await refer(caseId);
    const toAnna = {
      destination: 'caseworker',
      caseworkerId: anna,
      reasonCode: 'clearly-in-target-group',
      meetingDate,
    };
    const routed = await route(referred.referralId, toAnna).expect(200);
    expect(routed.body).toMatchObject({
      written: 1,
      caseworkerAssignment: { caseId, written: 1 },
    });
    const theCase = await request(t.server)
      .get(`/cases/${caseId}`)
      .query({ waitForPosition: routed.body.position })
      .expect(200);
    expect(theCase.body).toMatchObject({ caseId, status: 'open' });
    expect(await caseworkerOf(caseId, routed.body.position)).toBe(anna);
    const view = await referral(referred.referralId, routed.body.position);
    expect(view.facts.routed).toMatchObject({ destination: 'caseworker', caseworkerId: anna });

    // The same request again (a retry) records nothing on either stream and is not an error.
    clock.advance(60_000);
    const again = await route(referred.referralId, toAnna).expect(200);
    expect(again.body).toMatchObject({ written: 0, caseworkerAssignment: { caseId, written: 0 } });
    // Another routing of the same referral is refused.
    const other = await route(referred.referralId, { ...toAnna, caseworkerId: bo }).expect(409);
    expect(other.body.code).toBe('VISITATION.ALREADY_ROUTED');

    // A request that stopped between the two writes (routing recorded, case untouched) is
    // finished by sending it again.
    const halfDone = await openCase(t, personId, 'CHP', 'adult-support');
    const halfReferral = await refer(halfDone.caseId);
    await t.app.get<EventStore>(EVENT_STORE).append(
      `visitation-${halfReferral.referralId}`,
      [
        {
          id: randomUUID(),
          type: 'ReferralRouted',
          data: {
            referralId: halfReferral.referralId,
            destination: 'caseworker',
            caseworkerId: anna,
            reasonCode: 'clearly-in-target-group',
            meetingDate,
            routedAt: clock.now().toISOString(),
          },
        },
      ],
      0,
    );
    const finished = await route(halfReferral.referralId, toAnna).expect(200);
    expect(finished.body).toMatchObject({
      written: 0,
      caseworkerAssignment: { caseId: halfDone.caseId, written: 1 },
    });
    expect(await caseworkerOf(halfDone.caseId, finished.body.position)).toBe(anna);

    // A case with a caseworker already: the visitation meeting changes it.
    const second = await openCase(t, personId, 'CHP', 'adult-support');
    await request(t.server)
      .post(`/cases/${second.caseId}/caseworker`)
      .send({ caseworkerId: bo })
      .expect(200);
    const secondReferral = await refer(second.caseId);
    const changed = await route(secondReferral.referralId, toAnna).expect(200);
    expect(changed.body.caseworkerAssignment).toMatchObject({ caseId: second.caseId, written: 1 });
    expect(await caseworkerOf(second.caseId, changed.body.position)).toBe(anna);

    // A caseworker who has the case already: routed, and nothing more on the case.
    const third = await openCase(t, personId, 'CHP', 'adult-support');
    await request(t.server)
      .post(`/cases/${third.caseId}/caseworker`)
      .send({ caseworkerId: anna })
      .expect(200);
    const thirdReferral = await refer(third.caseId);
    const kept = await route(thirdReferral.referralId, toAnna).expect(200);
    expect(kept.body).toMatchObject({
      written: 1,
      caseworkerAssignment: { caseId: third.caseId, written: 0 },
    });
  });

  it('one waiting referral per case; not for a closed case; a withdrawn referral leaves the queue', async () => {
    clock.set(new Date('2026-04-01T09:00:00.000Z'));
    const { caseId } = await newCase('CSAE');
    const first = await refer(caseId);
    // The check reads the read model caught up to the log's visible head; in the shared test
    // cluster other files' transactions can hold that head back for a moment (a known gap:
    // two simultaneous referrals of one case could both pass).
    await untilLogHeadReaches(t, first.position);
    const second = await request(t.server)
      .post(`/cases/${caseId}/visitation-referrals`)
      .send({})
      .expect(409);
    expect(second.body).toMatchObject({
      code: 'VISITATION.ALREADY_WAITING',
      details: { referralId: first.referralId },
    });

    const withdrawn = await request(t.server)
      .post(`/visitation-referrals/${first.referralId}/withdrawal`)
      .send({ reason: 'Citizen declined the offer' })
      .expect(200);
    expect(withdrawn.body).toMatchObject({ written: 1 });
    expect(await queue('CSAE', withdrawn.body.position)).toMatchObject({ items: [], total: 0 });
    const again = await refer(caseId);
    expect(again.referralId).not.toBe(first.referralId);

    const closed = await newCase('CSAE');
    await request(t.server)
      .post(`/cases/${closed.caseId}/close`)
      .send({ reason: 'Moved to another municipality' })
      .expect(200);
    const refused = await request(t.server)
      .post(`/cases/${closed.caseId}/visitation-referrals`)
      .send({})
      .expect(409);
    expect(refused.body.code).toBe('CASE.ALREADY_CLOSED');
    await request(t.server)
      .post('/cases/7d0b7d1e-0000-4000-8000-000000000000/visitation-referrals')
      .send({})
      .expect(404);
  });

  it('refuses bad routings with the field, unknown referrals with 404, and never echoes a CPR-like note', async () => {
    clock.set(new Date('2026-04-07T09:00:00.000Z'));
    const meetingDate = '2026-04-07';
    const caseworker = await registerCaseworker(t, 'FAMILIE');
    const referred = await refer((await newCase('FAMILIE')).caseId);

    const missing = await route(referred.referralId, {
      destination: 'caseworker',
      reasonCode: 'clearly-in-target-group',
      meetingDate,
    }).expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'caseworkerId' })]);

    const notAllowed = await route(referred.referralId, {
      destination: 'focus-course',
      caseworkerId: caseworker,
      reasonCode: 'needs-clarification',
      meetingDate,
    }).expect(400);
    expect(notAllowed.body.errors).toEqual([expect.objectContaining({ field: 'caseworkerId' })]);

    const bad = await route(referred.referralId, {
      destination: 'elsewhere',
      reasonCode: 'because',
      meetingDate: '7 April',
    }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'destination',
      'meetingDate',
      'reasonCode',
    ]);

    const cpr = fakeCpr('1990-05-17');
    const cprNote = await route(referred.referralId, {
      destination: 'focus-course',
      reasonCode: 'other',
      note: `Same as ${cpr}`,
      meetingDate,
    });
    expect(cprNote.status).toBeGreaterThanOrEqual(400);
    expect(cprNote.status).toBeLessThan(500);
    expect(cprNote.body.errors).toEqual([expect.objectContaining({ field: 'note' })]);
    expect(JSON.stringify(cprNote.body)).not.toContain(cpr);
    expect(JSON.stringify(cprNote.body)).not.toContain('Same as');

    // None of the refusals routed it: it is still waiting.
    expect((await queue('FAMILIE', referred.position)).items).toEqual([
      expect.objectContaining({ referralId: referred.referralId }),
    ]);

    const unknown = '7d0b7d1e-0000-4000-8000-000000000000';
    const notFound = await route(unknown, {
      destination: 'focus-course',
      reasonCode: 'needs-clarification',
      meetingDate,
    }).expect(404);
    expect(notFound.body.code).toBe('VISITATION.NOT_FOUND');
    const notFoundToCaseworker = await route(unknown, {
      destination: 'caseworker',
      caseworkerId: caseworker,
      reasonCode: 'clearly-in-target-group',
      meetingDate,
    }).expect(404);
    expect(notFoundToCaseworker.body.code).toBe('VISITATION.NOT_FOUND');
    await request(t.server).get(`/visitation-referrals/${unknown}`).expect(404);
    await request(t.server).get('/visitation-referrals/not-an-id').expect(404);
    await request(t.server)
      .post(`/visitation-referrals/${unknown}/withdrawal`)
      .send({ reason: 'Duplicate' })
      .expect(404);
  });
});

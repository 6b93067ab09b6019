import request from 'supertest';
import { registerCaseworker, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  subjectId: string;
  since: string;
  eventIds: string[];
  details: Record<string, unknown>;
}

interface HistoryCase {
  caseId: string;
  caseworkerId: string | null;
}

/** Steps recorded after they happened: `at` on the command, checked, and honoured by the flags. */
describe('effective time over HTTP: steps dated when they happened', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-03-16T09:00:00.000Z')); // Monday 16 March
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  async function familyWithCase() {
    const familyId = (await request(t.server).post('/families').send({}).expect(201)).body
      .familyId as string;
    const child = await registerPerson(t, '2014-06-01');
    await request(t.server)
      .post(`/families/${familyId}/members`)
      .send({ personId: child, role: 'child' })
      .expect(201);
    const a = await registerCaseworker(t, 'CBU', 'A');
    const b = await registerCaseworker(t, 'CBU', 'B');
    const opened = await request(t.server)
      .post('/cases')
      .send({ personId: child, departmentId: 'CBU', caseType: 'support' })
      .expect(201);
    const caseId = opened.body.caseId as string;
    await request(t.server)
      .post(`/cases/${caseId}/caseworker`)
      .send({ caseworkerId: a })
      .expect(200);
    return { familyId, caseId, a, b };
  }

  it('a caseworker change recorded 10 days late raises CASEWORKER_CHANGE_NOT_TOLD now, naming it; asOf and knownAt tell the two stories', async () => {
    clock.set(new Date('2026-03-16T09:00:00.000Z'));
    const { familyId, caseId, a, b } = await familyWithCase();
    clock.set(new Date('2026-03-27T10:00:00.000Z')); // Friday 27 March: the change is recorded
    const tenDaysBack = '2026-03-17T10:00:00.000Z'; // Tuesday 17 March: when it happened
    const changed = await request(t.server)
      .post(`/cases/${caseId}/caseworker/change`)
      .send({ toCaseworkerId: b, reason: 'leave', at: tenDaysBack })
      .expect(200);

    const now = await request(t.server)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: changed.body.position })
      .expect(200);
    const flags = now.body.flags as Flag[];
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag).toMatchObject({ code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId: caseId });
    expect(flag?.details.changedAt).toBe(tenDaysBack);
    expect(flag?.eventIds).toHaveLength(1);
    // Five working days from Tuesday 17 March end with Tuesday 24 March (Copenhagen time).
    expect(flag?.since.startsWith('2026-03-24T')).toBe(true);

    const thursday = '2026-03-26T12:00:00.000Z';
    const asWeKnowItNow = await request(t.server)
      .get(`/families/${familyId}/history`)
      .query({ asOf: thursday })
      .expect(200);
    const caseThen = (asWeKnowItNow.body.openCases as HistoryCase[]).find(
      (c) => c.caseId === caseId,
    );
    expect(caseThen?.caseworkerId).toBe(b);
    expect((asWeKnowItNow.body.flags as Flag[]).map((f) => f.code)).toEqual([
      'CASEWORKER_CHANGE_NOT_TOLD',
    ]);
    expect((asWeKnowItNow.body.flags as Flag[])[0]?.eventIds).toEqual(flag?.eventIds);

    for (const query of [{ knownAt: thursday }, { asOf: thursday, knownAt: thursday }]) {
      const asShownThen = await request(t.server)
        .get(`/families/${familyId}/history`)
        .query(query)
        .expect(200);
      const shown = (asShownThen.body.openCases as HistoryCase[]).find((c) => c.caseId === caseId);
      expect(shown?.caseworkerId).toBe(a);
      expect(asShownThen.body.flags).toEqual([]);
    }

    const neither = await request(t.server).get(`/families/${familyId}/history`).expect(400);
    expect(neither.body.errors[0].field).toBe('asOf');
  });

  it('refuses a step dated in the future (beyond the clock skew) or before what it belongs to, naming at', async () => {
    clock.set(new Date('2026-04-01T09:00:00.000Z'));
    const { familyId, caseId, b } = await familyWithCase();
    const refusals: [string, object, string][] = [
      [
        `/cases/${caseId}/caseworker/change`,
        { toCaseworkerId: b, reason: 'r', at: '2026-04-01T09:01:00Z' },
        'CASE.IN_THE_FUTURE',
      ],
      [
        `/cases/${caseId}/caseworker/change`,
        { toCaseworkerId: b, reason: 'r', at: '2026-03-31T09:00:00Z' },
        'CASE.BEFORE_OPENED',
      ],
      [
        `/cases/${caseId}/close`,
        { reason: 'done', at: '2026-03-01T00:00:00Z' },
        'CASE.BEFORE_OPENED',
      ],
      [
        `/families/${familyId}/members`,
        {
          personId: await registerPerson(t, '2016-01-01'),
          role: 'child',
          at: '2026-03-31T00:00:00Z',
        },
        'FAMILY.BEFORE_REGISTERED',
      ],
    ];
    for (const [path, body, code] of refusals) {
      const refused = await request(t.server).post(path).send(body).expect(422);
      expect(refused.body).toMatchObject({ code, errors: [{ field: 'at' }] });
    }
    const contact = await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: b, at: '2026-03-31T00:00:00Z' })
      .expect(422);
    expect(contact.body.code).toBe('FAMILY.BEFORE_REGISTERED');

    // A few seconds ahead of the server's clock counts as now (CLOCK_SKEW_MS).
    clock.set(new Date('2026-04-01T10:00:00.000Z'));
    await request(t.server)
      .post(`/cases/${caseId}/caseworker/change`)
      .send({ toCaseworkerId: b, reason: 'r', at: '2026-04-01T10:00:02Z' })
      .expect(200);
    // The case's steps keep their order: nothing dated before its latest caseworker change.
    const early = await request(t.server)
      .post(`/cases/${caseId}/close`)
      .send({ reason: 'done', at: '2026-04-01T09:30:00Z' })
      .expect(422);
    expect(early.body.code).toBe('CASE.BEFORE_PREVIOUS_STEP');
  });

  it('a step recorded late for a caseworker who has left since is accepted; one dated while they were deactivated is refused', async () => {
    clock.set(new Date('2026-05-04T08:00:00.000Z')); // Monday 4 May: case opened, A assigned
    const { familyId, caseId } = await familyWithCase();
    const c = (
      await request(t.server)
        .post('/caseworkers')
        .send({ departmentId: 'CBU', name: 'C', at: '2026-04-01T09:00:00Z' })
        .expect(201)
    ).body.caseworkerId as string;
    clock.set(new Date('2026-05-11T09:00:00.000Z')); // the case system tells us a week later
    await request(t.server)
      .post(`/caseworkers/${c}/deactivate`)
      .send({ reason: 'left', at: '2026-05-06T09:00:00.000Z' })
      .expect(200);

    const whileGone = await request(t.server)
      .post(`/cases/${caseId}/caseworker/change`)
      .send({ toCaseworkerId: c, reason: 'leave', at: '2026-05-07T09:00:00.000Z' })
      .expect(409);
    expect(whileGone.body).toMatchObject({
      code: 'CASEWORKER.INACTIVE',
      details: { deactivatedAt: '2026-05-06T09:00:00.000Z' },
    });
    const changed = await request(t.server)
      .post(`/cases/${caseId}/caseworker/change`)
      .send({ toCaseworkerId: c, reason: 'leave', at: '2026-05-05T09:00:00.000Z' })
      .expect(200);
    // The history finds the family's cases in the read model, which sees the change once the log
    // shows it (other test files' transactions on this cluster can hold the visible head back):
    // the write's position makes the read wait for it.
    const history = await request(t.server)
      .get(`/families/${familyId}/history`)
      .query({ asOf: '2026-05-05T12:00:00.000Z', waitForPosition: changed.body.position as string })
      .expect(200);
    const caseThen = (history.body.openCases as HistoryCase[]).find((x) => x.caseId === caseId);
    expect(caseThen?.caseworkerId).toBe(c);
  });

  it('caseworker, journal and meeting steps take at too: a deactivation recorded late flags the family from when it happened', async () => {
    clock.set(new Date('2026-04-13T08:00:00.000Z')); // Monday 13 April
    const { caseId } = await familyWithCase();
    const familyId = (
      await request(t.server).post('/families').send({ at: '2026-01-05T09:00:00Z' }).expect(201)
    ).body.familyId as string;
    const caseworkerId = (
      await request(t.server)
        .post('/caseworkers')
        .send({ departmentId: 'CBU', name: 'C', at: '2026-01-05T09:00:00Z' })
        .expect(201)
    ).body.caseworkerId as string;
    await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId, at: '2026-02-02T09:00:00Z' })
      .expect(200);

    // The caseworker's steps keep their order; a deactivation on 2 March, recorded today.
    const early = await request(t.server)
      .post(`/caseworkers/${caseworkerId}/deactivate`)
      .send({ reason: 'left', at: '2026-01-01T00:00:00Z' })
      .expect(422);
    expect(early.body).toMatchObject({
      code: 'CASEWORKER.BEFORE_PREVIOUS_STEP',
      errors: [{ field: 'at' }],
    });
    const deactivated = await request(t.server)
      .post(`/caseworkers/${caseworkerId}/deactivate`)
      .send({ reason: 'left', at: '2026-03-02T09:00:00.000Z' })
      .expect(200);
    const family = await request(t.server)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: deactivated.body.position })
      .expect(200);
    expect(family.body.flags).toEqual([
      expect.objectContaining({
        code: 'PRIMARY_CONTACT_INACTIVE',
        since: '2026-03-02T09:00:00.000Z',
      }),
    ]);

    // A note is written after the contact it belongs to, not before.
    const contact = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-04-10T09:00:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: 'Question about support',
        containsPersonalData: false,
      })
      .expect(201);
    const notePath = `/cases/${caseId}/journal/contacts/${contact.body.entryId}/note`;
    const noteBefore = await request(t.server)
      .post(notePath)
      .send({ note: 'Called back', at: '2026-04-09T09:00:00Z' })
      .expect(422);
    expect(noteBefore.body).toMatchObject({
      code: 'JOURNAL.BEFORE_CONTACT',
      errors: [{ field: 'at' }],
    });
    await request(t.server)
      .post(notePath)
      .send({ note: 'Called back', at: '2026-04-10T12:00:00Z' })
      .expect(200);

    // Minutes describe the meeting: recorded two days later, dated on its day, never before it.
    const meetingId = (
      await request(t.server).post('/meetings').send({ date: '2026-04-14' }).expect(201)
    ).body.meetingId as string;
    await request(t.server)
      .post(`/meetings/${meetingId}/agenda/freeze`)
      .send({ force: true })
      .expect(200);
    clock.set(new Date('2026-04-16T08:00:00.000Z'));
    const minutesPath = `/meetings/${meetingId}/items/other:0b6c3f4e-2a51-4c1e-9d3a-7f2e8b9c1d00/minutes`;
    const minutes = { outcome: 'Agreed', decisions: ['Follow up'] };
    const beforeMeeting = await request(t.server)
      .post(minutesPath)
      .send({ ...minutes, at: '2026-04-13T10:00:00Z' })
      .expect(422);
    expect(beforeMeeting.body).toMatchObject({
      code: 'MEETING.BEFORE_MEETING',
      errors: [{ field: 'at' }],
    });
    await request(t.server)
      .post(minutesPath)
      .send({ ...minutes, at: '2026-04-14T10:00:00Z' })
      .expect(200);
  });

  it("a routing to a caseworker recorded late changes the case from when it happened; one dated before the case's latest step writes nothing", async () => {
    clock.set(new Date('2026-05-18T08:00:00.000Z')); // Monday 18 May
    const child = await registerPerson(t, '2013-02-01');
    const familyId = (
      await request(t.server).post('/families').send({ at: '2026-04-01T09:00:00Z' }).expect(201)
    ).body.familyId as string;
    await request(t.server)
      .post(`/families/${familyId}/members`)
      .send({ personId: child, role: 'child', at: '2026-04-01T09:00:00Z' })
      .expect(201);
    const a = await registerCaseworker(t, 'CBU', 'A');
    const b = await registerCaseworker(t, 'CBU', 'B');
    const caseId = (
      await request(t.server)
        .post('/cases')
        .send({
          personId: child,
          departmentId: 'CBU',
          caseType: 'support',
          at: '2026-05-01T08:00:00Z',
        })
        .expect(201)
    ).body.caseId as string;
    await request(t.server)
      .post(`/cases/${caseId}/caseworker`)
      .send({ caseworkerId: a, at: '2026-05-01T09:00:00Z' })
      .expect(200);
    const refer = async (at: string) =>
      (
        await request(t.server)
          .post(`/cases/${caseId}/visitation-referrals`)
          .send({ at })
          .expect(201)
      ).body as { referralId: string; position: string };
    const toB = (at: string) => ({
      destination: 'caseworker',
      caseworkerId: b,
      reasonCode: 'clearly-in-target-group',
      meetingDate: at.slice(0, 10),
      at,
    });

    const first = await refer('2026-05-05T09:00:00Z');
    const routed = await request(t.server)
      .post(`/visitation-referrals/${first.referralId}/routing`)
      .send(toB('2026-05-06T09:00:00.000Z'))
      .expect(200);
    const family = await request(t.server)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: routed.body.position })
      .expect(200);
    const [flag] = family.body.flags as Flag[];
    expect(flag).toMatchObject({ code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId: caseId });
    expect(flag?.details.changedAt).toBe('2026-05-06T09:00:00.000Z');
    // Five working days from Wednesday 6 May end with Wednesday 13 May (Copenhagen time).
    expect(flag?.since.startsWith('2026-05-13T')).toBe(true);

    // Back to A, dated 5 May: before the case's latest step (the change on 6 May), so refused,
    // and the referral is not routed either.
    const second = await refer('2026-05-04T09:00:00Z');
    const before = await request(t.server)
      .post(`/visitation-referrals/${second.referralId}/routing`)
      .send({ ...toB('2026-05-05T09:00:00.000Z'), caseworkerId: a })
      .expect(422);
    expect(before.body).toMatchObject({
      code: 'CASE.BEFORE_PREVIOUS_STEP',
      errors: [{ field: 'at' }],
    });
    const unrouted = await request(t.server)
      .get(`/visitation-referrals/${second.referralId}`)
      .query({ waitForPosition: second.position })
      .expect(200);
    expect(unrouted.body.facts.routed).toBeNull();
  });

  it('a member who left is removed from when they left (DELETE takes at as a query parameter, never a body)', async () => {
    clock.set(new Date('2026-06-10T09:00:00.000Z'));
    const familyId = (
      await request(t.server).post('/families').send({ at: '2026-06-01T09:00:00Z' }).expect(201)
    ).body.familyId as string;
    const child = await registerPerson(t, '2012-03-01');
    await request(t.server)
      .post(`/families/${familyId}/members`)
      .send({ personId: child, role: 'child', at: '2026-06-01T09:00:00Z' })
      .expect(201);
    const member = `/families/${familyId}/members/${child}`;

    const future = await request(t.server)
      .delete(member)
      .query({ at: '2026-06-10T10:00:00Z' })
      .expect(422);
    expect(future.body).toMatchObject({ code: 'FAMILY.IN_THE_FUTURE', errors: [{ field: 'at' }] });
    const inBody = await request(t.server)
      .delete(member)
      .send({ at: '2026-06-05T09:00:00Z' })
      .expect(400);
    expect(inBody.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'at' }] });
    expect(JSON.stringify(inBody.body)).not.toContain('2026-06-05');
    const unreadable = await request(t.server).delete(member).query({ at: 'last week' });
    expect(unreadable.status).toBe(400);
    expect(unreadable.body.errors).toEqual([{ field: 'at', reason: expect.any(String) }]);

    await request(t.server).delete(member).query({ at: '2026-06-05T09:00:00Z' }).expect(200);
    const membersOn = async (asOf: string) =>
      (await request(t.server).get(`/families/${familyId}/history`).query({ asOf }).expect(200))
        .body.members as { personId: string }[];
    expect((await membersOn('2026-06-04T09:00:00Z')).map((m) => m.personId)).toEqual([child]);
    expect(await membersOn('2026-06-06T09:00:00Z')).toEqual([]);
  });
});

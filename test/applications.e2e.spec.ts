import request from 'supertest';
import { openCase, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  dueDate: string;
  severity: string;
  details: { decisionId?: string | null; missing?: string[] };
}

const completeChecklist = {
  reasonsGiven: true,
  hearing: 'done',
  appealGuidanceIncluded: true,
  consent: 'obtained',
};

describe('applications over HTTP: processing deadlines, decisions, appeals', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-01-05T09:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const flagsOf = async (applicationId: string, position: string): Promise<Flag[]> =>
    (
      (
        await request(t.server)
          .get(`/applications/${applicationId}`)
          .query({ waitForPosition: position })
          .expect(200)
      ).body as { flags: Flag[] }
    ).flags;

  const receive = async (personId: string, applicationDate: string) => {
    const { caseId } = await openCase(t, personId, 'CBU', 'child-support');
    const response = await request(t.server)
      .post(`/cases/${caseId}/applications`)
      .send({ applicationDate })
      .expect(201);
    return response.body as { applicationId: string; deadline: string; position: string };
  };

  it('DEADLINE_APPROACHING → OVERDUE_WITHOUT_NOTICE → decision: DECISION_INCOMPLETE until supplemented; APOLOGY_MISSING after the board changes it', async () => {
    clock.set(new Date('2026-01-05T09:00:00.000Z'));
    const citizen = await registerPerson(t, '1980-04-02');
    const app = await receive(citizen, '2026-01-05');
    expect(app.deadline).toBe('2026-03-02'); // 8 weeks (the example deadline for child-support)
    expect(await flagsOf(app.applicationId, app.position)).toEqual([]);

    clock.set(new Date('2026-02-20T09:00:00.000Z'));
    expect(await flagsOf(app.applicationId, app.position)).toEqual([
      expect.objectContaining({
        code: 'DEADLINE_APPROACHING',
        dueDate: '2026-03-02',
        severity: 'warning',
      }),
    ]);
    clock.set(new Date('2026-03-03T09:00:00.000Z'));
    expect(await flagsOf(app.applicationId, app.position)).toEqual([
      expect.objectContaining({
        code: 'OVERDUE_WITHOUT_NOTICE',
        dueDate: '2026-03-02',
        severity: 'overdue',
      }),
    ]);

    const decided = await request(t.server)
      .post(`/applications/${app.applicationId}/decisions`)
      .send({
        outcome: 'refused',
        channel: 'digital-post',
        checklist: { ...completeChecklist, appealGuidanceIncluded: false },
      })
      .expect(201);
    const decisionId = decided.body.decisionId as string;
    expect(await flagsOf(app.applicationId, decided.body.position)).toEqual([
      expect.objectContaining({
        code: 'DECISION_INCOMPLETE',
        details: expect.objectContaining({ decisionId, missing: ['appeal-guidance'] }),
      }),
    ]);
    const supplemented = await request(t.server)
      .post(`/applications/${app.applicationId}/decisions/${decisionId}/supplement`)
      .send({ supplied: ['appeal-guidance'], channel: 'digital-post' })
      .expect(200);
    expect(await flagsOf(app.applicationId, supplemented.body.position)).toEqual([]);

    const base = `/applications/${app.applicationId}/decisions/${decisionId}`;
    await request(t.server).post(`${base}/appeal`).send({}).expect(200);
    await request(t.server)
      .post(`${base}/appeal/reassessment`)
      .send({ outcome: 'upheld' })
      .expect(200);
    await request(t.server).post(`${base}/appeal/forwarding`).send({}).expect(200);
    clock.set(new Date('2026-06-01T09:00:00.000Z'));
    const ruled = await request(t.server)
      .post(`${base}/appeal/ruling`)
      .send({ outcome: 'changed' })
      .expect(200);
    expect(await flagsOf(app.applicationId, ruled.body.position)).toEqual([
      expect.objectContaining({ code: 'APOLOGY_MISSING', dueDate: '2026-06-01' }),
    ]);
    const apologised = await request(t.server)
      .post(`${base}/apology`)
      .send({ channel: 'digital-post' })
      .expect(200);
    expect(await flagsOf(app.applicationId, apologised.body.position)).toEqual([]);
  });

  it('a timely notice of delay turns the overdue application into OVERDUE only after the new date', async () => {
    clock.set(new Date('2026-01-05T09:00:00.000Z'));
    const citizen = await registerPerson(t, '1979-09-12');
    const app = await receive(citizen, '2026-01-05');
    clock.set(new Date('2026-02-25T09:00:00.000Z'));
    expect(await flagsOf(app.applicationId, app.position)).toEqual([
      expect.objectContaining({ code: 'DEADLINE_APPROACHING', dueDate: '2026-03-02' }),
    ]);
    const notice = await request(t.server)
      .post(`/applications/${app.applicationId}/delay-notice`)
      .send({ channel: 'digital-post', expectedDecisionBy: '2026-03-20', reason: 'capacity' })
      .expect(200);
    expect(await flagsOf(app.applicationId, notice.body.position)).toEqual([]); // duty kept
    clock.set(new Date('2026-03-10T09:00:00.000Z'));
    expect(await flagsOf(app.applicationId, notice.body.position)).toEqual([]);
    clock.set(new Date('2026-03-23T09:00:00.000Z'));
    expect(await flagsOf(app.applicationId, notice.body.position)).toEqual([
      expect.objectContaining({ code: 'OVERDUE', dueDate: '2026-03-20' }),
    ]);
    const decided = await request(t.server)
      .post(`/applications/${app.applicationId}/decisions`)
      .send({ outcome: 'granted', channel: 'digital-post', checklist: completeChecklist })
      .expect(201);
    expect(await flagsOf(app.applicationId, decided.body.position)).toEqual([]);
  });

  it('exempt from Digital Post: the notice must leave earlier; a letter posted on the deadline day is too late', async () => {
    clock.set(new Date('2026-01-05T09:00:00.000Z'));
    const citizen = await registerPerson(t, '1950-12-24');
    await request(t.server)
      .put(`/persons/${citizen}/digital-post`)
      .send({ exempt: true })
      .expect(200);
    const app = await receive(citizen, '2026-01-05');
    clock.set(new Date('2026-02-20T09:00:00.000Z'));
    // Deadline Monday 2 March; 5 delivery days back: posted by Monday 23 February.
    expect(await flagsOf(app.applicationId, app.position)).toEqual([
      expect.objectContaining({ code: 'DEADLINE_APPROACHING', dueDate: '2026-02-23' }),
    ]);
    // Digital Post to a citizen exempt from it is refused; the letter goes on the deadline day.
    await request(t.server)
      .post(`/applications/${app.applicationId}/delay-notice`)
      .send({ channel: 'digital-post', expectedDecisionBy: '2026-04-01', reason: 'capacity' })
      .expect(422);
    clock.set(new Date('2026-03-02T09:00:00.000Z'));
    const late = await request(t.server)
      .post(`/applications/${app.applicationId}/delay-notice`)
      .send({ channel: 'letter', expectedDecisionBy: '2026-04-01', reason: 'capacity' })
      .expect(200);
    clock.set(new Date('2026-03-03T09:00:00.000Z'));
    expect(await flagsOf(app.applicationId, late.body.position)).toEqual([
      expect.objectContaining({ code: 'OVERDUE_WITHOUT_NOTICE', dueDate: '2026-03-02' }),
    ]);
  });

  it('bad input names the field; unknown ids are 404; a second decision is a 409', async () => {
    clock.set(new Date('2026-01-05T09:00:00.000Z'));
    const citizen = await registerPerson(t, '1990-01-01');
    const { caseId } = await openCase(t, citizen, 'CBU', 'child-support');
    const bad = await request(t.server)
      .post(`/cases/${caseId}/applications`)
      .send({ applicationDate: '2026-02-30x' })
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'applicationDate' })]);
    await request(t.server)
      .post('/cases/7d0b7d1e-0000-4000-8000-000000000000/applications')
      .send({ applicationDate: '2026-01-05' })
      .expect(404);
    const app = await receive(citizen, '2026-01-05');
    const checklistError = await request(t.server)
      .post(`/applications/${app.applicationId}/decisions`)
      .send({ outcome: 'granted', channel: 'digital-post', checklist: { reasonsGiven: 'yes' } })
      .expect(400);
    expect(checklistError.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'checklist.reasonsGiven' })]),
    );
    await request(t.server)
      .post(`/applications/${app.applicationId}/decisions`)
      .send({ outcome: 'granted', channel: 'digital-post', checklist: completeChecklist })
      .expect(201);
    const again = await request(t.server)
      .post(`/applications/${app.applicationId}/decisions`)
      .send({ outcome: 'granted', channel: 'digital-post', checklist: completeChecklist })
      .expect(409);
    expect(again.body.code).toBe('APPLICATION.ALREADY_DECIDED');
  });
});

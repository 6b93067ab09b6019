import request from 'supertest';
import { registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  dueDate: string;
  severity: string;
  kind: string;
  recordId: string;
}

describe('inquiries over HTTP: ACK_OVERDUE and ANSWER_OVERDUE appear when missed, clear when kept', () => {
  let t: TestApp;
  // Thursday 10 December 2026, 09:00 in Copenhagen.
  const clock = new ManualClock(new Date('2026-12-10T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const flagsOf = async (inquiryId: string, position: string) =>
    (
      (
        await request(t.server)
          .get(`/inquiries/${inquiryId}`)
          .query({ waitForPosition: position })
          .expect(200)
      ).body as { flags: Flag[] }
    ).flags;

  it('acknowledged late and answered late: each flag comes and goes', async () => {
    const citizen = await registerPerson(t, '1985-02-11');
    const recorded = await request(t.server)
      .post('/inquiries')
      .send({ personId: citizen, departmentId: 'CBU', channel: 'e-mail' })
      .expect(201);
    const inquiryId = recorded.body.inquiryId as string;
    expect(await flagsOf(inquiryId, recorded.body.position)).toEqual([]);

    // 48 hours later to the minute: still on time; a minute more and it is overdue.
    clock.set(new Date('2026-12-12T08:00:00.000Z'));
    expect(await flagsOf(inquiryId, recorded.body.position)).toEqual([]);
    clock.set(new Date('2026-12-12T08:01:00.000Z'));
    expect(await flagsOf(inquiryId, recorded.body.position)).toEqual([
      expect.objectContaining({ code: 'ACK_OVERDUE', dueDate: '2026-12-12', severity: 'overdue' }),
    ]);
    const listed = await request(t.server)
      .get('/casework/flags')
      .query({ departmentId: 'CBU', code: 'ACK_OVERDUE' })
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ kind: 'inquiry', recordId: inquiryId, personId: citizen }),
    ]);

    const acknowledged = await request(t.server)
      .post(`/inquiries/${inquiryId}/acknowledgement`)
      .send({ channel: 'digital-post', answerPromisedBy: '2026-12-18' })
      .expect(200);
    expect(await flagsOf(inquiryId, acknowledged.body.position)).toEqual([]);

    clock.set(new Date('2026-12-19T09:00:00.000Z'));
    expect(await flagsOf(inquiryId, acknowledged.body.position)).toEqual([
      expect.objectContaining({ code: 'ANSWER_OVERDUE', dueDate: '2026-12-18' }),
    ]);
    const answered = await request(t.server)
      .post(`/inquiries/${inquiryId}/answer`)
      .send({ channel: 'digital-post' })
      .expect(200);
    expect(await flagsOf(inquiryId, answered.body.position)).toEqual([]);
    const after = await request(t.server)
      .get('/casework/flags')
      .query({ personId: citizen, waitForPosition: answered.body.position })
      .expect(200);
    expect(after.body.items).toEqual([]);

    // The history still shows what was overdue on the 19th before the answer.
    const history = await request(t.server)
      .get(`/inquiries/${inquiryId}/history`)
      .query({ asOf: '2026-12-19T08:59:00.000Z' })
      .expect(200);
    expect(history.body.flags).toEqual([expect.objectContaining({ code: 'ANSWER_OVERDUE' })]);
  });

  it('refuses bad input with the field and the reason, and unknown ids with 404', async () => {
    const bad = await request(t.server)
      .post('/inquiries')
      .send({ personId: 'nope', departmentId: 'CBU', channel: 'pigeon' })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'personId' }),
        expect.objectContaining({ field: 'channel' }),
      ]),
    );
    await request(t.server)
      .post('/inquiries/7d0b7d1e-0000-4000-8000-000000000000/answer')
      .send({ channel: 'phone' })
      .expect(404);
    await request(t.server).get('/inquiries/not-an-id').expect(404);
  });
});

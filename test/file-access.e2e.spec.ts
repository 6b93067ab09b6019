import request from 'supertest';
import { openCase, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  dueDate: string;
  severity: string;
  eventIds: string[];
}

// Received Monday 30 March 2026. Maundy Thursday 2 April, Good Friday 3 April and Easter Monday
// 6 April are not working days: the 7th working day after receipt is Monday 13 April. Counting
// 7 calendar days would end on 6 April, 7 weekdays on 8 April.
const RECEIVED = new Date('2026-03-30T08:00:00.000Z');
const DEADLINE = '2026-04-13';
const at = (isoDate: string, hour = 9) =>
  new Date(`${isoDate}T${String(hour - 2).padStart(2, '0')}:00:00.000Z`); // CEST

describe('file access over HTTP: FILE_ACCESS_OVERDUE after 7 working days, Danish holidays skipped', () => {
  let t: TestApp;
  const clock = new ManualClock(RECEIVED);
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const flagsOf = async (requestId: string, position: string): Promise<Flag[]> =>
    (
      (
        await request(t.server)
          .get(`/file-access-requests/${requestId}`)
          .query({ waitForPosition: position })
          .expect(200)
      ).body as { flags: Flag[] }
    ).flags;

  const receive = async (personId: string, caseId?: string) => {
    clock.set(RECEIVED);
    const response = await request(t.server)
      .post('/file-access-requests')
      .send({ personId, departmentId: 'CBU', caseId, channel: 'e-mail' })
      .expect(201);
    return response.body as { requestId: string; position: string };
  };

  it('is not overdue when a naive count says so; overdue the day after the real deadline; the answer clears it', async () => {
    const citizen = await registerPerson(t, '1978-11-03');
    const { caseId } = await openCase(t, citizen, 'CBU');
    const { requestId, position } = await receive(citizen, caseId);
    expect(await flagsOf(requestId, position)).toEqual([]);

    clock.set(at('2026-04-07')); // the day after 7 calendar days
    expect(await flagsOf(requestId, position)).toEqual([]);
    clock.set(at('2026-04-09')); // the day after 7 weekdays
    expect(await flagsOf(requestId, position)).toEqual([]);
    clock.set(at(DEADLINE, 23)); // late on the deadline day itself
    expect(await flagsOf(requestId, position)).toEqual([]);
    clock.set(at('2026-04-14'));
    expect(await flagsOf(requestId, position)).toEqual([
      expect.objectContaining({
        code: 'FILE_ACCESS_OVERDUE',
        dueDate: DEADLINE,
        severity: 'overdue',
      }),
    ]);
    const listed = await request(t.server)
      .get('/casework/flags')
      .query({ kind: 'file-access', personId: citizen })
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kind: 'file-access',
        recordId: requestId,
        code: 'FILE_ACCESS_OVERDUE',
        caseId,
        departmentId: 'CBU',
      }),
    ]);

    const answered = await request(t.server)
      .post(`/file-access-requests/${requestId}/answer`)
      .send({ outcome: 'partly-granted', channel: 'digital-post' })
      .expect(200);
    expect(await flagsOf(requestId, answered.body.position)).toEqual([]);
    const after = await request(t.server)
      .get('/casework/flags')
      .query({ personId: citizen, waitForPosition: answered.body.position })
      .expect(200);
    expect(after.body.items).toEqual([]);

    const history = await request(t.server)
      .get(`/file-access-requests/${requestId}/history`)
      .query({ asOf: at('2026-04-14', 8).toISOString() })
      .expect(200);
    expect(history.body.flags).toEqual([
      expect.objectContaining({ code: 'FILE_ACCESS_OVERDUE', dueDate: DEADLINE }),
    ]);
  });

  it('a delay letter sent in time moves the due date to its expected date', async () => {
    const citizen = await registerPerson(t, '1991-07-19');
    const { requestId, position } = await receive(citizen);
    expect(await flagsOf(requestId, position)).toEqual([]);

    clock.set(at('2026-04-10'));
    // The promised date must lie after the deadline (the configured 7 working days).
    const tooEarly = await request(t.server)
      .post(`/file-access-requests/${requestId}/delay-letter`)
      .send({ channel: 'digital-post', reason: 'extensive-material', expectedBy: DEADLINE })
      .expect(422);
    expect(tooEarly.body).toEqual(
      expect.objectContaining({
        code: 'FILE_ACCESS.EXPECTED_BY_TOO_EARLY',
        details: expect.objectContaining({ mustBeAfter: DEADLINE }),
      }),
    );
    const letter = await request(t.server)
      .post(`/file-access-requests/${requestId}/delay-letter`)
      .send({ channel: 'digital-post', reason: 'third-party-hearing', expectedBy: '2026-04-24' })
      .expect(200);
    expect(await flagsOf(requestId, letter.body.position)).toEqual([]);

    clock.set(at('2026-04-14'));
    expect(await flagsOf(requestId, letter.body.position)).toEqual([]);
    clock.set(at('2026-04-24', 23));
    expect(await flagsOf(requestId, letter.body.position)).toEqual([]);
    clock.set(at('2026-04-25'));
    const overdue = await flagsOf(requestId, letter.body.position);
    expect(overdue).toEqual([
      expect.objectContaining({ code: 'FILE_ACCESS_OVERDUE', dueDate: '2026-04-24' }),
    ]);
    expect(overdue[0]?.eventIds).toHaveLength(2); // the receipt and the letter

    const answered = await request(t.server)
      .post(`/file-access-requests/${requestId}/answer`)
      .send({ outcome: 'granted', channel: 'digital-post' })
      .expect(200);
    expect(await flagsOf(requestId, answered.body.position)).toEqual([]);
    const again = await request(t.server)
      .post(`/file-access-requests/${requestId}/delay-letter`)
      .send({ channel: 'digital-post', reason: 'other', expectedBy: '2026-05-30' })
      .expect(409);
    expect(again.body.code).toBe('FILE_ACCESS.ALREADY_ANSWERED');
  });

  it('refuses bad input with the field, unknown persons and cases, unknown requests', async () => {
    clock.set(RECEIVED);
    const bad = await request(t.server)
      .post('/file-access-requests')
      .send({ personId: 'nope', departmentId: 'CBU', channel: 'pigeon' })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'personId' }),
        expect.objectContaining({ field: 'channel' }),
      ]),
    );
    const unknownPerson = await request(t.server)
      .post('/file-access-requests')
      .send({
        personId: '7d0b7d1e-0000-4000-8000-000000000000',
        departmentId: 'CBU',
        channel: 'letter',
      })
      .expect(422);
    expect(unknownPerson.body.code).toBe('PERSON.UNKNOWN');
    const citizen = await registerPerson(t, '1960-01-31');
    const unknownCase = await request(t.server)
      .post('/file-access-requests')
      .send({
        personId: citizen,
        departmentId: 'CBU',
        caseId: '7d0b7d1e-0000-4000-8000-000000000000',
        channel: 'letter',
      })
      .expect(404);
    expect(unknownCase.body.code).toBe('CASE.NOT_FOUND');
    const { requestId } = await receive(citizen);
    const badLetter = await request(t.server)
      .post(`/file-access-requests/${requestId}/delay-letter`)
      .send({ channel: 'digital-post', reason: 'because', expectedBy: '24-04-2026' })
      .expect(400);
    expect(badLetter.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'reason' }),
        expect.objectContaining({ field: 'expectedBy' }),
      ]),
    );
    await request(t.server)
      .post('/file-access-requests/7d0b7d1e-0000-4000-8000-000000000000/answer')
      .send({ outcome: 'granted', channel: 'phone' })
      .expect(404);
    await request(t.server).get('/file-access-requests/not-an-id').expect(404);
  });
});

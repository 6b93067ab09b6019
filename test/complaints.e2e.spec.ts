import request from 'supertest';
import { openCase, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  dueDate: string;
  severity: string;
  kind: string;
  recordId: string;
}

describe('complaints over HTTP: COMPLAINT_OVERDUE after the policy’s working days, cleared when resolved', () => {
  let t: TestApp;
  // Monday 14 December 2026, 09:00 in Copenhagen.
  const clock = new ManualClock(new Date('2026-12-14T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const flagsOf = async (complaintId: string, position: string): Promise<Flag[]> =>
    (
      (
        await request(t.server)
          .get(`/complaints/${complaintId}`)
          .query({ waitForPosition: position })
          .expect(200)
      ).body as { flags: Flag[] }
    ).flags;

  it('over Christmas and New Year: 20 working days skip 25, 26 December and 1 January', async () => {
    clock.set(new Date('2026-12-14T08:00:00.000Z'));
    const citizen = await registerPerson(t, '1982-06-30');
    const { caseId } = await openCase(t, citizen, 'CBU');
    const registered = await request(t.server)
      .post('/complaints')
      .send({
        departmentId: 'CBU',
        caseId,
        personId: citizen,
        about: 'casework',
        channel: 'digital-post',
      })
      .expect(201);
    const complaintId = registered.body.complaintId as string;
    const position = registered.body.position as string;
    expect(await flagsOf(complaintId, position)).toEqual([]);

    // 20 weekdays would end on Monday 11 January; with the holidays the last day is Wednesday 13.
    clock.set(new Date('2027-01-12T09:00:00.000Z'));
    expect(await flagsOf(complaintId, position)).toEqual([]);
    clock.set(new Date('2027-01-13T22:00:00.000Z')); // 23:00 on the 13th in Copenhagen
    expect(await flagsOf(complaintId, position)).toEqual([]);
    clock.set(new Date('2027-01-14T08:00:00.000Z'));
    expect(await flagsOf(complaintId, position)).toEqual([
      expect.objectContaining({
        code: 'COMPLAINT_OVERDUE',
        dueDate: '2027-01-13',
        severity: 'overdue',
      }),
    ]);
    const listed = await request(t.server)
      .get('/casework/flags')
      .query({ kind: 'complaint', caseId })
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kind: 'complaint',
        recordId: complaintId,
        code: 'COMPLAINT_OVERDUE',
        personId: citizen,
        departmentId: 'CBU',
      }),
    ]);

    const resolved = await request(t.server)
      .post(`/complaints/${complaintId}/resolution`)
      .send({ outcome: 'partly-upheld' })
      .expect(200);
    const record = await request(t.server)
      .get(`/complaints/${complaintId}`)
      .query({ waitForPosition: resolved.body.position })
      .expect(200);
    expect(record.body.flags).toEqual([]);
    expect(record.body.facts).toEqual(
      expect.objectContaining({ resolved: expect.objectContaining({ outcome: 'partly-upheld' }) }),
    );
    const after = await request(t.server)
      .get('/casework/flags')
      .query({ caseId, waitForPosition: resolved.body.position })
      .expect(200);
    expect(after.body.items).toEqual([]);

    // The history still shows the flag on the morning of the 14th, before the resolution.
    const history = await request(t.server)
      .get(`/complaints/${complaintId}/history`)
      .query({ asOf: '2027-01-14T07:00:00.000Z' })
      .expect(200);
    expect(history.body.flags).toEqual([
      expect.objectContaining({ code: 'COMPLAINT_OVERDUE', dueDate: '2027-01-13' }),
    ]);
  });

  it('an anonymous complaint received before Easter, recorded later: due 30 April, overdue on 1 May', async () => {
    clock.set(new Date('2026-04-20T08:00:00.000Z'));
    const registered = await request(t.server)
      .post('/complaints')
      .send({
        departmentId: 'CHP',
        about: 'service',
        channel: 'letter',
        at: '2026-03-30T08:00:00.000Z',
      })
      .expect(201);
    const complaintId = registered.body.complaintId as string;
    const position = registered.body.position as string;
    clock.set(new Date('2026-04-30T15:00:00.000Z'));
    expect(await flagsOf(complaintId, position)).toEqual([]);
    clock.set(new Date('2026-05-01T07:00:00.000Z'));
    expect(await flagsOf(complaintId, position)).toEqual([
      expect.objectContaining({ code: 'COMPLAINT_OVERDUE', dueDate: '2026-04-30' }),
    ]);
    const record = await request(t.server).get(`/complaints/${complaintId}`).expect(200);
    expect(record.body).toEqual(expect.objectContaining({ personId: null, caseId: null }));

    const resolved = await request(t.server)
      .post(`/complaints/${complaintId}/resolution`)
      .send({ outcome: 'withdrawn', at: '2026-04-29T10:00:00.000Z' })
      .expect(200);
    expect(await flagsOf(complaintId, resolved.body.position)).toEqual([]);
    const again = await request(t.server)
      .post(`/complaints/${complaintId}/resolution`)
      .send({ outcome: 'rejected' })
      .expect(409);
    expect(again.body.code).toBe('COMPLAINT.ALREADY_RESOLVED');
  });

  it('refuses bad input with the field, unknown departments, persons and cases', async () => {
    clock.set(new Date('2026-05-04T08:00:00.000Z'));
    const bad = await request(t.server)
      .post('/complaints')
      .send({ departmentId: 'CBU', about: 'weather', channel: 'pigeon', personId: 'nope' })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'about' }),
        expect.objectContaining({ field: 'channel' }),
        expect.objectContaining({ field: 'personId' }),
      ]),
    );
    const unknownDepartment = await request(t.server)
      .post('/complaints')
      .send({ departmentId: 'NOWHERE', about: 'staff', channel: 'phone' })
      .expect(422);
    expect(unknownDepartment.body.code).toBe('DEPARTMENT.UNKNOWN');
    const unknownPerson = await request(t.server)
      .post('/complaints')
      .send({
        departmentId: 'CBU',
        personId: '7d0b7d1e-0000-4000-8000-000000000000',
        about: 'staff',
        channel: 'phone',
      })
      .expect(422);
    expect(unknownPerson.body.code).toBe('PERSON.UNKNOWN');
    const unknownCase = await request(t.server)
      .post('/complaints')
      .send({
        departmentId: 'CBU',
        caseId: '7d0b7d1e-0000-4000-8000-000000000000',
        about: 'staff',
        channel: 'phone',
      })
      .expect(404);
    expect(unknownCase.body.code).toBe('CASE.NOT_FOUND');
    const future = await request(t.server)
      .post('/complaints')
      .send({ departmentId: 'CBU', about: 'staff', channel: 'phone', at: '2026-05-05T08:00:00Z' })
      .expect(422);
    expect(future.body.code).toBe('COMPLAINT.IN_THE_FUTURE');
    await request(t.server)
      .post('/complaints/7d0b7d1e-0000-4000-8000-000000000000/resolution')
      .send({ outcome: 'upheld' })
      .expect(404);
    await request(t.server).get('/complaints/not-an-id').expect(404);
    await request(t.server).get('/complaints/7d0b7d1e-0000-4000-8000-000000000000').expect(404);
  });
});

import request from 'supertest';
import { isoDateMessage } from '../apps/api/src/http/fields';
import { openCase, registerCaseworker, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  dueDate: string;
  rule: string;
  severity: string;
}
interface YoungPerson {
  personId: string;
  flags: Flag[];
  sixteenthBirthday: string;
  eighteenthBirthday: string;
  primaryContact: { caseworkerId: string } | null;
}

describe('transitions to adult life over HTTP', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-05-01T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const runScheduler = async () =>
    (await request(t.server).post('/transitions/scheduler/run').expect(200)).body as {
      recorded: number;
    };
  const youngPerson = async (personId: string, position?: string) =>
    (
      await request(t.server)
        .get(`/transitions/${personId}`)
        .query(position ? { waitForPosition: position } : {})
        .expect(200)
    ).body as YoungPerson;

  it('a disabled child turns 16 → NOT_STARTED; preparation, adult caseworker and a decision effective at 18 → no flags', async () => {
    const child = await registerPerson(t, '2010-06-15', 'Disabled child');
    const { position } = await openCase(t, child, 'CHP', 'disability-support');
    const familyId = (await request(t.server).post('/families').expect(201)).body
      .familyId as string;
    await request(t.server)
      .post(`/families/${familyId}/members`)
      .send({ personId: child, role: 'young-person' })
      .expect(201);
    const contact = await registerCaseworker(t, 'CBU', 'Family contact');
    const assigned = await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: contact })
      .expect(200);

    // Before the birthday: listed as coming up in June, nothing due yet.
    const upcoming = await request(t.server)
      .get('/transitions')
      .query({ turning: 16, fromMonth: '2026-06', toMonth: '2026-06', waitForPosition: position })
      .expect(200);
    expect(upcoming.body.items).toEqual([
      expect.objectContaining({ personId: child, sixteenthBirthday: '2026-06-15', flags: [] }),
    ]);
    expect((await runScheduler()).recorded).toBe(0);

    // The birthday passes; the scheduler records it once, however often it runs.
    clock.set(new Date('2026-06-16T06:00:00.000Z'));
    expect((await runScheduler()).recorded).toBe(1);
    expect((await runScheduler()).recorded).toBe(0);
    expect((await youngPerson(child)).flags).toEqual([]); // within the grace period

    clock.set(new Date('2026-07-20T08:00:00.000Z'));
    const stuck = await request(t.server)
      .get('/transitions')
      .query({ flag: 'NOT_STARTED', waitForPosition: assigned.body.position })
      .expect(200);
    const listed = (stuck.body.items as YoungPerson[]).find((item) => item.personId === child);
    expect(listed?.flags).toEqual([
      expect.objectContaining({
        code: 'NOT_STARTED',
        dueDate: '2026-07-15',
        rule: 'Barnets Lov §§ 122–123',
      }),
    ]);
    expect(listed?.primaryContact).toMatchObject({ caseworkerId: contact });

    const adult = await registerCaseworker(t, 'CHP', 'Adult side');
    await request(t.server)
      .post(`/transitions/${child}/preparation`)
      .send({ caseworkerId: contact, inDialogueWith: ['young-person', 'parents'] })
      .expect(200);
    await request(t.server)
      .put(`/transitions/${child}/adult-caseworker`)
      .send({ caseworkerId: adult, departmentId: 'CHP' })
      .expect(200);
    const decided = await request(t.server)
      .post(`/transitions/${child}/adult-decision`)
      .send({ effectiveFrom: '2028-06-15' })
      .expect(200);
    const done = await youngPerson(child, decided.body.position);
    expect(done.flags).toEqual([]);

    // The history shows the stuck state of a month ago.
    const then = await request(t.server)
      .get(`/transitions/${child}/history`)
      .query({ asOf: '2026-07-19T12:00:00.000Z' })
      .expect(200);
    expect(then.body.flags.map((f: Flag) => f.code)).toEqual(['NOT_STARTED']);
  });

  it('a youth with no adult decision two months before 18 → DECISION_NOT_READY_AT_18', async () => {
    clock.set(new Date('2026-07-20T08:00:00.000Z'));
    const youth = await registerPerson(t, '2008-09-30', 'Youth');
    const { position } = await openCase(t, youth, 'CHP', 'disability-support');
    const worker = await registerCaseworker(t, 'CHP', 'Worker');
    await request(t.server).get('/transitions').query({ waitForPosition: position }).expect(200);
    await runScheduler();
    await request(t.server)
      .post(`/transitions/${youth}/preparation`)
      .send({ caseworkerId: worker, inDialogueWith: ['young-person'] })
      .expect(200);
    const assigned = await request(t.server)
      .put(`/transitions/${youth}/adult-caseworker`)
      .send({ caseworkerId: worker, departmentId: 'CHP' })
      .expect(200);
    const view = await youngPerson(youth, assigned.body.position);
    expect(view.eighteenthBirthday).toBe('2026-09-30');
    expect(view.flags).toEqual([
      expect.objectContaining({
        code: 'DECISION_NOT_READY_AT_18',
        dueDate: '2026-09-30',
        severity: 'warning',
      }),
    ]);
    const byFlag = await request(t.server)
      .get('/transitions')
      .query({ flag: 'DECISION_NOT_READY_AT_18', departmentId: 'CHP' })
      .expect(200);
    expect((byFlag.body.items as YoungPerson[]).map((item) => item.personId)).toContain(youth);
  });

  it('refuses bad input with the field and the reason', async () => {
    const person = await registerPerson(t, '2011-01-01');
    const bad = await request(t.server)
      .post(`/transitions/${person}/adult-decision`)
      .send({ effectiveFrom: '2028-13-01' })
      .expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'effectiveFrom', reason: isoDateMessage('effectiveFrom') },
    ]);
    const month = await request(t.server)
      .get('/transitions')
      .query({ fromMonth: '2026-6' })
      .expect(400);
    expect(month.body.errors[0].field).toBe('fromMonth');
    await request(t.server).get('/transitions/3f1e4a7c-8b2d-4c6e-9f0a-1b2c3d4e5f60').expect(404);
  });
});

import request from 'supertest';
import { openCase, registerCaseworker, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  familyId: string;
  subjectId: string;
  since: string;
  eventIds: string[];
  departmentIds: string[];
}

describe('coordination over HTTP: one primary contact per family', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-03-02T08:00:00.000Z')); // a Monday
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  async function newFamily(): Promise<string> {
    const response = await request(t.server).post('/families').expect(201);
    return response.body.familyId as string;
  }

  async function addMember(familyId: string, personId: string, role = 'child'): Promise<string> {
    const response = await request(t.server)
      .post(`/families/${familyId}/members`)
      .send({ personId, role })
      .expect(201);
    return response.body.position as string;
  }

  async function family(familyId: string, position?: string) {
    const response = await request(t.server)
      .get(`/families/${familyId}`)
      .query(position ? { waitForPosition: position } : {})
      .expect(200);
    return response.body as {
      flags: Flag[];
      primaryContact: { caseworkerId: string } | null;
      openCasesByDepartment: Record<string, unknown[]>;
    };
  }

  it('two children in two departments → MISSING_PRIMARY_CONTACT; assigning clears it; a handover shows the new holder, history the old', async () => {
    const familyId = await newFamily();
    const parent = await registerPerson(t, '1985-04-02', 'Parent');
    const older = await registerPerson(t, '2011-09-14', 'Older child');
    const younger = await registerPerson(t, '2015-01-30', 'Younger child');
    await addMember(familyId, parent, 'parent');
    await addMember(familyId, older);
    await addMember(familyId, younger);
    const first = await openCase(t, older, 'CBU', 'child-support');
    clock.advance(60_000);
    const second = await openCase(t, younger, 'CHP', 'disability-support');

    const flagged = await family(familyId, second.position);
    expect(Object.keys(flagged.openCasesByDepartment).sort()).toEqual(['CBU', 'CHP']);
    expect(flagged.flags).toHaveLength(1);
    expect(flagged.flags[0]).toMatchObject({
      code: 'MISSING_PRIMARY_CONTACT',
      familyId,
      departmentIds: ['CBU', 'CHP'],
    });
    expect(flagged.flags[0]?.eventIds).toHaveLength(2);

    const list = await request(t.server)
      .get('/coordination/flags')
      .query({ code: 'MISSING_PRIMARY_CONTACT', departmentId: 'CHP' })
      .expect(200);
    expect(list.body.items.map((f: Flag) => f.familyId)).toContain(familyId);
    const otherDepartment = await request(t.server)
      .get('/coordination/flags')
      .query({ departmentId: 'JOBCENTER' })
      .expect(200);
    expect(otherDepartment.body.items.map((f: Flag) => f.familyId)).not.toContain(familyId);

    const anna = await registerCaseworker(t, 'CBU', 'Anna');
    const bo = await registerCaseworker(t, 'CHP', 'Bo');
    clock.advance(3_600_000);
    const assigned = await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: anna })
      .expect(200);
    const covered = await family(familyId, assigned.body.position);
    expect(covered.flags).toEqual([]);
    expect(covered.primaryContact).toMatchObject({ caseworkerId: anna });
    const beforeHandover = clock.now();

    clock.advance(86_400_000);
    const handedOver = await request(t.server)
      .post(`/families/${familyId}/primary-contact/handover`)
      .send({ toCaseworkerId: bo, reason: 'Anna moves to another team' })
      .expect(200);
    expect((await family(familyId, handedOver.body.position)).primaryContact).toMatchObject({
      caseworkerId: bo,
    });

    const then = await request(t.server)
      .get(`/families/${familyId}/history`)
      .query({ asOf: beforeHandover.toISOString() })
      .expect(200);
    expect(then.body.primaryContact).toMatchObject({ caseworkerId: anna });
    expect(then.body.flags).toEqual([]);
    const beforeAssignment = await request(t.server)
      .get(`/families/${familyId}/history`)
      .query({ asOf: new Date(beforeHandover.getTime() - 1_800_000).toISOString() })
      .expect(200);
    expect(beforeAssignment.body.primaryContact).toBeNull();
    expect(beforeAssignment.body.flags.map((f: Flag) => f.code)).toEqual([
      'MISSING_PRIMARY_CONTACT',
    ]);
    expect(first.caseId).not.toEqual(second.caseId);
  });

  it('of 20 concurrent assignments exactly one wins; the others get 409 naming the holder', async () => {
    const familyId = await newFamily();
    const caseworkers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => registerCaseworker(t, 'CHP', `Caseworker ${i}`)),
    );
    const responses = await Promise.all(
      caseworkers.map((caseworkerId) =>
        request(t.server).put(`/families/${familyId}/primary-contact`).send({ caseworkerId }),
      ),
    );
    const won = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status === 409);
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(19);
    const winner = caseworkers[responses.indexOf(won[0]!)];
    for (const r of refused) {
      expect(r.body).toMatchObject({
        code: 'FAMILY.PRIMARY_CONTACT_TAKEN',
        details: { primaryContact: winner },
      });
    }
    const view = await family(familyId, won[0]!.body.position);
    expect(view.primaryContact).toMatchObject({ caseworkerId: winner });
    const holders = await t.app
      .get(await import('typeorm').then((m) => m.DataSource))
      .query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM coordination_families WHERE family_id = $1 AND primary_contact_id IS NOT NULL',
        [familyId],
      );
    expect(holders[0]?.n).toBe(1);
  });

  it('a deactivated primary contact raises PRIMARY_CONTACT_INACTIVE', async () => {
    const familyId = await newFamily();
    const cw = await registerCaseworker(t, 'CHP', 'Leaving');
    await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: cw })
      .expect(200);
    const off = await request(t.server)
      .post(`/caseworkers/${cw}/deactivate`)
      .send({ reason: 'left the municipality' })
      .expect(200);
    expect((await family(familyId, off.body.position)).flags.map((f) => f.code)).toEqual([
      'PRIMARY_CONTACT_INACTIVE',
    ]);
    const refused = await request(t.server)
      .put(`/families/${await newFamily()}/primary-contact`)
      .send({ caseworkerId: cw })
      .expect(409);
    expect(refused.body.code).toBe('CASEWORKER.INACTIVE');
  });

  it('a caseworker change not told within 5 working days raises CASEWORKER_CHANGE_NOT_TOLD; telling clears it', async () => {
    clock.set(new Date('2026-03-27T10:00:00.000Z')); // Friday before Easter week
    const familyId = await newFamily();
    const child = await registerPerson(t, '2014-06-01');
    await addMember(familyId, child);
    const { caseId } = await openCase(t, child, 'CBU');
    const a = await registerCaseworker(t, 'CBU', 'A');
    const b = await registerCaseworker(t, 'CBU', 'B');
    await request(t.server)
      .post(`/cases/${caseId}/caseworker`)
      .send({ caseworkerId: a })
      .expect(200);
    const changed = await request(t.server)
      .post(`/cases/${caseId}/caseworker/change`)
      .send({ toCaseworkerId: b, reason: 'leave' })
      .expect(200);
    await family(familyId, changed.body.position);
    // 5 working days after Fri 27 Mar 2026: Mon 30, Tue 31, Wed 1 Apr, (Thu 2 and Fri 3 Apr are
    // Maundy Thursday and Good Friday, Mon 6 Apr Easter Monday) Tue 7, Wed 8 → due end of Wed 8 Apr.
    clock.set(new Date('2026-04-08T12:00:00.000Z'));
    expect((await family(familyId)).flags).toEqual([]);
    clock.set(new Date('2026-04-09T06:00:00.000Z'));
    const late = (await family(familyId)).flags;
    expect(late).toMatchObject([{ code: 'CASEWORKER_CHANGE_NOT_TOLD', subjectId: caseId }]);
    const told = await request(t.server)
      .post(`/cases/${caseId}/caseworker/told`)
      .send({ channel: 'phone' })
      .expect(200);
    expect((await family(familyId, told.body.position)).flags).toEqual([]);
  });

  it('caseload counts open cases and families held per caseworker', async () => {
    const cw = await registerCaseworker(t, 'UU', 'Counted');
    const child = await registerPerson(t, '2013-02-02');
    const c1 = await openCase(t, child, 'UU');
    const c2 = await openCase(t, child, 'UU');
    await request(t.server)
      .post(`/cases/${c1.caseId}/caseworker`)
      .send({ caseworkerId: cw })
      .expect(200);
    await request(t.server)
      .post(`/cases/${c2.caseId}/caseworker`)
      .send({ caseworkerId: cw })
      .expect(200);
    const familyId = await newFamily();
    const held = await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: cw })
      .expect(200);
    const load = await request(t.server)
      .get('/coordination/caseload')
      .query({ departmentId: 'UU', waitForPosition: held.body.position })
      .expect(200);
    const mine = load.body.find((row: { caseworkerId: string }) => row.caseworkerId === cw);
    expect(mine).toMatchObject({
      name: 'Counted',
      openCases: 2,
      primaryContactFamilies: 1,
      active: true,
    });
  });

  it('a bad CPR number gets a 400 naming the field and the problem, never the number', async () => {
    const response = await request(t.server)
      .post('/persons')
      .send({ cpr: '310299-4123', name: 'X' })
      .expect(400);
    expect(response.body.errors).toEqual([
      { field: 'cpr', reason: expect.stringMatching(/^DATE: /) },
    ]);
    expect(JSON.stringify(response.body)).not.toContain('310299');
    const format = await request(t.server)
      .post('/persons')
      .send({ cpr: '12345', name: 'X' })
      .expect(400);
    expect(format.body.errors[0].reason).toMatch(/^FORMAT: /);
  });
});

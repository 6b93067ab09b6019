import request from 'supertest';
import { Client } from 'pg';
import { openCase, registerCaseworker, registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('access log: every read of a person’s or family’s data, append-only', () => {
  let t: TestApp;
  let familyId: string;
  let child: string;
  let chpCase: string;
  let chpOpened: string;
  let anna: string;
  let auditorToken: string;
  let annaToken: string;
  let danToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    anna = await registerCaseworker(t, 'CBU', 'Anna');
    const bo = await registerCaseworker(t, 'CHP', 'Bo');
    child = await registerPerson(t, '2015-04-02');
    const older = await registerPerson(t, '2013-01-09');
    await openCase(t, older, 'CBU');
    ({ caseId: chpCase, position: chpOpened } = await openCase(t, child, 'CHP'));
    await request(t.server)
      .post(`/cases/${chpCase}/caseworker`)
      .send({ caseworkerId: bo })
      .expect(200);
    familyId = (await request(t.server).post('/families').expect(201)).body.familyId;
    for (const [personId, role] of [
      [older, 'child'],
      [child, 'child'],
    ]) {
      await request(t.server)
        .post(`/families/${familyId}/members`)
        .send({ personId, role })
        .expect(201);
    }
    const assigned = await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: anna })
      .expect(200);
    await request(t.server)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: assigned.body.position })
      .expect(200);
    auditorToken = await t.tokenFor({ sub: 'auditor-1', roles: ['auditor'] });
    annaToken = await t.tokenFor({
      sub: 'anna',
      roles: ['caseworker'],
      department: 'CBU',
      caseworker_id: anna,
    });
    danToken = await t.tokenFor({ sub: 'dan', roles: ['caseworker'], department: 'JOBCENTER' });
  });
  afterAll(async () => {
    await t.close();
  });

  const entriesBy = async (actor: string) =>
    (
      await request(t.rawServer)
        .get('/access-log')
        .query({ actor })
        .set('Authorization', `Bearer ${auditorToken}`)
        .expect(200)
    ).body as {
      action: string;
      outcome: string;
      purpose: string | null;
      familyIds: string[];
      personIds: string[];
      basis: string;
    }[];

  it('writes exactly one entry for a family read, naming the family and its members', async () => {
    await request(t.rawServer)
      .get(`/families/${familyId}`)
      .set('Authorization', `Bearer ${annaToken}`)
      .expect(200);
    const entries = await entriesBy('anna');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'GET /families/{familyId}',
      outcome: 'granted',
      purpose: null, // her own family as primary contact: no purpose needed
      familyIds: [familyId],
    });
    expect(entries[0]!.personIds).toContain(child);
  });

  it('writes one entry for a refused read too, and one for a read of nothing', async () => {
    const refused = await request(t.rawServer)
      .get(`/cases/${chpCase}`)
      .set('Authorization', `Bearer ${danToken}`)
      .set('X-Purpose', 'Curious')
      .expect(403);
    expect(refused.body.code).toBe('ACCESS.OUT_OF_SCOPE');
    expect(JSON.stringify(refused.body)).not.toContain(chpCase);
    await request(t.rawServer)
      .get('/cases/7d0b7d1e-0000-4000-8000-00000000abcd')
      .set('Authorization', `Bearer ${danToken}`)
      .expect(404);
    const entries = await entriesBy('dan');
    expect(entries.map((entry) => [entry.action, entry.outcome])).toEqual([
      ['GET /cases/{caseId}', 'not-found'],
      ['GET /cases/{caseId}', 'denied'],
    ]);
    expect(entries[1]).toMatchObject({ personIds: [child], purpose: 'Curious' });
  });

  it('refuses a read outside one’s own cases without a purpose, logs it, and accepts it with one', async () => {
    const cleo = await registerCaseworker(t, 'CHP', 'Cleo');
    const token = await t.tokenFor({
      sub: 'cleo',
      roles: ['caseworker'],
      department: 'CHP',
      caseworker_id: cleo,
    });
    const missing = await request(t.rawServer)
      .get(`/cases/${chpCase}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'X-Purpose' })]);
    const cpr = await request(t.rawServer)
      .get(`/cases/${chpCase}`)
      .set('Authorization', `Bearer ${token}`)
      .set('X-Purpose', 'Check 010203-1234')
      .expect(400);
    expect(JSON.stringify(cpr.body)).not.toContain('1234');
    await request(t.rawServer)
      .get(`/cases/${chpCase}`)
      // The case list follows the log on its own: the family read's wait does not cover it.
      .query({ waitForPosition: chpOpened })
      .set('Authorization', `Bearer ${token}`)
      .set('X-Purpose', 'Covering for Bo during leave')
      .expect(200);
    const entries = await entriesBy('cleo');
    expect(entries.map((entry) => [entry.outcome, entry.purpose])).toEqual([
      ['granted', 'Covering for Bo during leave'],
      ['refused', null],
      ['refused', null],
    ]);
  });

  it('answers a family read outside one’s own families without a purpose with 400 and no family data', async () => {
    const refused = await request(t.rawServer)
      .get(`/families/${familyId}`)
      .set('Authorization', `Bearer ${danToken}`)
      .expect(400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'X-Purpose' })]);
    expect(JSON.stringify(refused.body)).not.toContain(child);
    await request(t.rawServer)
      .get(`/families/${familyId}`)
      .set('Authorization', `Bearer ${danToken}`)
      .set('X-Purpose', 'Job centre meeting with the parent')
      .expect(200);
    const reads = (await entriesBy('dan')).filter(
      (entry) => entry.action === 'GET /families/{familyId}',
    );
    expect(reads.map((entry) => [entry.outcome, entry.purpose])).toEqual([
      ['granted', 'Job centre meeting with the parent'],
      ['refused', null],
    ]);
  });

  it('answers a citizen’s “who has looked at my data” as a report, and logs that read too', async () => {
    const report = await request(t.rawServer)
      .get(`/access-log/persons/${child}/report`)
      .set('Authorization', `Bearer ${auditorToken}`)
      .set('X-Purpose', 'Citizen request 2026-17')
      .expect(200);
    const reads = report.body.reads as { who: string; what: string }[];
    expect(reads.map((read) => read.who)).toEqual(expect.arrayContaining(['anna', 'cleo']));
    // Dan's refused reads are not looks at the data; his family read with a purpose is.
    expect(reads.filter((read) => read.who === 'dan').map((read) => read.what)).toEqual([
      'GET /families/{familyId}',
    ]);
    const text = await request(t.rawServer)
      .get(`/access-log/persons/${child}/report`)
      .query({ format: 'text' })
      .set('Authorization', `Bearer ${auditorToken}`)
      .set('X-Purpose', 'Citizen request 2026-17')
      .expect(200);
    expect(text.text).toContain('Covering for Bo during leave');
    expect((await entriesBy('auditor-1')).map((entry) => entry.action)).toEqual([
      'GET /access-log/persons/{personId}/report',
      'GET /access-log/persons/{personId}/report',
    ]);
  });

  it('refuses bad consent input naming the field, and a withdrawal of what was never given', async () => {
    const empty = await request(t.server)
      .post(`/families/${familyId}/consents`)
      .send({ departmentIds: [], basis: 'consent' })
      .expect(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'departmentIds' })]);
    const noReference = await request(t.server)
      .post(`/families/${familyId}/consents`)
      .send({ departmentIds: ['CHP'], basis: 'legal-basis' })
      .expect(422);
    expect(noReference.body).toMatchObject({ code: 'FAMILY.CONSENT_REFERENCE_REQUIRED' });
    expect(noReference.body.errors).toEqual([expect.objectContaining({ field: 'reference' })]);
    const never = await request(t.server)
      .post(`/families/${familyId}/consents/withdrawal`)
      .send({ departmentIds: ['JOBCENTER'] })
      .expect(409);
    expect(never.body).toMatchObject({ code: 'FAMILY.NO_CONSENT' });
  });

  it('cannot be changed or emptied, even by the database owner', async () => {
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await expect(client.query('UPDATE access_log SET purpose = NULL')).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query('DELETE FROM access_log')).rejects.toThrow(/append-only/);
      await expect(client.query('TRUNCATE access_log')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});

// Issue 14, part 7: a family read names the family and no invented case, so an auditor who
// filters the access log by a case finds the reads of that case and nothing else.
import request from 'supertest';
import { openCase, registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('access log: filtering by case finds only reads of that case', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a family read carries the family and no case; the case filter finds only the case read', async () => {
    const older = await registerPerson(t, '2013-01-09');
    const younger = await registerPerson(t, '2015-04-02');
    const { caseId: olderCase } = await openCase(t, older, 'CBU');
    const { caseId: youngerCase, position: youngerOpened } = await openCase(t, younger, 'CHP');
    const familyId = (await request(t.server).post('/families').expect(201)).body
      .familyId as string;
    let position = '';
    for (const personId of [older, younger]) {
      position = (
        await request(t.server)
          .post(`/families/${familyId}/members`)
          .send({ personId, role: 'child' })
          .expect(201)
      ).body.position as string;
    }
    const auditor = `Bearer ${await t.tokenFor({ sub: 'auditor-14', roles: ['auditor'] })}`;
    const reader = `Bearer ${await t.tokenFor({ sub: 'reader-14', roles: ['system'] })}`;
    await request(t.rawServer)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: position })
      .set('Authorization', reader)
      .set('X-Purpose', 'Opfølgning')
      .expect(200);
    await request(t.rawServer)
      .get(`/cases/${youngerCase}`)
      // The case list follows the log on its own: the family read's wait does not cover it.
      .query({ waitForPosition: youngerOpened })
      .set('Authorization', reader)
      .set('X-Purpose', 'Opfølgning')
      .expect(200);

    const entries = async (query: Record<string, string>) =>
      (
        await request(t.rawServer)
          .get('/access-log')
          .query({ actor: 'reader-14', ...query })
          .set('Authorization', auditor)
          .expect(200)
      ).body as { action: string; caseId: string | null; familyIds: string[] }[];

    const all = await entries({});
    const familyRead = all.find((entry) => entry.action === 'GET /families/{familyId}');
    expect(familyRead).toMatchObject({ caseId: null, familyIds: [familyId] });
    for (const caseId of [olderCase, youngerCase]) {
      const ofCase = await entries({ caseId });
      expect(ofCase.every((entry) => entry.caseId === caseId)).toBe(true);
      expect(ofCase.map((entry) => entry.action)).toEqual(
        caseId === youngerCase ? ['GET /cases/{caseId}'] : [],
      );
    }
    // Reads of the family and of its members' cases both concern the family.
    expect((await entries({ familyId })).map((entry) => entry.action).sort()).toEqual([
      'GET /cases/{caseId}',
      'GET /families/{familyId}',
    ]);
  });
});

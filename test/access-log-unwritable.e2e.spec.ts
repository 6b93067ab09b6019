// No data leaves unlogged: while the access log refuses every insert, each kind of scoped read
// answers 500 with nothing of the resource in it, and the same reads answer once it accepts them.
import request from 'supertest';
import { Client } from 'pg';
import { openCase, registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

describe('access log: a read whose entry cannot be written sends no data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 500 without the data for a family, a case and a person, and 200 once the log works', async () => {
    const personId = await registerPerson(t, '2014-06-11');
    const { caseId, position: caseOpened } = await openCase(t, personId, 'CBU');
    const familyId = (await request(t.server).post('/families').expect(201)).body
      .familyId as string;
    const position = (
      await request(t.server)
        .post(`/families/${familyId}/members`)
        .send({ personId, role: 'child' })
        .expect(201)
    ).body.position as string;
    const reads = [
      `/families/${familyId}?waitForPosition=${encodeURIComponent(position)}`,
      // The case list follows the log on its own: a read right after the write may come first.
      `/cases/${caseId}?waitForPosition=${encodeURIComponent(caseOpened)}`,
      `/persons/${personId}`,
    ];
    for (const path of reads) await request(t.server).get(path).expect(200);

    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query(`CREATE FUNCTION refuse_access_log() RETURNS trigger LANGUAGE plpgsql AS
                        $$ BEGIN RAISE EXCEPTION 'the test refuses this entry'; END $$`);
      await db.query(`CREATE TRIGGER refuse_access_log BEFORE INSERT ON access_log
                        FOR EACH ROW EXECUTE FUNCTION refuse_access_log()`);
      for (const path of reads) {
        const answer = await request(t.server).get(path);
        expect([path, answer.status]).toEqual([path, 500]);
        for (const id of [familyId, caseId, personId]) expect(answer.text).not.toContain(id);
      }
    } finally {
      await db.query('DROP TRIGGER IF EXISTS refuse_access_log ON access_log');
      await db.end();
    }
    for (const path of reads) await request(t.server).get(path).expect(200);
  });
});

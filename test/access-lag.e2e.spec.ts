import request from 'supertest';
import { DataSource, type QueryRunner } from 'typeorm';
import { registerCaseworker, registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/*
 * Scoping decides from the coordination read model, which a projector keeps a moment behind the
 * log, and not always at the pace of the read model a route answers from. A case just opened in
 * one department is there in the case list before the coordination model has it: the access
 * check must not take "not there yet" for "no such case" and let another department read it,
 * and a read or change that names its write (`waitForPosition`) must be judged on facts that
 * have seen that write.
 *
 * Holding an EXCLUSIVE lock on coordination_cases stalls the family-coordination projector's
 * writes (reads go on), so the lag is made, not hoped for.
 */
describe('scoping while the coordination read model lags', () => {
  let t: TestApp;
  let child: string;
  let anna: string; // a caseworker in CBU
  let annasToken: string;

  beforeAll(async () => {
    t = await startTestApp({ config: { readWaitMaxMs: 10_000 } });
    child = await registerPerson(t, '2014-06-01');
    anna = await registerCaseworker(t, 'CBU', 'Anna');
    annasToken = await t.tokenFor({
      sub: 'lag-anna',
      roles: ['caseworker'],
      department: 'CBU',
      caseworker_id: anna,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Opens a CHP case for the child while coordination_cases is locked; returns it and the lock. */
  async function caseOpenedWhileCoordinationStalls(): Promise<{
    caseId: string;
    position: string;
    lock: QueryRunner;
  }> {
    const lock = t.app.get(DataSource).createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query('LOCK TABLE coordination_cases IN EXCLUSIVE MODE');
    const opened = await request(t.server)
      .post('/cases')
      .send({ personId: child, departmentId: 'CHP', caseType: 'support' })
      .expect(201);
    const { caseId, position } = opened.body as { caseId: string; position: string };
    // The case list has it (the system actor is not scoped, so this reads it back).
    await request(t.server)
      .get(`/cases/${caseId}`)
      .query({ waitForPosition: position })
      .expect(200);
    return { caseId, position, lock };
  }

  const release = async (lock: QueryRunner, after: number) => {
    await new Promise((resolve) => setTimeout(resolve, after));
    await lock.commitTransaction();
    await lock.release();
  };

  it("does not show another department's new case while the coordination model has not seen it", async () => {
    const { caseId, lock } = await caseOpenedWhileCoordinationStalls();
    const read = request(t.server)
      .get(`/cases/${caseId}`)
      .set('Authorization', `Bearer ${annasToken}`)
      .then((response) => response);
    const [answer] = await Promise.all([read, release(lock, 300)]);
    expect(answer.status).toBe(403);
    expect(answer.body).not.toHaveProperty('caseId');
  });

  it('judges a read that names its write on facts that have seen it', async () => {
    const { caseId, position, lock } = await caseOpenedWhileCoordinationStalls();
    const read = request(t.server)
      .get(`/cases/${caseId}`)
      .query({ waitForPosition: position })
      .set('Authorization', `Bearer ${annasToken}`)
      .then((response) => response);
    const [answer] = await Promise.all([read, release(lock, 300)]);
    expect(answer.status).toBe(403);
  });

  it('does not let another department change a new case while the coordination model has not seen it', async () => {
    const { caseId, lock } = await caseOpenedWhileCoordinationStalls();
    const change = request(t.server)
      .post(`/cases/${caseId}/caseworker`)
      .set('Authorization', `Bearer ${annasToken}`)
      .send({ caseworkerId: anna })
      .then((response) => response);
    const [answer] = await Promise.all([change, release(lock, 300)]);
    expect(answer.status).toBe(403);
  });

  it('still answers 404 for a case nobody opened', async () => {
    await request(t.server)
      .get('/cases/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${annasToken}`)
      .expect(404);
  });
});

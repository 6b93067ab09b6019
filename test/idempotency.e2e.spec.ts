import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Idempotency-Key on command endpoints (real HTTP, real database)', () => {
  let t: TestApp;
  let personId: string;
  const clock = new ManualClock(new Date('2026-03-02T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
    personId = await registerPerson(t, '2012-05-17');
  });
  afterAll(async () => {
    await t.close();
  });

  const newKey = () => `test-${randomUUID()}`;

  /** The latest position any command of this file wrote: counts wait for the view to reach it. */
  let latest: string | undefined;
  const after = (a: string, b: string) => {
    const [a1, a2] = a.split('-').map(BigInt) as [bigint, bigint];
    const [b1, b2] = b.split('-').map(BigInt) as [bigint, bigint];
    return a1 > b1 || (a1 === b1 && a2 > b2);
  };
  function noteWrite(response: request.Response): request.Response {
    const position: unknown = response.body?.position;
    if (typeof position === 'string' && (!latest || after(position, latest))) latest = position;
    return response;
  }

  /** POST as a client would; remembers what it wrote. */
  async function post(path: string, body: object, key?: string): Promise<request.Response> {
    const pending = request(t.server).post(path);
    if (key !== undefined) pending.set('Idempotency-Key', key);
    return noteWrite(await pending.send(body));
  }

  /** How many cases the list shows once it includes every write so far. */
  async function caseCount(): Promise<number> {
    const response = await request(t.server)
      .get('/cases')
      .query(latest ? { waitForPosition: latest } : {})
      .expect(200);
    return response.body.total as number;
  }

  async function openCaseIn(departmentId: string): Promise<string> {
    const opened = await post('/cases', { personId, departmentId, caseType: 'support' });
    expect(opened.status).toBe(201);
    return opened.body.caseId as string;
  }

  it('a retry of POST /cases with the same key gets the first answer, marked replayed, and opens no second case', async () => {
    const before = await caseCount();
    const key = newKey();
    const body = { personId, departmentId: 'CHP', caseType: 'disability-support' };

    const first = await post('/cases', body, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    expect(first.body).toEqual({
      caseId: expect.any(String),
      position: expect.stringMatching(/^\d+-\d+$/),
    });

    // Members in another order are the same request.
    const retry = await post(
      '/cases',
      { caseType: 'disability-support', departmentId: 'CHP', personId },
      key,
    );
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.headers['content-type']).toMatch(/application\/json/);
    expect(retry.body).toEqual(first.body);

    expect(await caseCount()).toBe(before + 1);
  });

  it('keeps each caller’s keys apart: the same key from another caller runs its own request', async () => {
    const key = newKey();
    const body = { personId, departmentId: 'CHP', caseType: 'support' };
    const first = await post('/cases', body, key);
    expect(first.status).toBe(201);
    const other = await t.tokenFor({ sub: 'another-system', roles: ['system'] });
    const second = await request(t.server)
      .post('/cases')
      .set('Authorization', `Bearer ${other}`)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(second.headers['idempotency-replayed']).toBeUndefined();
    expect(second.body.caseId).not.toBe(first.body.caseId);
  });

  it('replays a success with the status of its route (@HttpCode(200) on close)', async () => {
    const caseId = await openCaseIn('CHP');
    const key = newKey();
    const closed = await post(`/cases/${caseId}/close`, { reason: 'Support ended' }, key);
    expect(closed.status).toBe(200);
    const retry = await post(`/cases/${caseId}/close`, { reason: 'Support ended' }, key);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.body).toEqual(closed.body);
  });

  it('the same key with a different request is refused with 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
    const key = newKey();
    const first = await post('/cases', { personId, departmentId: 'CHP', caseType: 'support' }, key);
    expect(first.status).toBe(201);
    const before = await caseCount();

    const otherBody = await post(
      '/cases',
      { personId, departmentId: 'CBU', caseType: 'support' },
      key,
    );
    expect(otherBody.status).toBe(422);
    expect(otherBody.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(otherBody.body).toEqual({
      status: 422,
      code: 'IDEMPOTENCY_KEY_REUSED',
      message: expect.any(String),
    });

    const otherRoute = await post(`/cases/${first.body.caseId}/close`, { reason: 'x' }, key);
    expect(otherRoute.status).toBe(422);
    expect(otherRoute.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

    expect(await caseCount()).toBe(before);
    const read = await request(t.server).get(`/cases/${first.body.caseId}`).expect(200);
    expect(read.body.status).toBe('open');
  });

  it('a retry of a refused command gets the same refusal, replayed', async () => {
    const caseId = await openCaseIn('CBU');
    expect((await post(`/cases/${caseId}/close`, { reason: 'done' })).status).toBe(200);

    const key = newKey();
    const refused = await post(`/cases/${caseId}/close`, { reason: 'again' }, key);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 409, code: 'CASE.ALREADY_CLOSED' });
    expect(refused.headers['idempotency-replayed']).toBeUndefined();

    const retry = await post(`/cases/${caseId}/close`, { reason: 'again' }, key);
    expect(retry.status).toBe(409);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(retry.body).toEqual(refused.body);
  });

  it.each([
    ['empty', ''],
    ['with a space', 'has space'],
    ['with a slash', 'a/b'],
    ['201 characters long', 'k'.repeat(201)],
  ])('a key %s is a 400 naming the header, and nothing runs', async (_, key) => {
    const before = await caseCount();
    const response = await post('/cases', { personId, departmentId: 'CHP', caseType: 'x' }, key);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.errors).toEqual([
      { field: 'Idempotency-Key', reason: expect.any(String) },
    ]);
    if (key) expect(JSON.stringify(response.body)).not.toContain(key);
    expect(await caseCount()).toBe(before);
  });

  it('accepts a key of 200 characters from the whole alphabet', async () => {
    const key = `Az09_.:-${'x'.repeat(192)}`;
    expect(key).toHaveLength(200);
    const response = await post('/cases', { personId, departmentId: 'CHP', caseType: 'x' }, key);
    expect(response.status).toBe(201);
  });

  it('of 10 concurrent identical requests with one key exactly one runs; the others replay it or get 409 IN_PROGRESS', async () => {
    const before = await caseCount();
    const key = newKey();
    const send = () =>
      post('/cases', { personId, departmentId: 'CHP', caseType: 'concurrent' }, key);
    const responses = await Promise.all(Array.from({ length: 10 }, send));

    const ran = responses.filter((r) => r.status === 201 && !r.headers['idempotency-replayed']);
    expect(ran).toHaveLength(1);
    const first = ran[0]!.body as { caseId: string; position: string };
    for (const response of responses) {
      if (response === ran[0]) continue;
      if (response.status === 201) {
        expect(response.headers['idempotency-replayed']).toBe('true');
        expect(response.body).toEqual(first);
      } else {
        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
        expect(response.headers['retry-after']).toBe('1');
      }
    }

    // Once the first has finished, a retry is a replay.
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(retry.body).toEqual(first);
    expect(await caseCount()).toBe(before + 1);
  });

  it('a request that fails on our side (5xx) leaves no record: a retry with the key runs again', async () => {
    // The read-model table goes missing for a moment (a database fault): the upsert fails with a 500.
    const key = newKey();
    const body = { name: 'Some name', area: 'adult-disability' };
    const database = t.app.get(DataSource);
    await database.query('ALTER TABLE departments RENAME TO departments_away');
    try {
      const failed = await request(t.server)
        .put('/departments/IDEMP5XX')
        .set('Idempotency-Key', key)
        .send(body)
        .expect(500);
      expect(failed.body.code).toBe('INTERNAL_ERROR');
      const records = await database.query('SELECT state FROM idempotency_records WHERE key = $1', [
        key,
      ]);
      expect(records).toEqual([]);
      const retry = await request(t.server)
        .put('/departments/IDEMP5XX')
        .set('Idempotency-Key', key)
        .send(body)
        .expect(500);
      expect(retry.headers['idempotency-replayed']).toBeUndefined();
    } finally {
      await database.query('ALTER TABLE departments_away RENAME TO departments');
    }

    // Nothing was stored for the key, so a corrected request may use it.
    const fixed = await request(t.server)
      .put('/departments/IDEMP5XX')
      .set('Idempotency-Key', key)
      .send({ name: 'Fixed name', area: 'adult-disability' })
      .expect(200);
    expect(fixed.body).toMatchObject({ id: 'IDEMP5XX', name: 'Fixed name' });
  });

  it('without the header, commands run as before: each POST opens a case', async () => {
    const before = await caseCount();
    const body = { personId, departmentId: 'CHP', caseType: 'no-key' };
    const first = await post('/cases', body);
    const second = await post('/cases', body);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.caseId).not.toEqual(first.body.caseId);
    expect(first.headers['idempotency-replayed']).toBeUndefined();
    expect(second.headers['idempotency-replayed']).toBeUndefined();
    expect(await caseCount()).toBe(before + 2);

    // Queries ignore the header, even a bad one.
    await request(t.server).get('/cases').set('Idempotency-Key', 'not valid!').expect(200);
  });

  it('forgets a key after 24 hours: the same key then runs a new request', async () => {
    const key = newKey();
    const body = { personId, departmentId: 'CHP', caseType: 'expiry' };
    const first = await post('/cases', body, key);
    expect(first.status).toBe(201);

    clock.advance(DAY_MS - 1000);
    const withinDay = await post('/cases', body, key);
    expect(withinDay.status).toBe(201);
    expect(withinDay.headers['idempotency-replayed']).toBe('true');
    expect(withinDay.body).toEqual(first.body);

    clock.advance(2000);
    const afterDay = await post('/cases', { ...body, caseType: 'expiry-2' }, key);
    expect(afterDay.status).toBe(201);
    expect(afterDay.headers['idempotency-replayed']).toBeUndefined();
    expect(afterDay.body.caseId).not.toEqual(first.body.caseId);
  });

  it('documents the optional header on mutating operations only', async () => {
    const docs = await request(t.server).get('/docs/openapi.json').expect(200);
    const ref = { $ref: '#/components/parameters/IdempotencyKey' };
    expect(docs.body.components.parameters.IdempotencyKey).toMatchObject({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
    });
    expect(docs.body.paths['/cases'].post.parameters).toContainEqual(ref);
    expect(docs.body.paths['/cases/{caseId}/close'].post.parameters).toContainEqual(ref);
    expect(docs.body.paths['/cases'].get.parameters ?? []).not.toContainEqual(ref);
  });
});

import request from 'supertest';
import { registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

let personId: string;
// Long enough for the shared test cluster's other transactions (the log head waits for them),
// short enough for the never-reached position's 503 to come soon.
const READ_WAIT_MAX_MS = 10_000;

describe('cases over HTTP (thin slice: command → event → projection → query)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { readWaitMaxMs: READ_WAIT_MAX_MS } });
    personId = await registerPerson(t, '2012-05-17');
  });
  afterAll(async () => {
    await t.close();
  });

  it('opens a case and reads it back from the case list once the projection has it', async () => {
    const opened = await request(t.server)
      .post('/cases')
      .send({ personId, departmentId: 'CHP', caseType: 'disability-support' })
      .expect(201);
    expect(opened.body).toEqual({
      caseId: expect.any(String),
      position: expect.stringMatching(/^\d+-\d+$/),
    });
    const { caseId, position } = opened.body as { caseId: string; position: string };

    const read = await request(t.server)
      .get(`/cases/${caseId}`)
      .query({ waitForPosition: position })
      .expect(200);
    expect(read.body).toMatchObject({
      caseId,
      personId,
      departmentId: 'CHP',
      caseType: 'disability-support',
      status: 'open',
      closedAt: null,
    });

    const list = await request(t.server)
      .get('/cases')
      .query({ departmentId: 'CHP', status: 'open', waitForPosition: position })
      .expect(200);
    expect(list.body.items.map((item: { caseId: string }) => item.caseId)).toContain(caseId);
    expect(list.body).toMatchObject({ limit: 50, offset: 0 });
  });

  it('closes a case once; a second close is a 409 with a stable code', async () => {
    const opened = await request(t.server)
      .post('/cases')
      .send({ personId, departmentId: 'CBU', caseType: 'child-support' })
      .expect(201);
    const caseId = opened.body.caseId as string;
    const closed = await request(t.server)
      .post(`/cases/${caseId}/close`)
      .send({ reason: 'Support ended' })
      .expect(200);
    const read = await request(t.server)
      .get(`/cases/${caseId}`)
      .query({ waitForPosition: closed.body.position })
      .expect(200);
    expect(read.body).toMatchObject({ status: 'closed', closeReason: 'Support ended' });

    const again = await request(t.server)
      .post(`/cases/${caseId}/close`)
      .send({ reason: 'again' })
      .expect(409);
    expect(again.body).toMatchObject({ status: 409, code: 'CASE.ALREADY_CLOSED' });
  });

  it('answers bad input with 400 naming each field and why, and writes nothing', async () => {
    const before = await request(t.server).get('/cases').expect(200);
    const response = await request(t.server)
      .post('/cases')
      .send({ personId: '010203-1234', departmentId: '', extra: 'x' })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    const fields = (response.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['personId', 'departmentId', 'caseType', 'extra']),
    );
    // the bad value (here shaped like a CPR number) is never echoed back
    expect(JSON.stringify(response.body)).not.toContain('010203-1234');
    const after = await request(t.server).get('/cases').expect(200);
    expect(after.body.total).toBe(before.body.total);
  });

  it('refuses a case for an unknown person or department with 422 naming the field', async () => {
    const unknownPerson = await request(t.server)
      .post('/cases')
      .send({
        personId: '3f1e4a7c-8b2d-4c6e-9f0a-1b2c3d4e5f60',
        departmentId: 'CHP',
        caseType: 'x',
      })
      .expect(422);
    expect(unknownPerson.body).toMatchObject({
      code: 'PERSON.UNKNOWN',
      details: { field: 'personId' },
    });
    const unknownDepartment = await request(t.server)
      .post('/cases')
      .send({ personId, departmentId: 'NOPE', caseType: 'x' })
      .expect(422);
    expect(unknownDepartment.body).toMatchObject({
      code: 'DEPARTMENT.UNKNOWN',
      details: { field: 'departmentId' },
    });
  });

  it('answers malformed JSON and unknown ids with clear 4xx problems', async () => {
    const malformed = await request(t.server)
      .post('/cases')
      .set('content-type', 'application/json')
      .send('{"personId": ')
      .expect(400);
    expect(malformed.body).toMatchObject({ status: 400, code: 'MALFORMED_BODY' });
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js/);
    const tooLarge = await request(t.server)
      .post('/cases')
      .send({ personId, departmentId: 'CHP', caseType: 'x'.repeat(200_000) })
      .expect(413);
    expect(tooLarge.body.code).toBe('PAYLOAD_TOO_LARGE');
    const nul = await request(t.server)
      .post('/cases')
      .send({ personId, departmentId: 'CHP', caseType: 'a\u0000b' })
      .expect(400);
    expect(nul.body.code).toBe('MALFORMED_BODY');

    await request(t.server).get('/cases/not-a-uuid').expect(404);
    const unknown = await request(t.server)
      .get('/cases/3f1e4a7c-8b2d-4c6e-9f0a-1b2c3d4e5f60')
      .expect(404);
    expect(unknown.body.code).toBe('CASE.NOT_FOUND');
    const close = await request(t.server)
      .post('/cases/3f1e4a7c-8b2d-4c6e-9f0a-1b2c3d4e5f60/close')
      .send({ reason: 'x' })
      .expect(404);
    expect(close.body.code).toBe('CASE.NOT_FOUND');
    const badQuery = await request(t.server)
      .get('/cases')
      .query({ limit: 0, status: 'lost' })
      .expect(400);
    expect(badQuery.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'limit',
      'status',
    ]);
  });

  it('a query that waits for a position past the log gets a bounded 400 naming it', async () => {
    const started = Date.now();
    const response = await request(t.server)
      .get('/cases')
      .query({ waitForPosition: '999999999-1' })
      .expect(400);
    expect(response.body.code).toBe('READ_MODEL.POSITION_NOT_IN_LOG');
    expect(response.body.errors).toEqual([
      { field: 'waitForPosition', reason: 'past the end of the event log' },
    ]);
    expect(JSON.stringify(response.body)).not.toContain('999999999');
    expect(Date.now() - started).toBeLessThan(READ_WAIT_MAX_MS + 5000);
  });

  it('serves health with the event store, database and projection lag, and the OpenAPI document', async () => {
    const health = await request(t.server).get('/health').expect(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.details).toMatchObject({
      eventStore: { status: 'up' },
      readModelDatabase: { status: 'up' },
      projections: { status: 'up', parkedEvents: 0 },
    });
    const docs = await request(t.server).get('/docs/openapi.json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/cases', '/cases/{caseId}', '/health']),
    );
  });
});

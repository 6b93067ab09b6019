// Issue 14, part 1 and 2: the requests that answered 500 or echoed their input, one by one.
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fakeCpr, openCase, registerPerson } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/** `[[[…]]]` (or `{"a":{"a":…}}`) nested `depth` levels: JSON.parse takes it, recursion does not. */
export function deepJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('Bad requests get a 4xx problem, never a 5xx or an echo (issue 14)', () => {
  let t: TestApp;
  let caseId: string;
  const cpr = fakeCpr('1990-01-01');
  beforeAll(async () => {
    t = await startTestApp();
    const personId = await registerPerson(t, '1990-01-01');
    ({ caseId } = await openCase(t, personId, 'CHP', 'disability-support'));
  });
  afterAll(async () => {
    await t.close();
  });

  const eventCount = async () =>
    (await t.app.get<EventStore>(EVENT_STORE).readAll(null, 100_000)).length;

  function expectProblem(response: request.Response, status: number, code?: string): void {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    if (code !== undefined) expect(response.body.code).toBe(code);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(cpr);
    expect(text).not.toContain(cpr.replace('-', ''));
  }

  it.each([
    ['array', 5_000],
    ['object', 5_000],
    ['array', 40_000],
  ] as const)(
    'a body nested %s %i levels deep: 400 BODY.TOO_DEEP, with or without a token',
    async (kind, depth) => {
      for (const server of [t.server, t.rawServer]) {
        const response = await request(server)
          .post('/cases')
          .set('Content-Type', 'application/json')
          .set('Idempotency-Key', randomUUID())
          .send(deepJson(depth, kind));
        expectProblem(response, 400, 'BODY.TOO_DEEP');
      }
    },
  );

  it('a body with too many values: 400 BODY.TOO_WIDE', async () => {
    const response = await request(t.server)
      .post('/cases')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ a: Array.from({ length: 12_000 }, () => 0) }));
    expectProblem(response, 400, 'BODY.TOO_WIDE');
  });

  it.each([
    '9999-12-31T23:59:59Z',
    '-000001-01-01T00:00:00Z',
    '2026-02-30',
    '2026-02-30T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-01-01T25:00:00Z',
    'yesterday',
  ])('history asOf=%s: 400 naming asOf', async (asOf) => {
    for (const kind of ['transitions', 'inquiries', 'applications']) {
      const response = await request(t.server)
        .get(`/${kind}/${randomUUID()}/history`)
        .query({ asOf });
      expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(response.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
    }
  });

  it('a leap day is a date, 29 February of a common year is not', async () => {
    const leap = await request(t.server).get('/meetings').query({ fromDate: '2028-02-29' });
    expect(leap.status).toBe(200);
    for (const query of [
      { fromDate: '2026-02-30' },
      { toDate: '2027-02-29' },
      { toDate: '9999-01-01' },
    ]) {
      expectProblem(
        await request(t.server).get('/meetings').query(query),
        400,
        'VALIDATION_FAILED',
      );
    }
  });

  it('NUL in a query or a path: 400, not a database error', async () => {
    expectProblem(await request(t.server).get('/projections/parked?projector=%00'), 400);
    expectProblem(await request(t.server).get('/access-log?actor=%00'), 400);
    expectProblem(await request(t.server).get(`/cases/${caseId}%00`), 400);
  });

  it('fields left out or null that reached a decider or SQL: 400 naming the field, nothing written', async () => {
    const before = await eventCount();
    const withoutChecklist = await request(t.server)
      .post(`/applications/${randomUUID()}/decisions`)
      .send({ outcome: 'granted', channel: 'digital-post' });
    expectProblem(withoutChecklist, 400, 'VALIDATION_FAILED');
    expect(withoutChecklist.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'checklist' })]),
    );
    const complaint = await request(t.server)
      .post('/complaints')
      .send({ caseId, personId: null, receivedVia: 'letter' });
    expectProblem(complaint, 400, 'VALIDATION_FAILED');
    expect(complaint.body.errors).toContainEqual(expect.objectContaining({ field: 'personId' }));
    const contact = await request(t.server).post(`/cases/${caseId}/journal/contacts`).send({
      occurredAt: '2026-03-05T08:30:00.000Z',
      channel: 'phone',
      direction: 'from-citizen',
      subject: 'Opfølgning',
      containsPersonalData: true,
      note: null,
    });
    expectProblem(contact, 400, 'VALIDATION_FAILED');
    expect(contact.body.errors).toEqual([expect.objectContaining({ field: 'note' })]);
    expect(await eventCount()).toBe(before);
  });

  it('a blank department is a 400 naming the field, not a refusal of the scope: nothing written', async () => {
    // Scope is the token's department: no caseworker registered, so no event follows one.
    const token = await t.tokenFor({
      sub: 'blank-department',
      roles: ['caseworker'],
      department: 'CBU',
      caseworker_id: randomUUID(),
    });
    const before = await eventCount();
    for (const blank of ['', '   ']) {
      for (const [path, body] of [
        ['/cases', { personId: cpr, departmentId: blank, caseType: 'support' }],
        ['/inquiries', { departmentId: blank, channel: 'phone' }],
        ['/complaints', { departmentId: blank, receivedVia: 'letter' }],
        ['/file-access-requests', { departmentId: blank }],
      ] as const) {
        const response = await request(t.server)
          .post(path)
          .set('Authorization', `Bearer ${token}`)
          .send(body);
        expectProblem(response, 400, 'VALIDATION_FAILED');
        expect(response.body.errors).toContainEqual(
          expect.objectContaining({ field: 'departmentId' }),
        );
      }
    }
    // Another department is still refused, and a blank beside it in a list does not hide it.
    const other = await request(t.server)
      .post('/inquiries')
      .set('Authorization', `Bearer ${token}`)
      .send({ departmentId: 'CHP', channel: 'phone' });
    expectProblem(other, 403, 'ACCESS.OUT_OF_SCOPE');
    const consent = await request(t.server)
      .post(`/families/${randomUUID()}/consents`)
      .set('Authorization', `Bearer ${token}`)
      .send({ departmentIds: ['', 'CHP'] });
    expectProblem(consent, 403, 'ACCESS.OUT_OF_SCOPE');
    expect(await eventCount()).toBe(before);
  });

  it('framework errors get our codes and fixed messages: no echo, no HTTP_400', async () => {
    const badEscape = await request(t.server).get(`/cases/${cpr}%ZZ`);
    expectProblem(badEscape, 400, 'MALFORMED_REQUEST');
    const unknownRoute = await request(t.server).get(
      `/cases/${cpr.replace('-', '')}/journal/notes/`,
    );
    expectProblem(unknownRoute, 404, 'NOT_FOUND');
    const unknownAnonymous = await request(t.rawServer).get(`/nowhere/${cpr}`);
    expect(unknownAnonymous.status).toBeLessThan(500);
    expect(JSON.stringify(unknownAnonymous.body)).not.toContain(cpr);
    const badJson = await request(t.server)
      .post('/cases')
      .set('Content-Type', 'application/json')
      .send(`{"caseType":"${cpr}"`);
    expectProblem(badJson, 400, 'MALFORMED_BODY');
  });

  it('ids that reach events refuse a CPR number: department and case type', async () => {
    expectProblem(
      await request(t.server).put(`/departments/${cpr}`).send({ name: 'X', area: 'children' }),
      404,
    );
    const caseWithCpr = await request(t.server)
      .post('/cases')
      .send({ personId: randomUUID(), departmentId: 'CHP', caseType: cpr.replace('-', '') });
    expectProblem(caseWithCpr, 400, 'VALIDATION_FAILED');
    expect(caseWithCpr.body.errors).toEqual([expect.objectContaining({ field: 'caseType' })]);
  });
});

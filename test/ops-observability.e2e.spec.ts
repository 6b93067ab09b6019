import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { fakeCpr } from './support/fixtures';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Request lines and metrics of a real app: every request leaves one JSON line with its route
 * template, status, duration, caller and correlation id, and no CPR number, name, token or body;
 * /metrics shows the families an operator alerts on, with values that follow what was done.
 */
describe('operations: request logs and metrics', () => {
  let t: TestApp;
  const lines: string[] = [];
  const people = [
    { cpr: fakeCpr('2009-03-14'), name: 'Ingeborg Testesen' },
    { cpr: fakeCpr('2011-07-02'), name: 'Aksel Prøvegaard' },
  ];
  const personIds: string[] = [];
  let token = '';
  const purpose = 'Opfølgning på underretning om Ingeborg';

  beforeAll(async () => {
    t = await startTestApp({ logDestination: { write: (line: string) => void lines.push(line) } });
    token = await t.tokenFor({ sub: 'cw-observed', roles: ['caseworker'], department: 'CBU' });

    for (const person of people) {
      const response = await request(t.server).post('/persons').send(person).expect(201);
      personIds.push((response.body as { personId: string }).personId);
    }
    // A lookup by CPR number (body), with a purpose, a cookie and a bearer token of its own.
    await request(t.server)
      .post('/persons/lookup')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Purpose', purpose)
      .set('Cookie', 'session=secret-cookie-value')
      .set('X-Correlation-Id', 'corr-lookup-1')
      .send({ cpr: people[0]?.cpr })
      .expect(200);
    // Refused input that carries a name and a CPR-like value.
    await request(t.server)
      .post('/persons')
      .send({ cpr: `${people[1]?.cpr ?? ''}9`, name: people[1]?.name })
      .expect(400);
    await request(t.server)
      .get(`/persons/${personIds[0] ?? ''}`)
      .expect(200);
    // The same command twice under one Idempotency-Key: the second answer is a replay.
    const key = randomUUID();
    for (let i = 0; i < 2; i++) {
      await request(t.server)
        .post('/cases')
        .set('Idempotency-Key', key)
        .send({ personId: personIds[0], departmentId: 'CBU', caseType: 'support' })
        .expect(201);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const requestLines = () =>
    lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line.durationMs === 'number');

  it('writes one JSON line per request: method, route template, status, duration, caller, correlation id', () => {
    const entries = requestLines();
    expect(entries.length).toBeGreaterThanOrEqual(7);
    const get = entries.find((e) => e.route === '/persons/:personId');
    expect(get).toMatchObject({
      level: 'info',
      req: { method: 'GET' },
      res: { statusCode: 200 },
      caller: { subject: 'test-system', roles: ['system'] },
    });
    expect(get?.correlationId).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    const lookup = entries.find((e) => e.correlationId === 'corr-lookup-1');
    expect(lookup).toMatchObject({
      route: '/persons/lookup',
      caller: { subject: 'cw-observed', roles: ['caseworker'] },
      res: { statusCode: 200 },
    });
    expect(
      entries.find((e) => e.res && (e.res as { statusCode: number }).statusCode === 400),
    ).toMatchObject({ level: 'warn', route: '/persons' });
    // Route templates only: no line names a person id, a raw path or a query.
    for (const id of personIds) expect(lines.join('\n')).not.toContain(id);
  });

  it('returns the correlation id, taken from X-Correlation-Id or made', async () => {
    const given = await request(t.server)
      .get('/departments')
      .set('X-Correlation-Id', 'night-shift-42')
      .expect(200);
    expect(given.headers['x-correlation-id']).toBe('night-shift-42');
    const made = await request(t.server).get('/departments').expect(200);
    expect(made.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    // One that could forge log content is replaced, not logged.
    const forged = await request(t.server)
      .get('/departments')
      .set('X-Correlation-Id', 'a"}\\n{"level":"fatal')
      .expect(200);
    expect(forged.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs a CPR number, a name, a token, a purpose, a cookie or a body', () => {
    const log = lines.join('\n');
    for (const { cpr, name } of people) {
      expect(log).not.toContain(cpr);
      expect(log).not.toContain(cpr.replace('-', ''));
      expect(log).not.toContain(name);
      expect(log).not.toContain(name.split(' ')[1]);
    }
    expect(log).not.toContain(token);
    expect(log).not.toContain(purpose);
    expect(log).not.toContain('secret-cookie-value');
    expect(log).not.toMatch(/authorization|cookie|x-purpose/i);
  });

  it("logs a server error with the error's name, stack and correlation id, never its message", async () => {
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      // A read model vanishes under the app (as after a bad manual change): the query fails.
      await client.query('ALTER TABLE departments RENAME TO departments_gone');
      await request(t.server)
        .get('/departments')
        .set('X-Correlation-Id', 'corr-broken-1')
        .expect(500);
    } finally {
      await client.query('ALTER TABLE departments_gone RENAME TO departments');
      await client.end();
    }
    const entries = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.correlationId === 'corr-broken-1');
    const errorLine = entries.find((e) => e.context === 'HTTP');
    expect(errorLine).toMatchObject({
      level: 'error',
      err: { message: expect.stringMatching(/QueryFailedError/) },
    });
    expect((errorLine?.err as { stack: string }).stack).toMatch(/^\s+at /);
    // The driver's message ("relation … does not exist") stays out.
    expect(JSON.stringify(entries)).not.toContain('does not exist');
    expect(entries.find((e) => e.route === '/departments')).toMatchObject({
      level: 'error',
      res: { statusCode: 500 },
    });
  });

  it('/metrics shows the families with values that follow what was done', async () => {
    // An append refused for a wrong expected revision, through the store the app uses.
    const store = t.app.get<EventStore>(EVENT_STORE);
    await expect(
      store.append(
        `ops-metrics-${randomUUID()}`,
        [{ id: randomUUID(), type: 'Noted', data: {} }],
        3,
      ),
    ).rejects.toThrow(/expected/);

    const anonymous = await request(t.rawServer).get('/metrics');
    expect(anonymous.status).toBe(401);
    await request(t.server).get('/metrics').set('Authorization', `Bearer ${token}`).expect(403);

    // The projectors may still be catching up with the session above: the shared test cluster's
    // other transactions hold the log's visible head back a moment.
    let response = await request(t.server).get('/metrics').expect(200);
    const caseListProjected =
      /^tovholder_projection_checkpoint_commit\{projector="case-list"\} [1-9]/m;
    for (let tries = 0; tries < 150 && !caseListProjected.test(response.text); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await request(t.server).get('/metrics').expect(200);
    }
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    const value = (pattern: RegExp): number => {
      const match = text.match(pattern);
      if (!match?.[1]) throw new Error(`no sample matches ${pattern}`);
      return Number(match[1]);
    };
    expect(
      value(
        /^http_request_duration_seconds_count\{method="GET",route="\/persons\/:personId",status="200"\} (\d+)$/m,
      ),
    ).toBe(1);
    expect(
      value(/^tovholder_event_store_append_duration_seconds_count\{outcome="ok"\} (\d+)$/m),
    ).toBe(1); // the case opened once (its replay appends nothing)
    expect(
      value(/^tovholder_event_store_append_duration_seconds_count\{outcome="conflict"\} (\d+)$/m),
    ).toBe(1);
    expect(value(/^tovholder_event_store_expected_revision_conflicts_total (\d+)$/m)).toBe(1);
    expect(value(/^tovholder_idempotency_replays_total (\d+)$/m)).toBe(1);
    expect(value(/^tovholder_idempotency_keys_in_progress (\d+)$/m)).toBe(0);
    expect(
      value(/^tovholder_access_log_writes_total\{result="written"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(2);
    expect(
      value(
        /^tovholder_scheduled_runs_total\{process="transition-sixteenth-birthdays",outcome="completed"\} (\d+)$/m,
      ),
    ).toBeGreaterThanOrEqual(1);
    for (const projector of [
      'case-list',
      'family-coordination',
      'transitions',
      'casework',
      'supervision',
    ]) {
      expect(
        value(
          new RegExp(
            `^tovholder_projection_parked_events\\{projector="${projector}"\\} (\\d+)$`,
            'm',
          ),
        ),
      ).toBe(0);
      expect(
        value(
          new RegExp(`^tovholder_projection_running\\{projector="${projector}"\\} (\\d+)$`, 'm'),
        ),
      ).toBe(1);
      expect(
        value(
          new RegExp(
            `^tovholder_projection_lag_seconds\\{projector="${projector}"\\} ([\\d.e-]+)$`,
            'm',
          ),
        ),
      ).toBeLessThan(60);
      expect(
        value(
          new RegExp(
            `^tovholder_projection_events_behind\\{projector="${projector}"\\} (\\d+)$`,
            'm',
          ),
        ),
      ).toBeGreaterThanOrEqual(0);
    }
    expect(
      value(/^tovholder_projection_checkpoint_commit\{projector="case-list"\} (\d+)$/m),
    ).toBeGreaterThan(0);
    for (const pool of ['read-models', 'event-store']) {
      const connections = (state: string) =>
        value(
          new RegExp(
            `^tovholder_db_pool_connections\\{pool="${pool}",state="${state}"\\} (\\d+)$`,
            'm',
          ),
        );
      expect(connections('total')).toBeGreaterThan(0);
      expect(connections('waiting')).toBe(0);
    }
    expect(value(/^process_cpu_user_seconds_total ([\d.e-]+)$/m)).toBeGreaterThan(0);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("/metrics shows PostgreSQL's WAL and checkpoints, which follow a write and a CHECKPOINT", async () => {
    const scrape = async () => {
      const response = await request(t.server).get('/metrics').expect(200);
      return (pattern: RegExp): number => {
        const match = response.text.match(pattern);
        if (!match?.[1]) throw new Error(`no sample matches ${pattern}`);
        return Number(match[1]);
      };
    };
    const requested = /^tovholder_db_checkpoints_total\{reason="requested"\} (\d+)$/m;
    const walBytes = /^tovholder_db_wal_bytes_total (\d+)$/m;
    const before = await scrape();

    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    let maxWalSize: number;
    try {
      await t.app
        .get<EventStore>(EVENT_STORE)
        .append(
          `ops-wal-${randomUUID()}`,
          [{ id: randomUUID(), type: 'Noted', data: {} }],
          'no_stream',
        );
      await client.query('CHECKPOINT');
      const { rows } = await client.query<{ bytes: string }>(
        "SELECT pg_size_bytes(current_setting('max_wal_size'))::text AS bytes",
      );
      maxWalSize = Number(rows[0]?.bytes);
    } finally {
      await client.end();
    }
    // Backends flush their statistics at most once a second.
    let after = await scrape();
    for (let tries = 0; tries < 50 && after(walBytes) <= before(walBytes); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await scrape();
    }

    expect(after(walBytes)).toBeGreaterThan(before(walBytes));
    expect(after(requested)).toBeGreaterThanOrEqual(before(requested) + 1);
    expect(
      after(/^tovholder_db_checkpoints_total\{reason="timed"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(0);
    expect(after(/^tovholder_db_wal_full_page_images_total (\d+)$/m)).toBeGreaterThanOrEqual(
      before(/^tovholder_db_wal_full_page_images_total (\d+)$/m),
    );
    expect(after(/^tovholder_db_max_wal_size_bytes (\d+)$/m)).toBe(maxWalSize);
  });
});

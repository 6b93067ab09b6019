import { parsePosition } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';
import { AlertDelivery } from '../apps/api/src/alerts/alert-delivery.service';
import { FAST_ALERTS, Receiver, runAlerts, verifiedByReceiver } from './alerts-support';
import { registerCaseworker, fakeCpr, openCase } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

/** Until the alert schedule, and the casework projection its duty marks wait for, have it. */
async function projected(t: TestApp, position: string): Promise<void> {
  for (const projector of ['alert-schedule', 'casework']) {
    await t.app.get(CheckpointWatcher).waitFor(projector, parsePosition(position)!, 20_000);
  }
}

async function registerNamedPerson(
  t: TestApp,
  name: string,
): Promise<{ personId: string; cpr: string }> {
  for (;;) {
    const cpr = fakeCpr('1990-03-14');
    const response = await request(t.server).post('/persons').send({ cpr, name });
    if (response.status === 201) return { personId: response.body.personId as string, cpr };
    if (response.status !== 409) throw new Error(`person: ${response.status}`);
  }
}

async function recordInquiry(
  t: TestApp,
  person: string,
  caseId: string | undefined,
  at: Date,
  departmentId = 'CBU',
): Promise<{ inquiryId: string; position: string }> {
  const response = await request(t.server)
    .post('/inquiries')
    .send({ personId: person, departmentId, caseId, channel: 'e-mail', at: at.toISOString() })
    .expect(201);
  return response.body as { inquiryId: string; position: string };
}

describe('alerts: raised by time and by events, delivered to people and by signed webhooks', () => {
  const clock = new ManualClock(new Date('2026-12-07T10:00:00.000Z')); // a Monday
  let t: TestApp;
  let receiver: Receiver;
  let secret: string;
  let caseworkerId: string;
  let caseId: string;
  let casePersonId: string;
  const people: { cpr: string; name: string }[] = [];

  /** A newly registered person's inquiry, received `daysAgo` days before the clock, projected. */
  async function inquiryOf(name: string, daysAgo: number) {
    const person = await registerNamedPerson(t, name);
    people.push({ cpr: person.cpr, name });
    const at = new Date(clock.now().getTime() - daysAgo * 86_400_000);
    const inquiry = await recordInquiry(t, person.personId, undefined, at);
    await projected(t, inquiry.position);
    return inquiry;
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { alerts: FAST_ALERTS } });
    receiver = await Receiver.start();
    const created = await request(t.server)
      .post('/alert-subscriptions')
      .send({ url: receiver.url, departmentIds: ['CBU'] })
      .expect(201);
    secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    caseworkerId = await registerCaseworker(t, 'CBU', 'Karen Sagsbehandler');
    const person = await registerNamedPerson(t, 'Alma Testesen');
    people.push({ cpr: person.cpr, name: 'Alma Testesen' });
    casePersonId = person.personId;
    caseId = (await openCase(t, person.personId, 'CBU')).caseId;
    await request(t.server).post(`/cases/${caseId}/caseworker`).send({ caseworkerId }).expect(200);
  });

  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('never returns a subscription secret after creating it', async () => {
    // Nor keeps it for an idempotent replay.
    const own = `whsec_${randomBytes(32).toString('base64')}`;
    await request(t.server)
      .post('/alert-subscriptions')
      .set('Idempotency-Key', 'subscription-1')
      .send({ url: 'http://127.0.0.1:9/never', codes: ['NO_SUCH_CODE'], secret: own })
      .expect(201);
    const stored = await t.app
      .get(DataSource)
      .query<{ row: string }[]>('SELECT i::text AS row FROM idempotency_records i');
    expect(stored.map((r) => r.row).join('\n')).not.toContain(own.slice(6));
    // Nor is it kept in the clear: sealed with a key the database does not hold.
    const kept = await t.app
      .get(DataSource)
      .query<{ secret: string }[]>('SELECT secret FROM alert_subscriptions');
    expect(kept.length).toBeGreaterThanOrEqual(2);
    for (const { secret: sealed } of kept) {
      expect(sealed).toMatch(/^sealed:/);
      expect(sealed).not.toContain(own.slice(6));
      expect(sealed).not.toContain(secret.slice(6));
    }
    const listed = await request(t.server).get('/alert-subscriptions').expect(200);
    expect(listed.text).not.toContain(own);
    expect(listed.text).not.toContain(secret);
    expect(listed.body[0]).not.toHaveProperty('secret');
  });

  it('a retry with the same Idempotency-Key gives the same subscription, not a second', async () => {
    const create = (key: string, url: string) =>
      request(t.server)
        .post('/alert-subscriptions')
        .set('Idempotency-Key', key)
        .send({ url, codes: ['NO_SUCH_CODE'] });
    const first = await create('subscription-retry', 'http://127.0.0.1:9/retry').expect(201);
    const retry = await create('subscription-retry', 'http://127.0.0.1:9/retry').expect(201);
    expect(retry.body.subscriptionId).toBe(first.body.subscriptionId);
    expect(retry.body.secret).toBe(first.body.secret);
    const listed = await request(t.server).get('/alert-subscriptions').expect(200);
    const ids = (listed.body as { subscriptionId: string }[]).map((s) => s.subscriptionId);
    expect(ids.filter((id) => id === first.body.subscriptionId)).toHaveLength(1);
    const other = await create('subscription-retry', 'http://127.0.0.1:9/other').expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const malformed = await create('no spaces allowed', 'http://127.0.0.1:9/retry').expect(400);
    expect(malformed.body.errors[0].field).toBe('Idempotency-Key');
    await request(t.server).delete(`/alert-subscriptions/${first.body.subscriptionId}`).expect(200);
  });

  let inquiryId: string;
  let raisedId: string;

  it('an inquiry received 3 days ago raises ACK_OVERDUE in one run, signed at the receiver', async () => {
    const inquiry = await recordInquiry(
      t,
      casePersonId,
      caseId,
      new Date(clock.now().getTime() - 3 * 86_400_000),
    );
    inquiryId = inquiry.inquiryId;
    await projected(t, inquiry.position);
    const run = await runAlerts(t);
    expect(run.raised).toBe(1);

    const token = await t.tokenFor({
      sub: 'karen',
      roles: ['caseworker'],
      department: 'CBU',
      caseworker_id: caseworkerId,
    });
    const list = await request(t.server)
      .get('/alerts?responsible=me&status=open')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    const alert = list.body.items[0];
    expect(alert).toMatchObject({
      type: 'alert.raised',
      code: 'ACK_OVERDUE',
      subject: { kind: 'inquiry', id: inquiryId, caseId },
      responsible: { role: 'caseworker', caseworkerId, departmentId: 'CBU' },
      status: 'open',
      // due 48 hours after receipt; it started to hold then
      due: new Date(clock.now().getTime() - 86_400_000).toISOString(),
      since: new Date(clock.now().getTime() - 86_400_000 + 1).toISOString(),
    });
    raisedId = alert.alertId;

    await receiver.until(() => receiver.deliveredIds().has(raisedId), 'the raised alert');
    const delivered = receiver.requests.find((r) => r.id === raisedId)!;
    expect(verifiedByReceiver(secret, delivered)).toBe(true);
    expect(verifiedByReceiver(secret, { ...delivered, body: delivered.body + ' ' })).toBe(false);
    expect(JSON.parse(delivered.body)).toMatchObject({ alertId: raisedId, code: 'ACK_OVERDUE' });

    // A second run, or the same run again, raises nothing new.
    expect((await runAlerts(t)).raised).toBe(0);
  });

  it('acknowledging the inquiry records the alert that the flag stopped holding', async () => {
    const ack = await request(t.server)
      .post(`/inquiries/${inquiryId}/acknowledgement`)
      .send({ channel: 'e-mail', answerPromisedBy: '2027-01-29' })
      .expect(200);
    await projected(t, ack.body.position as string);
    expect(await runAlerts(t)).toMatchObject({ stopped: 1, raised: 0 });
    const all = await request(t.server).get('/alerts?responsible=all&status=all').expect(200);
    const stopped = all.body.items.find((a: { type: string }) => a.type === 'alert.stopped');
    expect(stopped).toMatchObject({ code: 'ACK_OVERDUE', subject: { id: inquiryId } });
    expect(all.body.items.find((a: { alertId: string }) => a.alertId === raisedId).status).toBe(
      'closed',
    );
    await receiver.until(() => receiver.deliveredIds().has(stopped.alertId), 'the stopped alert');
    // in order per subject: raised before stopped
    const order = receiver.requests.map((r) => r.id);
    expect(order.indexOf(raisedId)).toBeLessThan(order.indexOf(stopped.alertId));
  });

  it('retries a receiver that answers 500, then delivers each alert once, with its id', async () => {
    const failedOnce = new Set<string>();
    receiver.answer = (r) => {
      if (failedOnce.has(r.id)) return 200;
      failedOnce.add(r.id);
      return 500;
    };
    await inquiryOf('Bent Prøvesen', 3);
    expect((await runAlerts(t)).raised).toBe(1);
    const [alert] = (
      await request(t.server).get(`/alerts?responsible=all&code=ACK_OVERDUE`).expect(200)
    ).body.items;
    expect(alert.responsible).toEqual({
      role: 'department',
      departmentId: 'CBU',
      caseworkerId: null,
    });
    await receiver.until(() => receiver.deliveredIds().has(alert.alertId), 'the retried alert');
    const tries = receiver.requests.filter((r) => r.id === alert.alertId);
    expect(tries.map((r) => r.status)).toEqual([500, 200]);
    expect(receiver.deliveredIds().get(alert.alertId)).toBe(1);
    receiver.answer = () => 200;
  });

  it('parks a delivery the receiver keeps refusing, shows its last error, and sends it again', async () => {
    receiver.answer = () => 503;
    await inquiryOf('Cecilie Eksempel', 3);
    await runAlerts(t);
    let parked: { deliveryId: string; lastError: string; alertId: string } | undefined;
    for (const started = Date.now(); !parked && Date.now() - started < 10_000;) {
      await new Promise((done) => setTimeout(done, 100));
      parked = (await request(t.server).get('/alert-deliveries?status=parked').expect(200)).body
        .items[0];
    }
    expect(parked).toMatchObject({ lastError: 'HTTP 503' });
    receiver.answer = () => 200;
    await request(t.server).post(`/alert-deliveries/${parked!.deliveryId}/redelivery`).expect(202);
    await receiver.until(() => receiver.deliveredIds().has(parked!.alertId), 'the re-sent alert');
  });

  it('escalates to the team leader after two working days, counting across Christmas', async () => {
    // Received Tuesday 22 December; ACK_OVERDUE from Thursday 24th. Friday 25th is a public
    // holiday, so the two working days are Monday 28th and Tuesday 29th.
    clock.set(new Date('2026-12-22T08:00:00.000Z'));
    const inquiry = await inquiryOf('Dorte Jul', 0);
    clock.set(new Date('2026-12-24T09:00:00.000Z'));
    // (the earlier tests' open alerts, from 7 December, escalate in this run)
    expect((await runAlerts(t)).raised).toBe(1);
    clock.set(new Date('2026-12-29T21:00:00.000Z')); // Tuesday 22:00 in Copenhagen
    expect((await runAlerts(t)).escalated).toBe(0);
    clock.set(new Date('2026-12-29T23:00:00.000Z')); // Wednesday 00:00 in Copenhagen
    expect((await runAlerts(t)).escalated).toBe(1);
    expect((await runAlerts(t)).escalated).toBe(0);

    const leader = await t.tokenFor({ sub: 'leader', roles: ['team-leader'], department: 'CBU' });
    const list = await request(t.server)
      .get('/alerts?responsible=me')
      .set('Authorization', `Bearer ${leader}`)
      .expect(200);
    const escalated = list.body.items.filter(
      (a: { subject: { id: string } }) => a.subject.id === inquiry.inquiryId,
    );
    expect(escalated).toHaveLength(1);
    expect(list.body.items.every((a: { type: string }) => a.type === 'alert.escalated')).toBe(true);
    expect(escalated[0]).toMatchObject({
      type: 'alert.escalated',
      code: 'ACK_OVERDUE',
      responsible: { role: 'team-leader', departmentId: 'CBU' },
      subject: { id: inquiry.inquiryId },
    });
    const digest = await request(t.server)
      .get('/alerts/digest.html')
      .set('Authorization', `Bearer ${leader}`)
      .expect(200);
    expect(digest.text).toContain('Dine åbne advis');
    expect(digest.text).toContain('Kvittering for henvendelsen er forsinket');
  });

  it('records who acknowledged an alert and when; it leaves the open worklist', async () => {
    const open = (await request(t.server).get('/alerts?responsible=all').expect(200)).body.items;
    const target = open.find((a: { type: string }) => a.type === 'alert.raised');
    const acked = await request(t.server)
      .post(`/alerts/${target.alertId}/acknowledgement`)
      .expect(200);
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'test-system',
      acknowledgedAt: clock.now().toISOString(),
    });
    const after = (await request(t.server).get('/alerts?responsible=all').expect(200)).body.items;
    expect(after.map((a: { alertId: string }) => a.alertId)).not.toContain(target.alertId);
    const other = await t.tokenFor({ sub: 'x', roles: ['caseworker'], department: 'CHP' });
    await request(t.server)
      .post(`/alerts/${target.alertId}/acknowledgement`)
      .set('Authorization', `Bearer ${other}`)
      .expect(403);
  });

  it('pages the feed from a cursor with the same payloads', async () => {
    const first = await request(t.server).get('/alerts/feed?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await request(t.server)
      .get(`/alerts/feed?after=${first.body.next}&limit=1000`)
      .expect(200);
    const all = [...first.body.items, ...rest.body.items];
    expect(new Set(all.map((a: { alertId: string }) => a.alertId)).size).toBe(all.length);
    const again = await request(t.server).get(`/alerts/feed?after=${rest.body.next}`).expect(200);
    expect(again.body).toEqual({ items: [], next: rest.body.next });
    const delivered = receiver.requests.find((r) => r.id === all[0].alertId)!;
    expect(JSON.parse(delivered.body)).toEqual(all[0]);
    await request(t.server).get('/alerts/feed?after=abc').expect(400);
  });

  it('no delivered body, feed or page holds a CPR number or a name', async () => {
    const feed = (await request(t.server).get('/alerts/feed?limit=1000').expect(200)).text;
    const bodies = [...receiver.requests.map((r) => r.body), feed];
    expect(receiver.requests.length).toBeGreaterThan(4);
    for (const { cpr, name } of people) {
      const spellings = [cpr, cpr.replace('-', ''), ...name.split(' ')];
      for (const body of bodies) {
        for (const secretText of spellings) expect(body).not.toContain(secretText);
      }
    }
    expect(bodies.join('\n')).not.toContain('Karen');
  });
});

describe('alerts: several instances and a crash mid-delivery', () => {
  const clock = new ManualClock(new Date('2026-12-07T10:00:00.000Z'));
  let t: TestApp;
  let receiver: Receiver;
  let child: ChildProcess | null = null;

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { alerts: FAST_ALERTS } });
    receiver = await Receiver.start();
    await request(t.server).post('/alert-subscriptions').send({ url: receiver.url }).expect(201);
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await receiver?.close();
    await t?.close();
  });

  it('two instances raise each alert once and deliver it, always with its own id', async () => {
    const second = await createApp({
      config: t.app.get<AppConfig>(APP_CONFIG),
      clock,
      logger: false,
    });
    await second.init();
    try {
      const person = (
        await request(t.server)
          .post('/persons')
          .send({ cpr: fakeCpr('1980-01-01'), name: 'Ole' })
          .expect(201)
      ).body.personId as string;
      let position = '';
      for (let i = 0; i < 12; i++) {
        position = (
          await recordInquiry(
            t,
            person,
            undefined,
            new Date(clock.now().getTime() - 3 * 86_400_000),
          )
        ).position;
      }
      await projected(t, position);
      const [a, b] = await Promise.all([
        runAlerts(t),
        request(second.getHttpServer())
          .post('/alerts/scheduler/run')
          .set('Authorization', `Bearer ${await t.tokenFor({ sub: 's', roles: ['system'] })}`)
          .expect(200)
          .then((r) => r.body as { raised: number }),
      ]);
      expect(a.raised + b.raised).toBe(12);
      const feed = (await request(t.server).get('/alerts/feed?limit=1000').expect(200)).body.items;
      const ids = new Set(feed.map((x: { alertId: string }) => x.alertId));
      expect(ids.size).toBe(12);
      second.get(AlertDelivery).poke();
      t.app.get(AlertDelivery).poke();
      await receiver.until(() => receiver.deliveredIds().size === 12, 'twelve deliveries');
      await new Promise((done) => setTimeout(done, 300));
      expect([...receiver.deliveredIds().keys()].sort()).toEqual([...ids].sort());
      // At-least-once: a delivery whose lease ran out on a stalled machine may come twice, but
      // never under another id. Every request for an id carried the same body.
      for (const id of ids) {
        const bodies = new Set(receiver.requests.filter((r) => r.id === id).map((r) => r.body));
        expect(bodies.size).toBe(1);
      }
    } finally {
      await second.close();
    }
  });

  it('an API killed mid-delivery delivers after a restart, with the same id', async () => {
    // This instance stops delivering: the child processes do it.
    await t.app.get(AlertDelivery).onModuleDestroy();
    receiver.requests.length = 0;
    receiver.answer = () => 'hang';
    const person = (
      await request(t.server)
        .post('/persons')
        .send({ cpr: fakeCpr('1981-02-02'), name: 'Pia' })
        .expect(201)
    ).body.personId as string;
    const inquiry = await recordInquiry(
      t,
      person,
      undefined,
      new Date(clock.now().getTime() - 3 * 86_400_000),
    );
    await projected(t, inquiry.position);
    expect((await runAlerts(t)).raised).toBe(1);

    const started = startChild(t);
    child = started;
    await started.ready;
    await receiver.until(() => receiver.requests.length === 1, 'the first attempt');
    const firstId = receiver.requests[0]!.id;
    const exited = new Promise((done) => child!.once('exit', done));
    child.kill('SIGKILL');
    await exited;
    child = null;
    // Restarted (here in this process, which starts faster than a second child).
    receiver.answer = () => 200;
    const restarted = await createApp({
      config: t.app.get<AppConfig>(APP_CONFIG),
      clock,
      logger: false,
    });
    await restarted.init();
    try {
      await receiver.until(
        () => receiver.deliveredIds().has(firstId),
        'the delivery after restart',
        30_000,
      );
      expect(receiver.requests.map((r) => r.id)).toEqual([firstId, firstId]);
    } finally {
      await restarted.close();
    }
  }, 90_000);
});

/** The API in its own process on the test's database (no HTTP port: the delivery loop runs). */
function startChild(t: TestApp): ChildProcess & { ready: Promise<void> } {
  const config = t.app.get<AppConfig>(APP_CONFIG);
  const started = spawn(
    process.execPath,
    ['-r', '@swc-node/register', resolve(__dirname, 'alerts-api.child.ts')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: resolve(__dirname, '../tsconfig.json'),
        ALERTS_CHILD_CONFIG: JSON.stringify({
          ...config,
          personData: { masterKey: config.personData.masterKey?.toString('base64') ?? null },
        }),
      },
    },
  );
  let stderr = '';
  started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((done, fail) => {
    createInterface({ input: started.stdout }).on('line', (line) => line === 'READY' && done());
    started.once('exit', (code) => fail(new Error(`child exited (${code}): ${stderr}`)));
  });
  return Object.assign(started, { ready });
}

import { EVENT_STORE, parsePosition, type EventStore } from '@tovholder/event-store';
import { transitionStream } from '@tovholder/domain';
import { CheckpointWatcher } from '@tovholder/read-models';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TransitionScheduler } from '../apps/api/src/transitions/transition-scheduler.service';
import { FAST_ALERTS, Receiver, runAlerts, verifiedByReceiver } from './alerts-support';
import { fakeCpr, openCase, registerCaseworker } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Alert {
  alertId: string;
  type: string;
  code: string;
  subject: { kind: string; id: string; partId: string | null; caseId: string | null };
  responsible: { role: string; departmentId: string; caseworkerId: string | null };
  status: string;
  since: string;
}

const DAY = 86_400_000;

/** The coordination and transition flags as alerts: raised, stopped, to whom, and a bad subject. */
describe('alerts of coordination and transition flags', () => {
  const clock = new ManualClock(new Date('2026-12-07T10:00:00.000Z')); // a Monday
  let t: TestApp;
  let receiver: Receiver;
  let secret: string;
  const people: { cpr: string; name: string }[] = [];

  /** Until the alert schedule and the projections its marks wait for have the command's event. */
  async function projected(position: string): Promise<void> {
    const watcher = t.app.get(CheckpointWatcher);
    for (const projector of ['alert-schedule', 'family-coordination', 'transitions', 'casework']) {
      await watcher.waitFor(projector, parsePosition(position)!, 20_000);
    }
  }

  async function person(birthDate: string, name: string): Promise<string> {
    for (;;) {
      const cpr = fakeCpr(birthDate);
      const response = await request(t.server).post('/persons').send({ cpr, name });
      if (response.status === 201) {
        people.push({ cpr, name });
        return response.body.personId as string;
      }
      if (response.status !== 409) throw new Error(`person: ${response.status}`);
    }
  }

  async function familyOf(...members: string[]): Promise<string> {
    const familyId = (await request(t.server).post('/families').send({}).expect(201)).body
      .familyId as string;
    for (const personId of members) {
      await request(t.server)
        .post(`/families/${familyId}/members`)
        .send({ personId, role: 'child' })
        .expect(201);
    }
    return familyId;
  }

  async function alertsOn(subjectId: string): Promise<Alert[]> {
    const all = await request(t.server).get('/alerts?responsible=all&status=all&limit=100');
    return (all.body.items as Alert[]).filter((a) => a.subject.id === subjectId);
  }

  beforeAll(async () => {
    t = await startTestApp({ clock, config: { alerts: FAST_ALERTS } });
    receiver = await Receiver.start();
    secret = (
      await request(t.server).post('/alert-subscriptions').send({ url: receiver.url }).expect(201)
    ).body.secret as string;
  });

  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('a caseworker change 10 days back that nobody told raises CASEWORKER_CHANGE_NOT_TOLD in one run; telling the family stops it', async () => {
    const now = clock.now();
    clock.set(new Date(now.getTime() - 20 * DAY));
    const child = await person('2014-06-01', 'Frida Flyttesen');
    await familyOf(child);
    const a = await registerCaseworker(t, 'CBU', 'Anne Gammel');
    const b = await registerCaseworker(t, 'CBU', 'Bo Ny');
    const { caseId } = await openCase(t, child, 'CBU');
    await request(t.server)
      .post(`/cases/${caseId}/caseworker`)
      .send({ caseworkerId: a })
      .expect(200);
    clock.set(now);
    // Friday 27 November; five working days end with Friday 4 December.
    const changed = await request(t.server)
      .post(`/cases/${caseId}/caseworker/change`)
      .send({
        toCaseworkerId: b,
        reason: 'leave',
        at: new Date(now.getTime() - 10 * DAY).toISOString(),
      })
      .expect(200);
    await projected(changed.body.position as string);

    expect(await runAlerts(t)).toMatchObject({ raised: 1, failed: 0 });
    const [raised, ...more] = await alertsOn(caseId);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({
      type: 'alert.raised',
      code: 'CASEWORKER_CHANGE_NOT_TOLD',
      subject: { kind: 'case', id: caseId, caseId },
      responsible: { role: 'caseworker', caseworkerId: b, departmentId: 'CBU' },
      status: 'open',
    });
    expect(raised!.since.startsWith('2026-12-04T')).toBe(true);
    // The new caseworker's worklist has it.
    const token = await t.tokenFor({
      sub: 'bo',
      roles: ['caseworker'],
      department: 'CBU',
      caseworker_id: b,
    });
    const worklist = await request(t.server)
      .get('/alerts?responsible=me&status=open')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    expect(worklist.body.items.map((x: Alert) => x.alertId)).toEqual([raised!.alertId]);
    await receiver.until(() => receiver.deliveredIds().has(raised!.alertId), 'the raised alert');
    const delivered = receiver.requests.find((r) => r.id === raised!.alertId)!;
    expect(verifiedByReceiver(secret, delivered)).toBe(true);
    expect((await runAlerts(t)).raised).toBe(0);

    const told = await request(t.server)
      .post(`/cases/${caseId}/caseworker/told`)
      .send({ channel: 'phone' })
      .expect(200);
    await projected(told.body.position as string);
    expect(await runAlerts(t)).toMatchObject({ raised: 0, stopped: 1 });
    const after = await alertsOn(caseId);
    const stopped = after.find((x) => x.type === 'alert.stopped');
    expect(stopped).toMatchObject({
      code: 'CASEWORKER_CHANGE_NOT_TOLD',
      responsible: { role: 'caseworker', caseworkerId: b },
      status: 'closed',
    });
    expect(after.find((x) => x.alertId === raised!.alertId)?.status).toBe('closed');
    await receiver.until(() => receiver.deliveredIds().has(stopped!.alertId), 'the stopped alert');
  });

  it('a family with open cases in two departments and no primary contact alerts both desks; assigning one stops both', async () => {
    const older = await person('2012-02-02', 'Gustav Tosagsen');
    const younger = await person('2016-03-03', 'Hanne Tosagsen');
    const familyId = await familyOf(older, younger);
    await openCase(t, older, 'CBU');
    const second = await openCase(t, younger, 'CHP');
    await projected(second.position);

    expect((await runAlerts(t)).raised).toBe(2);
    const raised = await alertsOn(familyId);
    expect(
      raised.map((x) => [x.code, x.responsible.role, x.responsible.departmentId]).sort(),
    ).toEqual([
      ['MISSING_PRIMARY_CONTACT', 'department', 'CBU'],
      ['MISSING_PRIMARY_CONTACT', 'department', 'CHP'],
    ]);

    const contact = await registerCaseworker(t, 'CHP', 'Ida Tovholder');
    const assigned = await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: contact })
      .expect(200);
    await projected(assigned.body.position as string);
    expect(await runAlerts(t)).toMatchObject({ raised: 0, stopped: 2 });
    expect((await alertsOn(familyId)).every((x) => x.status === 'closed')).toBe(true);
  });

  it('a young person 16 for over a month with no transition started raises NOT_STARTED to the youth unit', async () => {
    // 16 on 28 October 2026; 30 days' grace ended on 27 November.
    const youth = await person('2010-10-28', 'Jonas Overgang');
    const opened = await openCase(t, youth, 'CHP', 'disability-support');
    await projected(opened.position);
    expect(await t.app.get(TransitionScheduler).run()).toMatchObject({ recorded: 1 });
    // The due event reaches the alert run through the schedule's projection. Wait for that
    // event itself: the log's visible head can still be short of it while older transactions
    // elsewhere in the cluster are open.
    const stream = await t.app.get<EventStore>(EVENT_STORE).readStream(transitionStream(youth));
    const due = stream[stream.length - 1]!;
    await t.app.get(CheckpointWatcher).waitFor('alert-schedule', due.position, 20_000);
    const run = await runAlerts(t);
    // It held from 28 November: its two working days to be acknowledged have passed as well.
    expect(run).toMatchObject({ raised: 1, escalated: 1 });
    const alerts = await alertsOn(youth);
    const alert = alerts.find((x) => x.type === 'alert.raised');
    expect(alerts.find((x) => x.type === 'alert.escalated')?.responsible).toEqual({
      role: 'team-leader',
      departmentId: 'UNGEENHEDEN',
      caseworkerId: null,
    });
    expect(alert).toMatchObject({
      code: 'NOT_STARTED',
      subject: { kind: 'transition', id: youth },
      responsible: { role: 'youth-unit', departmentId: 'UNGEENHEDEN', caseworkerId: null },
      since: '2026-11-27T23:00:00.000Z',
    });
    const unit = await t.tokenFor({
      sub: 'unge',
      roles: ['youth-unit'],
      department: 'UNGEENHEDEN',
    });
    const worklist = await request(t.server)
      .get('/alerts?responsible=me&code=NOT_STARTED')
      .set('Authorization', `Bearer ${unit}`)
      .expect(200);
    expect(worklist.body.items.map((x: Alert) => x.alertId)).toEqual([alert!.alertId]);
    await request(t.server)
      .post(`/alerts/${alert!.alertId}/acknowledgement`)
      .set('Authorization', `Bearer ${unit}`)
      .expect(200);
  });

  it('a subject that cannot be judged is recorded by id and counted; the run judges the others', async () => {
    // A record whose stored facts cannot be judged (no receipt), marked for the run.
    const broken = randomUUID();
    await t.app.get(DataSource).query(
      `INSERT INTO casework_records (kind, record_id, events, facts, last_revision, outstanding)
       VALUES ('inquiry', $1, '[]'::json, $2::json, 0, false)`,
      [broken, JSON.stringify({ inquiryId: broken })],
    );
    await t.app.get(DataSource).query(
      `INSERT INTO alert_schedule (kind, record_id, events, version, changed)
       VALUES ('inquiry', $1, '[]'::json, 1, true)`,
      [broken],
    );
    const personId = await person('1990-03-14', 'Kirsten Fejlfri');
    const inquiry = await request(t.server)
      .post('/inquiries')
      .send({
        personId,
        departmentId: 'CBU',
        channel: 'e-mail',
        at: new Date(clock.now().getTime() - 3 * DAY).toISOString(),
      })
      .expect(201);
    await projected(inquiry.body.position as string);

    expect(await runAlerts(t)).toMatchObject({ raised: 1, failed: 1 });
    expect((await alertsOn(inquiry.body.inquiryId as string)).map((a) => a.code)).toEqual([
      'ACK_OVERDUE',
    ]);
    const [row] = await t.app
      .get(DataSource)
      .query<{ changed: boolean; last_error: string; failed_at: Date | null }[]>(
        'SELECT changed, last_error, failed_at FROM alert_schedule WHERE record_id = $1',
        [broken],
      );
    expect(row).toMatchObject({ changed: true, last_error: 'TypeError' });
    expect(row!.failed_at).not.toBeNull();
    const metrics = await request(t.server).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/tovholder_alert_subjects_failed_total\{kind="inquiry"\} 1\b/);
    // Tried again next run, still alone.
    expect(await runAlerts(t)).toMatchObject({ raised: 0, failed: 1 });
    await t.app.get(DataSource).query('DELETE FROM alert_schedule WHERE record_id = $1', [broken]);
    await t.app
      .get(DataSource)
      .query('DELETE FROM casework_records WHERE record_id = $1', [broken]);
  });

  it('a flag stored by an earlier version (without its subject) still stops, to the holder now', async () => {
    const personId = await person('1991-04-15', 'Lise Tidligere');
    const inquiry = await request(t.server)
      .post('/inquiries')
      .send({
        personId,
        departmentId: 'CHP',
        channel: 'e-mail',
        at: new Date(clock.now().getTime() - 3 * DAY).toISOString(),
      })
      .expect(201);
    const inquiryId = inquiry.body.inquiryId as string;
    await projected(inquiry.body.position as string);
    expect((await runAlerts(t)).raised).toBe(1);
    // As the earlier version kept it: the flag's identity, severity and rule only.
    await t.app.get(DataSource).query(
      `UPDATE alert_subject_flags SET flags = (
         SELECT jsonb_agg(f - 'subject' - 'caseId' - 'personId' - 'since' - 'responsible')
           FROM jsonb_array_elements(flags) f)
        WHERE record_id = $1`,
      [inquiryId],
    );
    const ack = await request(t.server)
      .post(`/inquiries/${inquiryId}/acknowledgement`)
      .send({ channel: 'e-mail', answerPromisedBy: '2027-01-29' })
      .expect(200);
    await projected(ack.body.position as string);
    expect(await runAlerts(t)).toMatchObject({ stopped: 1 });
    const stopped = (await alertsOn(inquiryId)).find((a) => a.type === 'alert.stopped');
    expect(stopped).toMatchObject({
      code: 'ACK_OVERDUE',
      subject: { kind: 'inquiry', id: inquiryId },
      responsible: { role: 'department', departmentId: 'CHP' },
    });
  });

  it('no delivered body or feed item holds a CPR number or a name', async () => {
    const feed = (await request(t.server).get('/alerts/feed?limit=1000').expect(200)).text;
    const recorded = (JSON.parse(feed) as { items: unknown[] }).items.length;
    expect(recorded).toBeGreaterThanOrEqual(8);
    await receiver.until(() => receiver.deliveredIds().size === recorded, 'every alert delivered');
    const bodies = [...receiver.requests.map((r) => r.body), feed];
    for (const { cpr, name } of people) {
      for (const text of [cpr, cpr.replace('-', ''), ...name.split(' ')]) {
        for (const body of bodies) expect(body).not.toContain(text);
      }
    }
    for (const caseworker of ['Anne', 'Bo Ny', 'Ida', 'Tovholder']) {
      expect(bodies.join('\n')).not.toContain(caseworker);
    }
  });
});

// Personal data at rest and erasure (issue 7, part 5). A person whose CPR number and name reach
// the registry, a family, cases, a journal note and a meeting's pages is erased; then a sweep of
// every row of every table of the database finds neither their CPR number nor their name, the
// projections rebuild from the untouched events, and everything shows the person as erased.
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { rebuildProjection } from '@tovholder/read-models';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../apps/api/src/config/app-config';
import { PersonRegistry } from '../apps/api/src/persons/person-registry';
import { ProjectionsService } from '../apps/api/src/projections/projections.service';
import { createProjectors } from '../apps/api/src/read-models';
import { fakeCpr, openCase, registerPerson, untilLogHeadReaches } from './support/fixtures';
import { databaseDump, tablesHolding } from './support/sweep';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

describe('personal data at rest, and erasure', () => {
  let t: TestApp;
  // Monday 2 March 2026, 09:00 in Copenhagen.
  const clock = new ManualClock(new Date('2026-03-02T08:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (path: string, body: object = {}) => request(t.server).post(path).send(body);

  /** Registers a person with a made-up CPR number; returns both (the test needs the number). */
  async function register(birthDate: string, name: string) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const cpr = fakeCpr(birthDate);
      const response = await post('/persons', { cpr, name });
      if (response.status === 201) {
        return { personId: response.body.personId as string, cpr, plain: cpr.replace('-', '') };
      }
    }
    throw new Error('could not find a free made-up CPR number');
  }

  it('stores CPR numbers and names sealed; erasure leaves neither anywhere; projections rebuild', async () => {
    const name = 'Sigrun Ellinor Quistgaard-Bæk';
    const siblingName = 'Hjalte Quistgaard-Bæk';
    // Turns 16 on 7 April 2026: on the agenda of the March meeting (turning 16, not started).
    const erased = await register('2010-04-07', name);
    const sibling = await registerPerson(t, '2012-09-01', siblingName);
    const cprSpellings = [
      erased.plain,
      erased.cpr,
      `${erased.plain.slice(0, 6)} ${erased.plain.slice(6)}`,
    ];

    const familyId = (await post('/families').expect(201)).body.familyId as string;
    await post(`/families/${familyId}/members`, {
      personId: erased.personId,
      role: 'child',
    }).expect(201);
    await post(`/families/${familyId}/members`, { personId: sibling, role: 'child' }).expect(201);
    const { caseId } = await openCase(t, erased.personId, 'CHP', 'disability-support');
    await openCase(t, erased.personId, 'CBU', 'child-support');
    // A journal note naming the person, their CPR number and their brother.
    const note = `Telefon med mor om ${name} (${erased.cpr}). ${siblingName} går i 4. klasse.`;
    await post(`/cases/${caseId}/journal/contacts`, {
      occurredAt: '2026-03-02T07:30:00.000Z',
      channel: 'phone',
      direction: 'from-citizen',
      subject: 'Opfølgning',
      containsPersonalData: true,
      note,
    }).expect(201);

    // A meeting whose agenda shows the family and the young person by name.
    const planned = await post('/meetings', { date: '2026-03-12' }).expect(201);
    const meetingId = planned.body.meetingId as string;
    clock.set(new Date('2026-03-06T08:00:00.000Z'));
    await untilLogHeadReaches(t, planned.body.position as string);
    const frozen = await post(`/meetings/${meetingId}/agenda/freeze`).expect(200);
    const agendaPage = async (position?: string) =>
      (
        await request(t.server)
          .get(`/meetings/${meetingId}/agenda.html`)
          .query(position ? { waitForPosition: position } : {})
          .expect(200)
      ).text;
    const before = await agendaPage(frozen.body.position as string);
    expect(before).toContain(`Familien ${siblingName}, ${name}`);
    expect(before).toContain(`>${name}<`);

    // The registry answers with the name; lookup by CPR works (through the keyed hash).
    expect((await request(t.server).get(`/persons/${erased.personId}`).expect(200)).body).toEqual({
      personId: erased.personId,
      birthDate: '2010-04-07',
      name,
      exemptFromDigitalPost: false,
      erased: false,
    });
    for (const cpr of [erased.cpr, erased.plain]) {
      const found = await post('/persons/lookup', { cpr }).set('Idempotency-Key', `lookup-${cpr}`);
      expect(found.status).toBe(200);
      expect(found.body.personId).toBe(erased.personId);
    }
    // A retried registration is idempotent by itself, and keeps no stored answer.
    const again = await post('/persons', { cpr: erased.cpr, name })
      .set('Idempotency-Key', 'register-again')
      .expect(409);
    expect(again.body).toMatchObject({
      code: 'PERSON.ALREADY_REGISTERED',
      details: { personId: erased.personId },
    });

    // At rest, before erasure: only the journal note holds them in plain text (it is free
    // text); the registry holds ciphertexts, the events ids. This also shows the sweep finds.
    const dumpBefore = await databaseDump(t.databaseUrl);
    expect(tablesHolding(dumpBefore, cprSpellings)).toEqual(['public.journal_notes']);
    expect(tablesHolding(dumpBefore, [name])).toEqual(['public.journal_notes']);
    expect(tablesHolding(dumpBefore, [siblingName])).toEqual(['public.journal_notes']);
    expect(tablesHolding(dumpBefore, [erased.personId])).toEqual(
      expect.arrayContaining(['event_store.events', 'public.persons', 'public.person_keys']),
    );
    expect(
      [...(dumpBefore.get('public.idempotency_records') ?? [])].filter((row) =>
        row.includes('/persons'),
      ),
    ).toEqual([]);

    // Refusals: the field named, nothing echoed, nothing erased.
    const erasure = `/persons/${erased.personId}/erasure`;
    const missing = await post(erasure, {}).expect(400);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ field: 'reason' }),
      expect.objectContaining({ field: 'reason' }),
    ]);
    for (const reason of [`Fejlregistrering af ${name.toUpperCase()}`, `Fejl: ${erased.cpr}`]) {
      const refused = await post(erasure, { reason }).expect(400);
      expect(refused.body.errors).toEqual([{ field: 'reason', reason: expect.any(String) }]);
      expect(JSON.stringify(refused.body)).not.toContain(erased.plain.slice(6));
      expect(JSON.stringify(refused.body)).not.toContain('Sigrun');
    }
    await post('/persons/00000000-0000-4000-8000-000000000000/erasure', { reason: 'x' }).expect(
      404,
    );
    await request(t.server).get(`/persons/${erased.personId}`).expect(200);

    // The erasure, by an admin; a second call answers the same.
    clock.set(new Date('2026-03-09T09:00:00.000Z'));
    const reason = 'Registreret ved en fejl (sag 2026-17)';
    const admin = await t.tokenFor({ sub: 'test-admin', roles: ['admin'] });
    const caseworker = await t.tokenFor({ sub: 'cw', roles: ['caseworker'], department: 'CBU' });
    await request(t.server)
      .post(erasure)
      .set('Authorization', `Bearer ${caseworker}`)
      .send({ reason })
      .expect(403);
    const done = await request(t.server)
      .post(erasure)
      .set('Authorization', `Bearer ${admin}`)
      .send({ reason })
      .expect(200);
    const erasedView = {
      personId: erased.personId,
      birthDate: '2010-04-07',
      exemptFromDigitalPost: false,
      erased: true,
      erasedAt: '2026-03-09T09:00:00.000Z',
      erasedBy: 'test-admin',
      erasureReason: reason,
    };
    expect(done.body).toEqual(erasedView);
    clock.set(new Date('2026-03-09T10:00:00.000Z'));
    expect((await post(erasure, { reason: 'another reason' }).expect(200)).body).toEqual(
      erasedView,
    );
    expect((await request(t.server).get(`/persons/${erased.personId}`).expect(200)).body).toEqual(
      erasedView,
    );
    await post('/persons/lookup', { cpr: erased.cpr }).expect(404);
    await request(t.server)
      .put(`/persons/${erased.personId}/digital-post`)
      .send({ exempt: true })
      .expect(409);
    // Nothing new is recorded about an erased person.
    const newCase = await post('/cases', {
      personId: erased.personId,
      departmentId: 'CBU',
      caseType: 'support',
    }).expect(409);
    expect(newCase.body).toMatchObject({ code: 'PERSON.ERASED' });

    // Pages: the young person is "Slettet person", the family is named by who is left.
    const after = await agendaPage();
    expect(after).not.toContain('Sigrun');
    expect(after).toContain('Slettet person');
    expect(after).toContain(`Familien ${siblingName}`);
    // The note lost the CPR number and the name, not the brother.
    const journal = await request(t.server).get(`/cases/${caseId}/journal`).expect(200);
    const noteId = (journal.body.entries as { noteId?: string | null }[]).find(
      (e) => e.noteId,
    )?.noteId;
    const stored = await request(t.server)
      .get(`/cases/${caseId}/journal/notes/${noteId}`)
      .expect(200);
    expect(stored.body.content).toBe(
      `Telefon med mor om [slettet] ([slettet]). ${siblingName} går i 4. klasse.`,
    );

    // The dump: neither CPR number nor name anywhere; the brother's name still in his note.
    const dumpAfter = await databaseDump(t.databaseUrl);
    expect(tablesHolding(dumpAfter, cprSpellings)).toEqual([]);
    expect(tablesHolding(dumpAfter, [name])).toEqual([]);
    expect(tablesHolding(dumpAfter, [siblingName])).toEqual(['public.journal_notes']);
    const [personRow] =
      dumpAfter.get('public.persons')?.filter((row) => row.includes(erased.personId)) ?? [];
    expect(personRow).toBeDefined();
    expect(tablesHolding(dumpAfter, [erased.personId])).not.toContain('public.person_keys');

    // Every projection rebuilds from the untouched events and still shows the person erased.
    // As `npm run rebuild-projection -- --all` with the API stopped: the app's runners stop,
    // this process replays the log, then the runners go on.
    const dataSource = t.app.get(DataSource);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const { runners } = t.app.get(ProjectionsService);
    await Promise.all(runners.map((runner) => runner.stop()));
    let replayed = 0;
    for (const projector of createProjectors(loadConfig({}))) {
      const result = await rebuildProjection(dataSource, store, projector);
      expect(result.replayedBy).toBe('here');
      replayed += result.events;
    }
    expect(replayed).toBeGreaterThan(0);
    runners.forEach((runner) => runner.start());
    const parked = await dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM parked_events',
    );
    expect(parked).toEqual([{ n: 0 }]);
    const family = await request(t.server).get(`/families/${familyId}`).expect(200);
    expect(JSON.stringify(family.body)).toContain(erased.personId);
    const transition = await request(t.server).get(`/transitions/${erased.personId}`).expect(200);
    expect(transition.body).toMatchObject({ personId: erased.personId });
    const rebuilt = await agendaPage();
    expect(rebuilt).toContain('Slettet person');
    expect(rebuilt).not.toContain('Sigrun');
    const dumpRebuilt = await databaseDump(t.databaseUrl);
    expect(tablesHolding(dumpRebuilt, [...cprSpellings, name])).toEqual([]);
  });

  it('seals rows stored in plain text before encryption, at start-up', async () => {
    const cpr = fakeCpr('1990-06-15').replace('-', '');
    const personId = '11111111-1111-4111-8111-111111111111';
    const dataSource = t.app.get(DataSource);
    await dataSource.query(
      `INSERT INTO persons (person_id, plain_cpr, plain_name, birth_date, created_at)
       VALUES ($1, $2, 'Legacy Lauritsen', '1990-06-15', now())`,
      [personId, cpr],
    );
    expect(await t.app.get(PersonRegistry).encryptPlainRows()).toBe(1);
    const found = await post('/persons/lookup', { cpr }).expect(200);
    expect(found.body).toMatchObject({ personId, name: 'Legacy Lauritsen', erased: false });
    const dump = await databaseDump(t.databaseUrl);
    expect(tablesHolding(dump, [cpr, 'Legacy Lauritsen'])).toEqual([]);
    expect(await t.app.get(PersonRegistry).encryptPlainRows()).toBe(0);
  });

  it('does not open a key wrapped by another master key', async () => {
    const { personId } = await register('1985-01-20', 'Other Key');
    // As if the app had been started with another PERSON_DATA_MASTER_KEY.
    await t.app
      .get(DataSource)
      .query("UPDATE person_keys SET master_key_id = 'ffffffffffffffff' WHERE person_id = $1", [
        personId,
      ]);
    const response = await request(t.server).get(`/persons/${personId}`).expect(500);
    expect(JSON.stringify(response.body)).not.toContain('Other Key');
  });
});

import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { fakeCpr, openCase, registerPerson } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface Flag {
  code: string;
  dueDate: string;
  severity: string;
  kind: string;
  recordId: string;
  details: { entryId?: string };
}

interface Journal {
  caseId: string;
  entries: Record<string, unknown>[];
  flags: Flag[];
}

const UNKNOWN_ID = '7d0b7d1e-0000-4000-8000-000000000000';

describe('the case journal over HTTP: NOTE_MISSING and INSECURE_CHANNEL; note content kept out of events', () => {
  let t: TestApp;
  // Thursday 5 March 2026, 10:00 in Copenhagen.
  const clock = new ManualClock(new Date('2026-03-05T09:00:00.000Z'));
  beforeAll(async () => {
    t = await startTestApp({ clock });
  });
  afterAll(async () => {
    await t.close();
  });

  const newCase = async (): Promise<string> => {
    const citizen = await registerPerson(t, '1987-10-14');
    return (await openCase(t, citizen, 'CBU')).caseId;
  };

  const journalOf = async (caseId: string, position?: string): Promise<Journal> =>
    (
      await request(t.server)
        .get(`/cases/${caseId}/journal`)
        .query(position ? { waitForPosition: position } : {})
        .expect(200)
    ).body as Journal;

  /** Every event in the store: stream, type, data and metadata as stored. */
  const allEvents = async (): Promise<string> =>
    JSON.stringify(
      (await t.app.get<EventStore>(EVENT_STORE).readAll(null, 10_000)).map(
        ({ streamId, type, data, metadata }) => ({ streamId, type, data, metadata }),
      ),
    );

  const notesOf = async (caseId: string): Promise<number> => {
    const [row] = await t.app
      .get(DataSource)
      .query<{ n: number }[]>('SELECT count(*)::int AS n FROM journal_notes WHERE case_id = $1', [
        caseId,
      ]);
    return row?.n ?? -1;
  };

  it('a phone call without a note: NOTE_MISSING after 3 working days, cleared by the note', async () => {
    clock.set(new Date('2026-03-05T09:00:00.000Z'));
    const caseId = await newCase();
    const contact = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:30:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: 'Question about support',
        containsPersonalData: true,
      })
      .expect(201);
    const entryId = contact.body.entryId as string;
    expect(contact.body.noteId).toBeNull();
    expect(contact.body.position).toEqual(expect.any(String));
    expect((await journalOf(caseId, contact.body.position)).flags).toEqual([]);

    // Friday, Monday, Tuesday: Tuesday 10 March is the last day to write the note.
    clock.set(new Date('2026-03-10T21:00:00.000Z'));
    expect((await journalOf(caseId)).flags).toEqual([]);
    clock.set(new Date('2026-03-11T08:00:00.000Z'));
    expect((await journalOf(caseId)).flags).toEqual([
      expect.objectContaining({
        kind: 'journal',
        recordId: caseId,
        code: 'NOTE_MISSING',
        dueDate: '2026-03-10',
        severity: 'overdue',
        details: { entryId },
      }),
    ]);
    const listed = await request(t.server).get('/casework/flags').query({ caseId }).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        kind: 'journal',
        recordId: caseId,
        code: 'NOTE_MISSING',
        caseId,
        departmentId: 'CBU',
      }),
    ]);

    const content = `The citizen asked when the decision comes (${caseId.slice(0, 8)})`;
    const noted = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts/${entryId}/note`)
      .send({ note: content })
      .expect(200);
    const noteId = noted.body.noteId as string;
    const journal = await journalOf(caseId, noted.body.position);
    expect(journal.flags).toEqual([]);
    expect(journal.entries).toEqual([
      expect.objectContaining({
        entryId,
        type: 'contact',
        occurredAt: '2026-03-05T08:30:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: 'Question about support',
        hasNote: true,
        noteId,
      }),
    ]);
    expect(JSON.stringify(journal)).not.toContain(content);
    const note = await request(t.server)
      .get(`/cases/${caseId}/journal/notes/${noteId}`)
      .expect(200);
    expect(note.body).toEqual(expect.objectContaining({ noteId, caseId, entryId, content }));
    expect(await allEvents()).not.toContain(content);
    const after = await request(t.server)
      .get('/casework/flags')
      .query({ caseId, waitForPosition: noted.body.position })
      .expect(200);
    expect(after.body.items).toEqual([]);

    // One note per contact: a second one is refused and its content is not kept.
    const second = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts/${entryId}/note`)
      .send({ note: 'a second note' })
      .expect(409);
    expect(second.body.code).toBe('JOURNAL.NOTE_ALREADY_RECORDED');
    expect(await notesOf(caseId)).toBe(1);
  });

  it('personal data by ordinary e-mail: INSECURE_CHANNEL at once, cleared when reported as a breach', async () => {
    clock.set(new Date('2026-03-05T09:00:00.000Z'));
    const caseId = await newCase();
    const content = `Sent the assessment to the citizen by e-mail (${caseId.slice(0, 8)})`;
    const contact = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:45:00.000Z',
        channel: 'e-mail',
        direction: 'to-citizen',
        subject: 'Assessment sent',
        containsPersonalData: true,
        note: content,
      })
      .expect(201);
    const entryId = contact.body.entryId as string;
    const noteId = contact.body.noteId as string;
    expect(noteId).toEqual(expect.any(String));
    expect((await journalOf(caseId, contact.body.position)).flags).toEqual([
      expect.objectContaining({
        code: 'INSECURE_CHANNEL',
        dueDate: '2026-03-05',
        details: { entryId },
      }),
    ]);
    const listed = await request(t.server)
      .get('/casework/flags')
      .query({ caseId, kind: 'journal' })
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ kind: 'journal', code: 'INSECURE_CHANNEL', caseId }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(content);
    expect(await allEvents()).not.toContain(content);
    expect(await allEvents()).toContain(noteId);

    // A phone call is no insecure sending: nothing to handle.
    const call = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:50:00.000Z',
        channel: 'phone',
        direction: 'to-citizen',
        subject: 'Assessment explained',
        containsPersonalData: true,
        note: 'explained the assessment',
      })
      .expect(201);
    const notInsecure = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts/${call.body.entryId}/insecure-sending`)
      .send({ action: 'reported-as-breach' })
      .expect(409);
    expect(notInsecure.body.code).toBe('JOURNAL.NOT_AN_INSECURE_SENDING');

    const handled = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts/${entryId}/insecure-sending`)
      .send({ action: 'reported-as-breach' })
      .expect(200);
    const journal = await journalOf(caseId, handled.body.position);
    expect(journal.flags).toEqual([]);
    expect(journal.entries[0]).toEqual(
      expect.objectContaining({
        entryId,
        insecureSendingHandled: expect.objectContaining({ action: 'reported-as-breach' }),
      }),
    );
    const after = await request(t.server)
      .get('/casework/flags')
      .query({ caseId, waitForPosition: handled.body.position })
      .expect(200);
    expect(after.body.items).toEqual([]);
  });

  it('refuses a subject that looks like a CPR number without echoing it, and keeps no note of it', async () => {
    clock.set(new Date('2026-03-05T09:00:00.000Z'));
    const caseId = await newCase();
    const cpr = fakeCpr('1990-05-05');
    const refused = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:30:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: `Call about ${cpr}`,
        containsPersonalData: true,
        note: 'a note that must not be kept',
      })
      .expect(422);
    expect(refused.body.code).toBe('JOURNAL.SUBJECT_MAY_CONTAIN_PERSONAL_DATA');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'subject' })]);
    const body = JSON.stringify(refused.body);
    expect(body).not.toContain(cpr);
    expect(body).not.toContain(cpr.replace('-', ''));
    expect(await notesOf(caseId)).toBe(0); // written first, deleted when the append was refused
    expect(await allEvents()).not.toContain(cpr);

    // The same for a document's subject, without the dash.
    const document = await request(t.server)
      .post(`/cases/${caseId}/journal/documents`)
      .send({ documentDate: '2026-03-04', kind: 'letter', subject: cpr.replace('-', '') })
      .expect(422);
    expect(JSON.stringify(document.body)).not.toContain(cpr.replace('-', ''));

    // Too long a subject or note: a 400 naming the field, never quoting it.
    const long = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:30:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: 's'.repeat(121),
        containsPersonalData: false,
        note: 'n'.repeat(20_001),
      })
      .expect(400);
    expect(long.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'subject' }),
        expect.objectContaining({ field: 'note', reason: 'note must be at most 20000 characters' }),
      ]),
    );
    expect(JSON.stringify(long.body)).not.toContain('nnnnnnnnnn');
    expect(await notesOf(caseId)).toBe(0);
  });

  it('documents and contacts in order; an empty journal for a case without one; 404s', async () => {
    clock.set(new Date('2026-03-05T09:00:00.000Z'));
    const caseId = await newCase();
    expect(await journalOf(caseId)).toEqual({ caseId, entries: [], flags: [] });

    const document = await request(t.server)
      .post(`/cases/${caseId}/journal/documents`)
      .send({ documentDate: '2026-03-04', kind: 'statement', subject: 'Statement from school' })
      .expect(201);
    expect(document.body).toEqual(
      expect.objectContaining({ entryId: expect.any(String), position: expect.any(String) }),
    );
    const sms = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:00:00.000Z',
        channel: 'sms',
        direction: 'to-citizen',
        subject: 'Meeting reminder',
        containsPersonalData: false,
        note: 'Reminded of the meeting on Monday',
      })
      .expect(201);
    const journal = await journalOf(caseId, sms.body.position);
    expect(journal.entries).toEqual([
      expect.objectContaining({
        entryId: document.body.entryId,
        type: 'document',
        documentDate: '2026-03-04',
        kind: 'statement',
        subject: 'Statement from school',
      }),
      expect.objectContaining({
        entryId: sms.body.entryId,
        type: 'contact',
        channel: 'sms',
        hasNote: true,
        noteId: sms.body.noteId,
      }),
    ]);
    // An SMS with its note is not flagged, however late it is read.
    clock.set(new Date('2026-06-01T08:00:00.000Z'));
    expect((await journalOf(caseId)).flags).toEqual([]);

    const future = await request(t.server)
      .post(`/cases/${caseId}/journal/documents`)
      .send({ documentDate: '2026-06-02', kind: 'letter', subject: 'Letter' })
      .expect(422);
    expect(future.body.code).toBe('JOURNAL.INVALID_DOCUMENT_DATE');
    const bad = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts`)
      .send({ occurredAt: 'yesterday', channel: 'pigeon', direction: 'up', subject: 'x' })
      .expect(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'occurredAt' }),
        expect.objectContaining({ field: 'channel' }),
        expect.objectContaining({ field: 'direction' }),
        expect.objectContaining({ field: 'containsPersonalData' }),
      ]),
    );

    const noCase = await request(t.server)
      .post(`/cases/${UNKNOWN_ID}/journal/contacts`)
      .send({
        occurredAt: '2026-03-05T08:00:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: 'Call',
        containsPersonalData: false,
        note: 'a note for no case',
      })
      .expect(404);
    expect(noCase.body.code).toBe('CASE.NOT_FOUND');
    await request(t.server).get(`/cases/${UNKNOWN_ID}/journal`).expect(404);
    await request(t.server).get('/cases/not-an-id/journal').expect(404);
    const noEntry = await request(t.server)
      .post(`/cases/${caseId}/journal/contacts/${UNKNOWN_ID}/note`)
      .send({ note: 'for no entry' })
      .expect(404);
    expect(noEntry.body.code).toBe('JOURNAL.ENTRY_NOT_FOUND');
    expect(await notesOf(caseId)).toBe(1); // only the SMS's
    await request(t.server).get(`/cases/${caseId}/journal/notes/${UNKNOWN_ID}`).expect(404);
    // A note is read only through its own case.
    const otherCase = await newCase();
    await request(t.server).get(`/cases/${otherCase}/journal/notes/${sms.body.noteId}`).expect(404);
  });
});

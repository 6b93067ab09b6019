import request from 'supertest';
import {
  openCase,
  registerCaseworker,
  registerPerson,
  untilLogHeadReaches,
} from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

interface AgendaItem {
  itemId: string;
  section: string;
  subject: { kind: string; id: string };
  familyId: string | null;
  personId: string | null;
  dueDate: string | null;
  flagCodes: string[];
  isNew: boolean;
  departmentIds: string[];
}
interface MeetingView {
  meetingId: string;
  planned: { date: string; chairDepartmentId: string; departmentIds: string[] };
  agenda: {
    previousMeetingId: string | null;
    itemCount: number;
    sections: { section: string; items: AgendaItem[] }[];
  } | null;
  minutes: {
    itemId: string;
    outcome: string;
    correction: { reason: string } | null;
  }[];
  agreements: { agreementId: string; status: string; overdue: boolean; familyId: string }[];
  approved: { approvedBy: string } | null;
  flags: { code: string }[];
}
interface Flag {
  kind: string;
  recordId: string;
  code: string;
  details: { agreementId?: string };
}

const SECTIONS = [
  'primary-contact-missing',
  'turning-16-not-started',
  'transition-flags',
  'overdue-duties',
  'open-agreements',
];

describe('the coordination meeting over HTTP: agenda, minutes, agreements, family extract', () => {
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

  async function newFamily(): Promise<string> {
    return (await post('/families').expect(201)).body.familyId as string;
  }
  async function addMember(familyId: string, personId: string, role: string): Promise<void> {
    await post(`/families/${familyId}/members`, { personId, role }).expect(201);
  }
  /** A family whose child has cases in two departments and no primary contact. */
  async function familyNeedingContact(birthDate: string) {
    const familyId = await newFamily();
    const child = await registerPerson(t, birthDate, 'Child');
    await addMember(familyId, child, 'child');
    await openCase(t, child, 'CBU', 'child-support');
    await openCase(t, child, 'CHP', 'support');
    return { familyId, child };
  }
  async function meeting(meetingId: string, position: string): Promise<MeetingView> {
    return (
      await request(t.server)
        .get(`/meetings/${meetingId}`)
        .query({ waitForPosition: position })
        .expect(200)
    ).body as MeetingView;
  }
  const itemsOf = (view: MeetingView) =>
    Object.fromEntries(
      (view.agenda?.sections ?? []).map(({ section, items }) => [
        section,
        items.map((item) => ({ id: item.subject.id, isNew: item.isNew })),
      ]),
    );
  const minutesPath = (meetingId: string, itemId: string, step = 'minutes') =>
    `/meetings/${meetingId}/items/${encodeURIComponent(itemId)}/${step}`;
  async function meetingFlags(position: string): Promise<Flag[]> {
    return (
      await request(t.server)
        .get('/casework/flags')
        .query({ kind: 'meeting', waitForPosition: position })
        .expect(200)
    ).body.items as Flag[];
  }

  it('plans, freezes a composed agenda, minutes and agreements, AGREEMENT_OVERDUE comes and goes, the family extract holds only the family', async () => {
    // Family A: a child in CBU and CHP, and a disabled young person turning 16 on 20 May.
    const a = await familyNeedingContact('2014-05-03');
    const young = await registerPerson(t, '2010-05-20', 'Young person');
    await addMember(a.familyId, young, 'young-person');
    await openCase(t, young, 'CHP', 'disability-support');
    // Family B the next day, and an inquiry about its child that nobody acknowledges.
    clock.set(new Date('2026-03-03T08:00:00.000Z'));
    const b = await familyNeedingContact('2013-08-09');
    const inquiryB = (
      await post('/inquiries', {
        personId: b.child,
        departmentId: 'CBU',
        channel: 'e-mail',
      }).expect(201)
    ).body.inquiryId as string;
    const caseworker = await registerCaseworker(t, 'CBU', 'Chair');

    // Plan the March meeting: defaults from the configuration, the cut-off five working days back.
    const planned = await post('/meetings', { date: '2026-03-12' }).expect(201);
    const march = planned.body.meetingId as string;
    expect(planned.body.agendaCutOffAt).toBe('2026-03-05T22:59:59.999Z');
    const before = await post(`/meetings/${march}/agenda/freeze`).expect(409);
    expect(before.body.code).toBe('MEETING.BEFORE_CUT_OFF');

    // After the cut-off: the agenda is composed from the read models and frozen.
    clock.set(new Date('2026-03-06T08:00:00.000Z'));
    await untilLogHeadReaches(t, planned.body.position as string);
    const frozen = await post(`/meetings/${march}/agenda/freeze`).expect(200);
    expect(frozen.body).toMatchObject({ itemCount: 4, previousMeetingId: null, written: 1 });
    const first = await meeting(march, frozen.body.position);
    expect(first.planned).toMatchObject({
      date: '2026-03-12',
      chairDepartmentId: 'CBU',
      departmentIds: ['CBU', 'CHP', 'JOBCENTER', 'UNGEENHEDEN', 'UU'],
    });
    expect(first.agenda?.sections.map((s) => s.section)).toEqual(SECTIONS);
    expect(itemsOf(first)).toEqual({
      // The longest-waiting family first.
      'primary-contact-missing': [
        { id: a.familyId, isNew: true },
        { id: b.familyId, isNew: true },
      ],
      'turning-16-not-started': [{ id: young, isNew: true }],
      'transition-flags': [],
      'overdue-duties': [{ id: `inquiry:${inquiryB}`, isNew: true }],
      'open-agreements': [],
    });
    const [familyItemA, familyItemB] = first.agenda?.sections[0]?.items ?? [];
    expect(familyItemA).toMatchObject({
      itemId: `primary-contact-missing:${a.familyId}`,
      familyId: a.familyId,
      dueDate: '2026-03-02',
      departmentIds: ['CBU', 'CHP'],
    });
    expect(first.agenda?.sections[1]?.items[0]).toMatchObject({
      familyId: a.familyId,
      personId: young,
      dueDate: null,
      departmentIds: ['CHP'],
    });
    expect(first.agenda?.sections[3]?.items[0]).toMatchObject({
      familyId: b.familyId,
      personId: b.child,
      flagCodes: ['ACK_OVERDUE'],
      dueDate: '2026-03-05',
    });
    await post(`/meetings/${march}/agenda/freeze`).expect(409);

    // The meeting day: minutes for two items, two agreements, approval.
    clock.set(new Date('2026-03-12T09:00:00.000Z'));
    const inquiryA = (
      await post('/inquiries', {
        personId: a.child,
        departmentId: 'CBU',
        channel: 'phone',
      }).expect(201)
    ).body.inquiryId as string;
    const itemA = familyItemA?.itemId ?? '';
    const itemB = familyItemB?.itemId ?? '';
    await post(minutesPath(march, itemA), {
      outcome: 'No primary contact yet',
      decisions: ['CBU appoints one'],
    }).expect(200);
    await post(minutesPath(march, itemB), {
      outcome: 'CHP knows the family best',
      decisions: ['CHP proposes a primary contact'],
    }).expect(200);
    const agreementA = (
      await post(`/meetings/${march}/agreements`, {
        itemId: itemA,
        what: 'Appoint a primary contact',
        owner: { caseworkerId: caseworker },
        dueDate: '2026-03-20',
      }).expect(201)
    ).body.agreementId as string;
    const agreementB = (
      await post(`/meetings/${march}/agreements`, {
        itemId: itemB,
        what: 'Propose a primary contact',
        owner: { departmentId: 'CHP' },
        dueDate: '2026-04-30',
      }).expect(201)
    ).body.agreementId as string;
    await post(`/meetings/${march}/approval`, { caseworkerId: caseworker }).expect(200);

    // Approved: a new record is refused, a correction is kept as a new event.
    const late = await post(minutesPath(march, itemA), {
      outcome: 'Changed afterwards',
      decisions: [],
    }).expect(409);
    expect(late.body.code).toBe('MEETING.MINUTES_APPROVED');
    const corrected = await post(minutesPath(march, itemA, 'correction'), {
      outcome: 'No primary contact yet; CBU appoints one',
      decisions: ['CBU appoints one by 20 March'],
      reason: 'The date was left out',
    }).expect(200);
    expect(corrected.body.written).toBe(1);
    const approved = await meeting(march, corrected.body.position);
    expect(approved.approved).toMatchObject({ approvedBy: caseworker });
    expect(approved.minutes.find((m) => m.itemId === itemA)).toMatchObject({
      outcome: 'No primary contact yet; CBU appoints one',
      correction: { reason: 'The date was left out' },
    });
    expect(approved.agreements).toEqual([
      expect.objectContaining({ agreementId: agreementA, status: 'open', overdue: false }),
      expect.objectContaining({ agreementId: agreementB, status: 'open', overdue: false }),
    ]);
    expect(await meetingFlags(corrected.body.position)).toEqual([]);

    // Past agreement A's due date: AGREEMENT_OVERDUE.
    clock.set(new Date('2026-03-23T09:00:00.000Z'));
    const overdue = await request(t.server)
      .get('/agreements')
      .query({ status: 'overdue' })
      .expect(200);
    expect(overdue.body.items).toEqual([
      expect.objectContaining({
        agreementId: agreementA,
        meetingId: march,
        familyId: a.familyId,
        overdue: true,
        ownerDepartmentId: 'CBU', // the owning caseworker's
      }),
    ]);
    const open = await request(t.server).get('/agreements').expect(200);
    expect(open.body.items.map((x: { agreementId: string }) => x.agreementId)).toEqual([
      agreementA,
      agreementB,
    ]);
    const chp = await request(t.server)
      .get('/agreements')
      .query({ departmentId: 'CHP' })
      .expect(200);
    expect(chp.body.items).toEqual([
      expect.objectContaining({
        agreementId: agreementB,
        overdue: false,
        ownerDepartmentId: 'CHP',
      }),
    ]);
    expect(await meetingFlags(corrected.body.position)).toEqual([
      expect.objectContaining({
        kind: 'meeting',
        recordId: march,
        code: 'AGREEMENT_OVERDUE',
        details: expect.objectContaining({ agreementId: agreementA }),
      }),
    ]);
    expect((await meeting(march, corrected.body.position)).agreements[0]).toMatchObject({
      overdue: true,
    });

    // The April meeting (Easter in between): what was on March's agenda is not new.
    const april = await post('/meetings', { date: '2026-04-09' }).expect(201);
    const aprilId = april.body.meetingId as string;
    expect(april.body.agendaCutOffAt).toBe('2026-03-30T21:59:59.999Z');
    clock.set(new Date('2026-03-31T07:00:00.000Z'));
    await untilLogHeadReaches(t, april.body.position as string);
    const frozenApril = await post(`/meetings/${aprilId}/agenda/freeze`).expect(200);
    expect(frozenApril.body).toMatchObject({ itemCount: 7, previousMeetingId: march });
    const second = await meeting(aprilId, frozenApril.body.position);
    expect(second.agenda?.previousMeetingId).toBe(march);
    expect(itemsOf(second)).toEqual({
      'primary-contact-missing': [
        { id: a.familyId, isNew: false },
        { id: b.familyId, isNew: false },
      ],
      'turning-16-not-started': [{ id: young, isNew: false }],
      'transition-flags': [],
      'overdue-duties': [
        { id: `inquiry:${inquiryB}`, isNew: false },
        { id: `inquiry:${inquiryA}`, isNew: true },
      ],
      // The overdue agreement first.
      'open-agreements': [
        { id: agreementA, isNew: true },
        { id: agreementB, isNew: true },
      ],
    });
    expect(second.agenda?.sections[4]?.items).toEqual([
      expect.objectContaining({ flagCodes: ['AGREEMENT_OVERDUE'], familyId: a.familyId }),
      expect.objectContaining({ flagCodes: [], familyId: b.familyId }),
    ]);

    // Carried out: the flag clears.
    const done = await post(`/meetings/${march}/agreements/${agreementA}/completion`, {
      note: 'Primary contact appointed',
    }).expect(200);
    expect(await meetingFlags(done.body.position)).toEqual([]);
    const none = await request(t.server)
      .get('/agreements')
      .query({ status: 'overdue', waitForPosition: done.body.position })
      .expect(200);
    expect(none.body.items).toEqual([]);
    // The history still shows the overdue agreement before it was carried out.
    const then = await request(t.server)
      .get(`/meetings/${march}/history`)
      .query({ asOf: '2026-03-30T12:00:00.000Z' })
      .expect(200);
    expect(then.body.flags).toEqual([expect.objectContaining({ code: 'AGREEMENT_OVERDUE' })]);

    // Family A's extract: A's items of the approved March minutes, nothing of family B.
    const extract = await request(t.server)
      .get(`/families/${a.familyId}/minutes-extract`)
      .query({ waitForPosition: done.body.position })
      .expect(200);
    expect(extract.body.meetings).toHaveLength(1); // April's minutes are not approved
    expect(extract.body.meetings[0]).toMatchObject({ meetingId: march, familyId: a.familyId });
    expect(extract.body.meetings[0].items.map((i: { item: AgendaItem }) => i.item.itemId)).toEqual([
      itemA,
      `turning-16-not-started:${young}`,
    ]);
    expect(extract.body.meetings[0].items[0]).toMatchObject({
      minutes: { outcome: 'No primary contact yet; CBU appoints one' },
      agreements: [expect.objectContaining({ agreementId: agreementA, status: 'done' })],
    });
    const text = JSON.stringify(extract.body);
    for (const foreign of [b.familyId, b.child, inquiryB, agreementB]) {
      expect(text).not.toContain(foreign);
    }

    // The list, newest first, and by date.
    const all = await request(t.server).get('/meetings').expect(200);
    expect(all.body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([aprilId, march]);
    expect(all.body.items[1]).toMatchObject({ itemCount: 4, hasOpenAgreements: true });
    const fromApril = await request(t.server)
      .get('/meetings')
      .query({ fromDate: '2026-04-01' })
      .expect(200);
    expect(fromApril.body).toMatchObject({ total: 1, items: [{ meetingId: aprilId }] });
  });

  it('refuses a bad date and an unreal one with the field (400), and unknown meetings with 404', async () => {
    const bad = await post('/meetings', { date: '12/03/2027' }).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    const unreal = await post('/meetings', { date: '2027-02-30' }).expect(400);
    expect(unreal.body.errors).toEqual([expect.objectContaining({ field: 'date' })]);
    const unknown = '7d0b7d1e-0000-4000-8000-000000000000';
    const missing = await request(t.server).get(`/meetings/${unknown}`).expect(404);
    expect(missing.body.code).toBe('MEETING.NOT_FOUND');
    await request(t.server).get('/meetings/not-an-id').expect(404);
    await post(`/meetings/${unknown}/agenda/freeze`).expect(404);
    await post(`/meetings/${unknown}/approval`, {
      caseworkerId: '7d0b7d1e-0000-4000-8000-000000000001',
    }).expect(404);
  });
});

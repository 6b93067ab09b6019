import request from 'supertest';
import { DataSource } from 'typeorm';
import { registerCaseworker, registerPerson, openCase } from './support/fixtures';
import { ManualClock, startTestApp, type TestApp } from './support/test-app';

/*
 * The authorization matrix, generated from the OpenAPI document: every operation × every kind
 * of caller, against one family whose cases sit in two departments. The policy below is the
 * specification, written out by hand; an operation the document lists and the policy does not
 * fails the test, so a new endpoint cannot ship without a rule.
 *
 * Callers: Bo (CHP caseworker, holds the CHP case), Cleo (CHP caseworker, no case in the
 * family), Anna (CBU caseworker, the family's primary contact; CHP details only with the
 * family's consent), Dan (JOBCENTER caseworker, no relation), a CHP team leader, the
 * coordinator, the youth unit, an auditor, an admin and the system actor.
 */

type Caller =
  | 'bo'
  | 'cleo'
  | 'anna'
  | 'dan'
  | 'teamLeader'
  | 'coordinator'
  | 'youthUnit'
  | 'auditor'
  | 'admin'
  | 'system';
const CALLERS: Caller[] = [
  'bo',
  'cleo',
  'anna',
  'dan',
  'teamLeader',
  'coordinator',
  'youthUnit',
  'auditor',
  'admin',
  'system',
];
type Scope = 'none' | 'case' | 'person' | 'family' | 'department';
type Rule = readonly [roles: string, scope?: Scope];

// c caseworker, k coordinator, y youth unit, t team leader, a auditor, d admin, s system.
const POLICY: Record<string, Rule> = {
  'GET /health': ['public'],
  'GET /departments': ['ckytads'],
  'PUT /departments/{id}': ['ds'],
  'POST /departments/import': ['ds'],
  'GET /processing-deadlines': ['ckytads'],
  'PUT /processing-deadlines/{caseType}': ['ds'],
  'POST /processing-deadlines/import': ['ds'],
  'POST /caseworkers': ['ds'],
  'POST /caseworkers/{caseworkerId}/deactivate': ['ds'],
  'POST /caseworkers/{caseworkerId}/reactivate': ['ds'],
  'GET /projections': ['ds'],
  'GET /projections/parked': ['ds'],
  'POST /projections/{projector}/parked/{id}/replay': ['ds'],
  'POST /projections/{projector}/rebuild': ['ds'],
  'DELETE /projections/{projector}/rebuild': ['ds'],
  'POST /persons': ['cyds'],
  'POST /persons/lookup': ['cyds'],
  'GET /persons/{personId}': ['cys', 'person'],
  'PUT /persons/{personId}/digital-post': ['cs', 'person'],
  'POST /persons/{personId}/erasure': ['ds'],
  'POST /families': ['cks'],
  'POST /families/{familyId}/members': ['cks'],
  'DELETE /families/{familyId}/members/{personId}': ['cks'],
  'PUT /families/{familyId}/primary-contact': ['cks'],
  'POST /families/{familyId}/primary-contact/handover': ['cks'],
  'POST /families/{familyId}/primary-contact/release': ['cks'],
  'POST /families/{familyId}/primary-contact/told': ['cks'],
  'POST /families/{familyId}/consents': ['cks', 'department'],
  'POST /families/{familyId}/consents/withdrawal': ['cks'],
  'GET /families/{familyId}': ['ckyts', 'family'],
  'GET /families/{familyId}/history': ['cks', 'family'],
  'GET /families/{familyId}/minutes-extract': ['kcs', 'family'],
  'GET /families/{familyId}/minutes-extract.html': ['kcs', 'family'],
  'GET /coordination/flags': ['ckyts'],
  'GET /coordination/caseload': ['kts'],
  'POST /cases': ['cs', 'department'],
  'GET /cases': ['ckyts'],
  'GET /cases/{caseId}': ['cts', 'case'],
  'POST /cases/{caseId}/caseworker': ['cs', 'case'],
  'POST /cases/{caseId}/caseworker/change': ['cs', 'case'],
  'POST /cases/{caseId}/caseworker/told': ['cs', 'case'],
  'POST /cases/{caseId}/close': ['cs', 'case'],
  'POST /cases/{caseId}/journal/contacts': ['cs', 'case'],
  'POST /cases/{caseId}/journal/contacts/{entryId}/note': ['cs', 'case'],
  'POST /cases/{caseId}/journal/documents': ['cs', 'case'],
  'POST /cases/{caseId}/journal/contacts/{entryId}/insecure-sending': ['cs', 'case'],
  'GET /cases/{caseId}/journal': ['cts', 'case'],
  'GET /cases/{caseId}/journal/notes/{noteId}': ['cts', 'case'],
  'POST /cases/{caseId}/applications': ['cs', 'case'],
  'GET /applications/{applicationId}': ['cts', 'case'],
  'GET /applications/{applicationId}/history': ['cts', 'case'],
  'POST /applications/{applicationId}/delay-notice': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions/{decisionId}/supplement': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions/{decisionId}/appeal': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions/{decisionId}/appeal/reassessment': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions/{decisionId}/appeal/forwarding': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions/{decisionId}/appeal/ruling': ['cs', 'case'],
  'POST /applications/{applicationId}/decisions/{decisionId}/apology': ['cs', 'case'],
  'POST /inquiries': ['cs', 'department'],
  'POST /inquiries/{inquiryId}/acknowledgement': ['cs', 'case'],
  'POST /inquiries/{inquiryId}/postponement': ['cs', 'case'],
  'POST /inquiries/{inquiryId}/answer': ['cs', 'case'],
  'GET /inquiries/{inquiryId}': ['cts', 'case'],
  'GET /inquiries/{inquiryId}/history': ['cts', 'case'],
  'POST /complaints': ['cs', 'department'],
  'POST /complaints/{complaintId}/resolution': ['cts', 'case'],
  'GET /complaints/{complaintId}': ['cts', 'case'],
  'GET /complaints/{complaintId}/history': ['cts', 'case'],
  'POST /file-access-requests': ['cs', 'department'],
  'POST /file-access-requests/{requestId}/delay-letter': ['cs', 'case'],
  'POST /file-access-requests/{requestId}/answer': ['cs', 'case'],
  'GET /file-access-requests/{requestId}': ['cts', 'case'],
  'GET /file-access-requests/{requestId}/history': ['cts', 'case'],
  'POST /cases/{caseId}/visitation-referrals': ['cs', 'case'],
  'GET /visitation/queue': ['cts'],
  'POST /visitation-referrals/{referralId}/routing': ['cs', 'case'],
  'POST /visitation-referrals/{referralId}/withdrawal': ['cs', 'case'],
  'GET /visitation-referrals/{referralId}': ['cts', 'case'],
  'GET /visitation-referrals/{referralId}/history': ['cts', 'case'],
  'GET /casework/flags': ['ckts'],
  'GET /management-figures': ['ts'],
  'GET /management-figures.csv': ['ts'],
  'GET /supervision/questions': ['ts'],
  'POST /supervision/samples': ['ts'],
  'POST /supervision/samples/{sampleId}/reviews': ['ts'],
  'GET /supervision/samples/{sampleId}': ['ts'],
  'GET /transitions': ['ycks'],
  'GET /transitions/{personId}': ['ycs', 'person'],
  'GET /transitions/{personId}/history': ['ycs', 'person'],
  'POST /transitions/scheduler/run': ['ds'],
  'POST /transitions/{personId}/preparation': ['ycs', 'person'],
  'PUT /transitions/{personId}/track': ['ycs', 'person'],
  'PUT /transitions/{personId}/adult-caseworker': ['ycs', 'person'],
  'POST /transitions/{personId}/assessment': ['ycs', 'person'],
  'POST /transitions/{personId}/youth-plan': ['ycs', 'person'],
  'POST /transitions/{personId}/adult-decision': ['ycs', 'person'],
  'POST /transitions/{personId}/aftercare-decision': ['ycs', 'person'],
  'POST /transitions/{personId}/handover': ['ycs', 'person'],
  'POST /transitions/{personId}/close': ['ycs', 'person'],
  'POST /meetings': ['ks'],
  'GET /meetings': ['kcts'],
  'GET /meetings/{meetingId}': ['kcts'],
  'GET /meetings/{meetingId}/history': ['kcts'],
  'GET /meetings/{meetingId}/agenda.html': ['kcts'],
  'GET /meetings/{meetingId}/minutes.html': ['kcts'],
  'POST /meetings/{meetingId}/agenda/freeze': ['ks'],
  'POST /meetings/{meetingId}/items/{itemId}/minutes': ['ks'],
  'POST /meetings/{meetingId}/items/{itemId}/correction': ['ks'],
  'POST /meetings/{meetingId}/agreements': ['ks'],
  'POST /meetings/{meetingId}/approval': ['ks'],
  'POST /meetings/{meetingId}/agreements/{agreementId}/completion': ['kcs'],
  'POST /meetings/{meetingId}/agreements/{agreementId}/cancellation': ['ks'],
  'GET /agreements': ['kcts'],
  'GET /access-log': ['a'],
  'GET /alerts': ['ctys'],
  'POST /alerts/{id}/acknowledgement': ['ctys'],
  'GET /alerts/feed': ['ds'],
  'GET /alerts/digest': ['ctys'],
  'GET /alerts/digest.html': ['ctys'],
  'POST /alerts/scheduler/run': ['ds'],
  'POST /alert-subscriptions': ['ds'],
  'GET /alert-subscriptions': ['ds'],
  'DELETE /alert-subscriptions/{id}': ['ds'],
  'GET /alert-deliveries': ['ds'],
  'POST /alert-deliveries/{id}/redelivery': ['ds'],
  'GET /access-log/persons/{personId}/report': ['a', 'person'],
  'GET /cases/by-source/{system}/{key}': ['ckyts'],
  'GET /persons/by-source/{system}/{key}': ['cyds'],
  'GET /families/by-source/{system}/{key}': ['ckyts'],
  'GET /caseworkers/by-source/{system}/{key}': ['ckytds'],
  'POST /imports': ['ds'],
  'GET /imports/{importId}': ['ds'],
};

/** Reads that answer 404 with this code while there is nothing to show yet (no approved minutes). */
const NOTHING_YET: Record<string, string> = {
  'GET /families/{familyId}/minutes-extract.html': 'FAMILY.NO_MINUTES',
};

const ROLE_LETTERS: Record<string, string> = {
  c: 'caseworker',
  k: 'coordinator',
  y: 'youth-unit',
  t: 'team-leader',
  a: 'auditor',
  d: 'admin',
  s: 'system',
};
const CALLER_ROLE: Record<Caller, string> = {
  bo: 'caseworker',
  cleo: 'caseworker',
  anna: 'caseworker',
  dan: 'caseworker',
  teamLeader: 'team-leader',
  coordinator: 'coordinator',
  youthUnit: 'youth-unit',
  auditor: 'auditor',
  admin: 'admin',
  system: 'system',
};

/**
 * What the policy says a caller may do on the family's CHP case (the target of every case,
 * record and person route), given whether the family shares CHP with its primary contact.
 */
function allowed(operation: string, caller: Caller, consent: boolean): boolean {
  const [letters, scope = 'none'] = POLICY[operation]!;
  const roles = [...letters].map((letter) => ROLE_LETTERS[letter]).filter(Boolean);
  if (!roles.includes(CALLER_ROLE[caller])) return false;
  const write = !operation.startsWith('GET ');
  switch (scope) {
    case 'none':
    case 'family':
      return true;
    case 'department': // the body names CHP
      return caller !== 'anna' && caller !== 'dan';
    case 'case':
      if (caller === 'bo' || caller === 'cleo' || caller === 'system') return true;
      if (caller === 'teamLeader') return true; // a CHP team leader, in their department
      if (caller === 'anna') return consent && !write;
      if (caller === 'dan') return false;
      return true; // municipality-wide units the route allows
    case 'person':
      return caller !== 'dan';
  }
}

describe('authorization matrix: every operation in the OpenAPI document × every kind of caller', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-06-16T08:00:00.000Z'));
  const tokens = {} as Record<Caller, string>;
  const ids: Record<string, string> = {};
  /** Strings that only the CHP case's content holds: none may reach a caller who may not see it. */
  const secrets = ['hemmelig-sagstype-chp', 'Hemmeligt emne i CHP-journalen'];

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const post = async (path: string, body: object = {}, expected = 201) =>
      (await request(t.server).post(path).send(body).expect(expected)).body as Record<
        string,
        string
      >;
    const bo = await registerCaseworker(t, 'CHP', 'Bo');
    const cleo = await registerCaseworker(t, 'CHP', 'Cleo');
    const anna = await registerCaseworker(t, 'CBU', 'Anna');
    const dan = await registerCaseworker(t, 'JOBCENTER', 'Dan');
    const older = await registerPerson(t, '2012-02-01');
    const child = await registerPerson(t, '2010-06-15'); // turned 16 yesterday
    const cbuCase = (await openCase(t, older, 'CBU')).caseId;
    const chpCase = (await openCase(t, child, 'CHP', secrets[0])).caseId;
    await post(`/cases/${cbuCase}/caseworker`, { caseworkerId: anna }, 200);
    await post(`/cases/${chpCase}/caseworker`, { caseworkerId: bo }, 200);
    const familyId = (await post('/families')).familyId!;
    await post(`/families/${familyId}/members`, { personId: older, role: 'child' });
    await post(`/families/${familyId}/members`, { personId: child, role: 'young-person' });
    await request(t.server)
      .put(`/families/${familyId}/primary-contact`)
      .send({ caseworkerId: anna })
      .expect(200);
    const contact = await post(`/cases/${chpCase}/journal/contacts`, {
      occurredAt: '2026-06-15T08:30:00.000Z',
      channel: 'phone',
      direction: 'from-citizen',
      subject: secrets[1],
      containsPersonalData: false,
    });
    const note = await post(
      `/cases/${chpCase}/journal/contacts/${contact.entryId}/note`,
      { note: 'Notat om opkaldet' },
      200,
    );
    const application = await post(`/cases/${chpCase}/applications`, {
      applicationDate: '2026-06-01',
    });
    const inquiry = await post('/inquiries', {
      personId: child,
      departmentId: 'CHP',
      caseId: chpCase,
      channel: 'e-mail',
    });
    const complaint = await post('/complaints', {
      departmentId: 'CHP',
      caseId: chpCase,
      personId: child,
      about: 'casework',
      channel: 'digital-post',
    });
    const fileAccess = await post('/file-access-requests', {
      personId: child,
      departmentId: 'CHP',
      caseId: chpCase,
      channel: 'e-mail',
    });
    const referral = await post(`/cases/${chpCase}/visitation-referrals`);
    const meeting = await post('/meetings', { date: '2026-07-09' });
    // The draw reads the department's open cases from the casework read model: wait for them.
    const sample = await post(`/supervision/samples?waitForPosition=${referral.position}`, {
      departmentId: 'CHP',
      size: 1,
      seed: 'matrix',
      drawnBy: cleo,
    });
    // A disability case makes the young person's 16th birthday count for the youth unit.
    const disability = await openCase(t, child, 'CHP', 'disability-support');
    // The scheduler reads the coordination read model.
    await request(t.server)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: disability.position })
      .expect(200);
    const scheduled = await request(t.server).post('/transitions/scheduler/run').expect(200);
    expect(scheduled.body.recorded).toBeGreaterThanOrEqual(1);
    Object.assign(ids, {
      caseId: chpCase,
      familyId,
      personId: child,
      entryId: contact.entryId,
      noteId: note.noteId,
      applicationId: application.applicationId,
      decisionId: '7d0b7d1e-0000-4000-8000-000000000001',
      inquiryId: inquiry.inquiryId,
      complaintId: complaint.complaintId,
      requestId: fileAccess.requestId,
      referralId: referral.referralId,
      meetingId: meeting.meetingId,
      itemId: '7d0b7d1e-0000-4000-8000-000000000002',
      agreementId: '7d0b7d1e-0000-4000-8000-000000000003',
      sampleId: sample.sampleId,
      caseworkerId: cleo,
      projector: 'case-list',
      id: 'CHP',
      caseType: 'matrix-type',
    });
    // Source keys for the by-source lookups, as an import writes them; an import's status row.
    const dataSource = t.app.get(DataSource);
    for (const [kind, id] of [
      ['case', chpCase],
      ['person', child],
      ['family', familyId],
      ['caseworker', cleo],
    ] as const) {
      await dataSource.query(
        "INSERT INTO source_keys (kind, system, key, resource_id) VALUES ($1, 'DUBU', 'MATRIX-1', $2)",
        [kind, id],
      );
    }
    const importId = '7d0b7d1e-0000-4000-8000-000000000004';
    await dataSource.query(
      "INSERT INTO imports (import_id, status, strict, started_by, started_at) VALUES ($1, 'done', false, 'matrix', now())",
      [importId],
    );
    Object.assign(ids, { system: 'DUBU', key: 'MATRIX-1', importId });
    const claims = (role: string, department?: string, caseworker?: string) => ({
      sub: `matrix-${role}-${department ?? 'all'}-${caseworker ?? 'none'}`,
      roles: [role],
      ...(department ? { department } : {}),
      ...(caseworker ? { caseworker_id: caseworker } : {}),
    });
    const made: Record<Caller, ReturnType<typeof claims>> = {
      bo: claims('caseworker', 'CHP', bo),
      cleo: claims('caseworker', 'CHP', cleo),
      anna: claims('caseworker', 'CBU', anna),
      dan: claims('caseworker', 'JOBCENTER', dan),
      teamLeader: claims('team-leader', 'CHP'),
      coordinator: claims('coordinator', 'CBU'),
      youthUnit: claims('youth-unit', 'UNGEENHEDEN'),
      auditor: claims('auditor'),
      admin: claims('admin'),
      system: claims('system'),
    };
    for (const caller of CALLERS) tokens[caller] = await t.tokenFor(made[caller]);
    // Every read below meets read models that have seen the setup.
    await request(t.server)
      .get(`/families/${familyId}`)
      .query({ waitForPosition: sample.position ?? referral.position })
      .expect(200);
  });
  afterAll(async () => {
    await t.close();
  });

  const QUERIES: Record<string, Record<string, string>> = {
    'GET /families/{familyId}/history': { asOf: '2026-06-16T08:00:00Z' },
    'GET /transitions': { turning: '16', fromMonth: '2026-06', toMonth: '2026-06' },
    'GET /management-figures': { fromMonth: '2026-01', toMonth: '2026-06' },
    'GET /management-figures.csv': { fromMonth: '2026-01', toMonth: '2026-06' },
  };

  async function operations(): Promise<string[]> {
    const document = await request(t.rawServer).get('/docs/openapi.json').expect(200);
    const paths = document.body.paths as Record<string, Record<string, unknown>>;
    return Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
  }

  function call(operation: string, caller: Caller) {
    const [method, template] = operation.split(' ') as [string, string];
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = ids[name];
      if (!value) throw new Error(`no value for {${name}} in ${operation}`);
      return value;
    });
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    return request(t.rawServer)
      [verb](path)
      .query(
        QUERIES[operation] ??
          (template.endsWith('/history') ? { asOf: '2026-06-16T08:00:00Z' } : {}),
      )
      .set('Authorization', `Bearer ${tokens[caller]}`)
      .set('X-Purpose', 'Matrix test')
      .send(
        POLICY[operation]?.[1] === 'department'
          ? { departmentId: 'CHP', departmentIds: ['CHP'] }
          : {},
      );
  }

  async function expectMatrix(ops: string[], callers: Caller[], consent: boolean) {
    const wrong: string[] = [];
    for (const operation of ops) {
      // Refused callers first: an allowed write may change what follows.
      const ordered = [...callers].sort(
        (a, b) => Number(allowed(operation, a, consent)) - Number(allowed(operation, b, consent)),
      );
      for (const caller of ordered) {
        const response = await call(operation, caller);
        const may = allowed(operation, caller, consent);
        const ok = !may
          ? response.status === 403
          : operation.startsWith('GET ')
            ? (response.status >= 200 && response.status < 300) ||
              (response.status === 404 && response.body?.code === NOTHING_YET[operation])
            : response.status !== 401 && response.status !== 403 && response.status < 500;
        if (!ok)
          wrong.push(
            `${operation} as ${caller}: ${response.status} ${String(response.body?.code ?? '')} (expected ${may ? 'allowed' : '403'})`,
          );
        const canSeeChp = allowed('GET /cases/{caseId}', caller, consent);
        const body = response.text ?? '';
        if (!canSeeChp) {
          for (const secret of secrets) {
            if (body.includes(secret)) wrong.push(`${operation} as ${caller}: leaks "${secret}"`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  }

  it('lists a rule for every operation in the OpenAPI document, and no rule for an operation it lacks', async () => {
    const listed = await operations();
    expect(listed.filter((operation) => !(operation in POLICY))).toEqual([]);
    expect(Object.keys(POLICY).filter((operation) => !listed.includes(operation))).toEqual([]);
  });

  it('answers every read as the policy says, without the consent to share', async () => {
    const reads = (await operations()).filter(
      (op) => op.startsWith('GET ') && op !== 'GET /health',
    );
    await expectMatrix(reads, CALLERS, false);
  });

  it('shows the primary contact the consented department’s case details, and only for reading', async () => {
    const given = await request(t.server)
      .post(`/families/${ids.familyId}/consents`)
      .send({ departmentIds: ['CHP'], basis: 'consent' })
      .expect(200);
    const caseReads = Object.keys(POLICY).filter(
      (op) => op.startsWith('GET ') && POLICY[op]![1] === 'case',
    );
    // The scope check reads the consent from the family-coordination projection: wait for it
    // (the case list is another projector, and may be ahead of it).
    await request(t.server)
      .get(`/families/${ids.familyId}`)
      .query({ waitForPosition: given.body.position })
      .expect(200);
    await expectMatrix(caseReads, ['anna', 'dan'], true);
    const family = await request(t.rawServer)
      .get(`/families/${ids.familyId}`)
      .set('Authorization', `Bearer ${tokens.anna}`)
      .expect(200);
    expect(JSON.stringify(family.body)).toContain(secrets[0]);
    const withdrawn = await request(t.server)
      .post(`/families/${ids.familyId}/consents/withdrawal`)
      .send({ departmentIds: ['CHP'] })
      .expect(200);
    await request(t.server)
      .get(`/families/${ids.familyId}`)
      .query({ waitForPosition: withdrawn.body.position })
      .expect(200);
    await expectMatrix(caseReads, ['anna'], false);
  });

  it('answers every command as the policy says', async () => {
    const writes = (await operations())
      .filter((op) => !op.startsWith('GET '))
      // Removing the young person from the family last: it changes who is whose primary contact.
      .sort((a, b) => Number(a.startsWith('DELETE ')) - Number(b.startsWith('DELETE ')));
    await expectMatrix(writes, CALLERS, false);
  });
});

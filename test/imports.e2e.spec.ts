import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import request from 'supertest';
import { ImportsService } from '../apps/api/src/imports/imports.service';
import { requestId } from '../apps/api/src/imports/municipality-import';
import { startTestApp, type TestApp } from './support/test-app';

const EXAMPLE = resolve(__dirname, '../docs/import.example.ndjson');

describe('POST /imports and the source-key lookups', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.app.get(ImportsService).settled();
    await t.close();
  });

  async function importFile(body: string): Promise<Record<string, unknown>> {
    const started = await request(t.server)
      .post('/imports')
      .set('content-type', 'application/x-ndjson')
      .send(body)
      .expect(202);
    const { importId, href } = started.body as { importId: string; href: string };
    expect(href).toBe(`/imports/${importId}`);
    await t.app.get(ImportsService).settled();
    const status = await request(t.server).get(href).expect(200);
    return status.body as Record<string, unknown>;
  }

  /** The resource once the projections have seen the import (they run beside it). */
  async function projected(href: string): Promise<request.Response> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await request(t.server).get(href);
      if (response.status !== 404 || Date.now() > deadline) return response;
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  it('imports a file sent as the body, in the background, and reports on it', async () => {
    const status = await importFile(await readFile(EXAMPLE, 'utf8'));
    expect(status).toMatchObject({
      status: 'done',
      strict: false,
      lines: 17,
      refused: 0,
      report: { imported: 17, refused: 0, problems: [], abandoned: false },
    });
    const report = status.report as { events: number; written: number };
    expect(report.written).toBe(report.events);

    const again = await importFile(await readFile(EXAMPLE, 'utf8'));
    expect(again).toMatchObject({ status: 'done', report: { written: 0, refused: 0 } });
  });

  it("brings a young person's transition in progress: started, its track and adult caseworker", async () => {
    const person = await request(t.server).get('/persons/by-source/ESDH/P-103').expect(200);
    const transition = await projected(`/transitions/${person.body.id}`);
    expect(transition.status).toBe(200);
    expect(transition.body).toMatchObject({
      birthDate: '2010-05-10',
      track: 'residential-home-vum',
      started: true,
      closed: false,
    });
    expect(
      (transition.body.timeline as { type: string; at: string }[]).map((step) => [
        step.type,
        step.at,
      ]),
    ).toEqual([
      ['TransitionPreparationStarted', '2026-10-01T09:00:00.000Z'],
      ['TransitionTrackChosen', '2026-10-20T13:00:00.000Z'],
      ['AdultCaseworkerAssigned', '2026-11-02T10:00:00.000Z'],
    ]);
  });

  it('resolves source keys to our ids; the resource is read through its own route', async () => {
    const found = await request(t.server).get('/cases/by-source/DUBU/2019-004711').expect(200);
    expect(found.body).toEqual({
      kind: 'case',
      id: expect.any(String),
      href: `/cases/${found.body.id}`,
    });
    const theCase = await projected(found.body.href);
    expect(theCase.status).toBe(200);
    expect(theCase.body).toMatchObject({ departmentId: 'CBU', caseType: 'child-support' });

    const family = await request(t.server).get('/families/by-source/DUBU/F-2019-0042').expect(200);
    expect((await projected(family.body.href)).status).toBe(200);
    await request(t.server).get('/persons/by-source/ESDH/P-101').expect(200);
    const caseworker = await request(t.server).get('/caseworkers/by-source/AD/anha').expect(200);
    expect(caseworker.body).toEqual({ kind: 'caseworker', id: expect.any(String) });

    // The open inquiry and application are read through their own routes, with their own dates.
    const inquiry = await projected(
      `/inquiries/${requestId('inquiry', { system: 'DUBU', key: 'H-2026-1187' })}`,
    );
    expect(inquiry.status).toBe(200);
    expect(JSON.stringify(inquiry.body)).toContain('2026-11-02T13:40:00.000Z');
    const application = await projected(
      `/applications/${requestId('application', { system: 'Nexus', key: 'A-2026-0311' })}`,
    );
    expect(application.status).toBe(200);
    expect(JSON.stringify(application.body)).toContain('2026-09-28');

    const missing = await request(t.server).get('/cases/by-source/DUBU/1999-000001').expect(404);
    expect(missing.body.code).toBe('SOURCE_KEY.NOT_FOUND');
  });

  it('refuses a CPR number as a source key with a 400 naming the field, never echoing it', async () => {
    for (const key of ['0101901234', '010190-1234']) {
      const response = await request(t.server).get(`/persons/by-source/ESDH/${key}`).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body.errors).toEqual([
        { field: 'key', reason: 'key must not be a CPR number' },
      ]);
      expect(response.text).not.toContain('010190');
      expect(response.text).not.toContain('0101901234');
    }
  });

  it('refuses a body that is not an import file, and other callers than admin and system', async () => {
    const wrongType = await request(t.server).post('/imports').send({ kind: 'case' }).expect(415);
    expect(wrongType.body.code).toBe('IMPORT.UNSUPPORTED_MEDIA_TYPE');
    const caseworker = await t.tokenFor({ sub: 'cw', roles: ['caseworker'], department: 'CBU' });
    await request(t.rawServer)
      .post('/imports')
      .set('Authorization', `Bearer ${caseworker}`)
      .set('content-type', 'application/x-ndjson')
      .send('{}\n')
      .expect(403);
    await request(t.server).get('/imports/not-an-id').expect(404);
  });
});

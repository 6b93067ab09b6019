// Issue 14, part 5: no CPR number reaches the append-only log through any command. For every
// command operation of the served OpenAPI document a valid body is built from its schema (ids
// from a small set-up, real dates, first enum values), then each string field in turn carries a
// CPR-looking value. Each attempt must be refused naming that field (400 at the edge, or 422 where
// a check of its own refuses more than CPR numbers: a journal subject), or be carried through
// (2xx); an attempt refused for another reason (404, 409) proves nothing, so it fails the test. Then every spelling of the numbers is swept for in the event store.
// Left out: `cpr` of POST /persons and POST /persons/lookup, whose purpose is to take a CPR number
// (encrypted in the registry, never in an event; test/person-erasure.e2e.spec.ts sweeps for it).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { fakeCpr, openCase, registerCaseworker, registerPerson } from './support/fixtures';
import { bodySchema, servedDocument, type Schema, type Target } from './support/openapi';
import { databaseDump, tablesHolding } from './support/sweep';
import { startTestApp, type TestApp } from './support/test-app';

const LEGITIMATE_CPR_FIELDS = new Set(['POST /persons cpr', 'POST /persons/lookup cpr']);
// A made-up number; the same three spellings the free-text guard must catch.
const CPR = fakeCpr('1990-01-01');
const PLAIN = CPR.replace('-', '');
const SPACED = `${PLAIN.slice(0, 6)} ${PLAIN.slice(6)}`;
const CPR_VALUES = [CPR, PLAIN, `tlf. ${PLAIN} ring`, `cpr ${SPACED}`];
// What the valid bodies carry in free text: the sweep must find it, which shows it can find.
const PROBE_TEXT = 'sweep-probe tekst';
// Where a schema alone cannot say what a valid body is: fields that exclude each other, formats.
const BASELINE_FIELDS: Record<string, Record<string, unknown>> = {
  'POST /persons/lookup': { cpr: CPR },
  'POST /departments/import': {
    departments: [{ id: 'SWEEP-1', name: PROBE_TEXT, area: 'children' }],
  },
  'POST /meetings/{meetingId}/agreements': {
    itemId: `primary-contact-missing:${randomUUID()}`,
    owner: { departmentId: 'CHP' },
  },
  'POST /visitation-referrals/{referralId}/routing': { destination: 'caseworker' },
  'POST /alert-subscriptions': {
    url: 'https://case-system.example/hook',
    codes: ['ACK_OVERDUE'],
    secret: `whsec_${'A'.repeat(32)}`,
  },
};

// A journal note lives in its own table (erasable), not in an event: it may hold a CPR number.
const NOTE_OPERATION = '/cases/{caseId}/journal/contacts/{entryId}/note';

type Path = (string | number)[];
type Attempt = { where: string; status: number; fields: string[] };

describe('a CPR number in every string field of every command: none in the event store', () => {
  let t: TestApp;
  let targets: Target[];
  let resolve: (schema: Schema) => Schema;
  const ids = new Map<string, string>();
  beforeAll(async () => {
    t = await startTestApp({ config: { readWaitMaxMs: 1000 } });
    ({ targets, resolve } = await servedDocument(t));
    const personId = await registerPerson(t, '2010-04-04');
    const post = (path: string, body: object = {}) =>
      request(t.server).post(path).send(body).expect(201);
    const { caseId } = await openCase(t, personId, 'CHP', 'disability-support');
    const familyId = (await post('/families')).body.familyId as string;
    await post(`/families/${familyId}/members`, { personId, role: 'child' });
    ids.set('personId', personId);
    ids.set('caseId', caseId);
    ids.set('familyId', familyId);
    ids.set('caseworkerId', await registerCaseworker(t, 'CHP'));
    // Erasure gets a person of its own, so the others stay usable.
    ids.set('erasure personId', await registerPerson(t, '1980-02-02'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A journal contact without a note: a note can be added to it once. */
  async function contactWithoutNote(): Promise<void> {
    const response = await request(t.server)
      .post(`/cases/${ids.get('caseId')}/journal/contacts`)
      .send({
        occurredAt: '2026-03-02T08:00:00.000Z',
        channel: 'phone',
        direction: 'from-citizen',
        subject: PROBE_TEXT,
        containsPersonalData: false,
      })
      .expect(201);
    ids.set(`${NOTE_OPERATION} entryId`, response.body.entryId as string);
  }

  /** A value the schema accepts, by the field's name where the schema alone cannot say. */
  function validValue(raw: Schema, name: string, path: string): unknown {
    const schema = resolve(raw);
    if (schema.enum) return schema.enum[0];
    if (schema.type === 'array') {
      const items = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: items }, () => validValue(schema.items ?? {}, name, path));
    }
    if (schema.properties) {
      return Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [
          key,
          validValue(value, key, path),
        ]),
      );
    }
    if (schema.type === 'integer' || schema.type === 'number') return schema.minimum ?? 1;
    if (schema.type === 'boolean') return true;
    if (schema.format === 'date-time') return '2026-03-02T08:00:00.000Z';
    if (schema.format === 'uuid' || (/Id$/.test(name) && !/department/i.test(name))) {
      return ids.get(`${path} ${name}`) ?? ids.get(name) ?? randomUUID();
    }
    if (schema.format === 'date' || /Date$|By$|From$|^date$/.test(name)) return '2026-03-02';
    if (/department/i.test(name)) return 'CHP';
    if (name === 'caseType') return 'disability-support';
    return PROBE_TEXT;
  }

  /** Every path to a string in a body built by validValue. */
  function stringPaths(value: unknown, path: Path = []): Path[] {
    if (typeof value === 'string') return [path];
    if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, [...path, i]));
    if (value && typeof value === 'object')
      return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
    return [];
  }

  function replaced(body: unknown, path: Path, value: string): unknown {
    const copy = structuredClone(body) as Record<string | number, unknown>;
    let node = copy;
    path.slice(0, -1).forEach((key) => (node = node[key] as Record<string | number, unknown>));
    node[path[path.length - 1]!] = value;
    return copy;
  }

  async function send(target: Target, body: unknown): Promise<request.Response> {
    let url = target.path;
    for (const parameter of target.operation.parameters ?? []) {
      if (parameter.in !== 'path') continue;
      const value = validValue(parameter.schema ?? {}, parameter.name, target.path);
      url = url.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
    }
    // Each registration needs a number of its own to get past "already registered".
    const fresh = target.path === '/persons' ? { cpr: fakeCpr('1985-05-05') } : {};
    return request(t.server)
      [target.method as 'post'](url)
      .set('Idempotency-Key', randomUUID())
      .send({ ...(body as object), ...fresh });
  }

  const fieldsOf = (response: request.Response): string[] =>
    ((response.body?.errors ?? []) as { field: string }[]).map((error) => error.field);

  it('refuses each naming the field, or carries it through; the log holds none', async () => {
    const commands = targets.filter((target) => target.method !== 'get');
    const attempts: Attempt[] = [];
    const invalidBaselines: string[] = [];
    for (const target of commands) {
      const schema = bodySchema(target);
      if (!schema) continue;
      const operation = `${target.method.toUpperCase()} ${target.path}`;
      const erasure = target.path.endsWith('/erasure');
      if (erasure) ids.set(`${target.path} personId`, ids.get('erasure personId')!);
      const body = {
        ...(validValue(schema, '', target.path) as object),
        ...BASELINE_FIELDS[operation],
      };
      // The valid body passes the edge (whatever the decider then says about the state).
      const baseline = await send(target, body);
      if (baseline.status === 400)
        invalidBaselines.push(`${operation}: ${fieldsOf(baseline).join(', ')}`);
      // What it created (a journal entry, a meeting …) is what later operations address.
      for (const [key, value] of Object.entries((baseline.body ?? {}) as Record<string, unknown>))
        if (key.endsWith('Id') && typeof value === 'string' && !ids.has(key)) ids.set(key, value);
      for (const path of stringPaths(body)) {
        const field = path.join('.');
        if (LEGITIMATE_CPR_FIELDS.has(`${operation} ${field}`)) continue;
        for (const value of CPR_VALUES) {
          if (target.path === NOTE_OPERATION) await contactWithoutNote();
          const response = await send(target, replaced(body, path, value));
          attempts.push({
            where: `${operation} ${field}`,
            status: response.status,
            fields: fieldsOf(response),
          });
        }
      }
    }
    expect(invalidBaselines).toEqual([]);

    const unguarded = attempts
      .filter(({ where, status, fields }) => {
        const field = where.split(' ')[2] ?? '';
        const refusedNamingField =
          (status === 400 || status === 422) &&
          fields.some((f) => f === field || field.startsWith(`${f}.`));
        return !refusedNamingField && !(status >= 200 && status < 300);
      })
      .map(({ where, status }) => `${where} -> ${status}`);
    expect([...new Set(unguarded)]).toEqual([]);

    const events = await databaseDump(t.databaseUrl, (schema) => schema === 'event_store');
    // The sweep can find: the valid bodies' free text reached the log.
    expect(tablesHolding(events, [PROBE_TEXT])).toContain('event_store.events');
    expect(tablesHolding(events, [CPR, PLAIN, SPACED])).toEqual([]);
    expect(attempts.length).toBeGreaterThan(100);
    // Some were carried through (a journal note, a person's name): the sweep had something to miss.
    expect(attempts.filter(({ status }) => status >= 200 && status < 300).length).toBeGreaterThan(
      0,
    );
  }, 120_000);
});

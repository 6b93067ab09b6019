import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  APPLICATION_LETTER_CHANNELS,
  COMPLAINT_TOPICS,
  CONTACT_CHANNELS,
  DELAY_REASONS,
  INQUIRY_POSTPONEMENT_REASONS,
} from '@tovholder/domain';
import { rebuildProjection } from '@tovholder/read-models';
import { writeImportFile } from '../bench/generate-import-file';
import { loadConfig } from '../apps/api/src/config/app-config';
import { fileLines } from '../apps/api/src/imports/import-file';
import { RECORD_KINDS } from '../apps/api/src/imports/import-records';
import {
  importedId,
  MunicipalityImport,
  type ImportOptions,
  type ImportReport,
} from '../apps/api/src/imports/municipality-import';
import { masterKeyFrom } from '../apps/api/src/persons/person-crypto';
import { PersonRegistry } from '../apps/api/src/persons/person-registry';
import { createProjectors } from '../apps/api/src/read-models';
import { untilStoreHeadReaches } from './support/fixtures';
import { openReadModelFixture, projectUpTo, type ReadModelFixture } from './support/read-model-db';

const NOW = new Date('2026-11-30T12:00:00.000Z');
// Seed 8: a small file with every record kind.
const SMALL = { families: 12, caseworkers: 14, seed: 8, now: NOW } as const;

interface StoredEvent {
  stream_id: string;
  revision: string;
  type: string;
  data: Record<string, unknown>;
}

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tovholder-import-'));
  file = join(dir, 'municipality.ndjson');
  await writeImportFile(file, SMALL);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function importInto(
  fixture: ReadModelFixture,
  key: Buffer,
  options: ImportOptions = {},
): MunicipalityImport {
  const registry = new PersonRegistry(fixture.dataSource, masterKeyFrom(key));
  return new MunicipalityImport(fixture.store, fixture.dataSource, registry, {
    batchStreams: 25,
    now: () => NOW,
    ...options,
  });
}

async function eventCount(fixture: ReadModelFixture): Promise<number> {
  const [row] = await fixture.dataSource.query<{ n: string }[]>(
    'SELECT count(*) AS n FROM event_store.events',
  );
  return Number(row?.n);
}

/** The log with person ids replaced by their source keys (registry ids differ per database). */
async function comparableLog(fixture: ReadModelFixture): Promise<string[]> {
  const persons = new Map(
    (
      await fixture.dataSource.query<{ resource_id: string; key: string }[]>(
        "SELECT resource_id, key FROM source_keys WHERE kind = 'person'",
      )
    ).map((row) => [row.resource_id, row.key]),
  );
  const rows = await fixture.dataSource.query<StoredEvent[]>(
    'SELECT stream_id, revision, type, data FROM event_store.events ORDER BY stream_id, revision',
  );
  return rows
    .map((row) => {
      const personId = row.data.personId;
      const data =
        typeof personId === 'string' ? { ...row.data, personId: persons.get(personId) } : row.data;
      // A young person's transition stream is named by their id.
      const stream = row.stream_id.replace(
        /^transition-(.+)$/,
        (_, id: string) => `transition-${persons.get(id)}`,
      );
      return `${stream}#${row.revision} ${row.type} ${JSON.stringify(data)}`;
    })
    .sort();
}

describe('import of an existing municipality', () => {
  let fixture: ReadModelFixture;
  const key = randomBytes(32);
  let first: ImportReport;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
    first = await importInto(fixture, key).run(fileLines(file));
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('imports every record of the generated file, and its read models equal a rebuild', async () => {
    expect(first.problems).toEqual([]);
    expect(first.refused).toBe(0);
    expect(first.events).toBeGreaterThan(100);
    expect(first.written).toBe(first.events);
    expect(await eventCount(fixture)).toBe(first.events);

    const [open] = await fixture.dataSource.query<{ n: string }[]>(
      "SELECT count(*) AS n FROM source_keys WHERE kind = 'case'",
    );
    expect(Number(open?.n)).toBeGreaterThan(SMALL.families);

    // The file holds open inquiries, applications, complaints and transitions too.
    const requestKinds = await fixture.dataSource.query<{ kind: string }[]>(
      `SELECT DISTINCT split_part(stream_id, '-', 1) AS kind FROM event_store.events
        WHERE stream_id ~ '^(inquiry|application|complaint|transition)-' ORDER BY 1`,
    );
    expect(requestKinds.map((row) => row.kind)).toEqual([
      'application',
      'complaint',
      'inquiry',
      'transition',
    ]);

    const head = await fixture.store.headPosition();
    for (const projector of createProjectors(loadConfig({}))) {
      await projectUpTo(fixture, projector, head ?? undefined);
      const snapshot = async (): Promise<string[][]> =>
        Promise.all(
          projector.tables.map(async (table) =>
            (await fixture.dataSource.query<object[]>(`SELECT * FROM ${table}`))
              .map((row) => JSON.stringify(row))
              .sort(),
          ),
        );
      const live = await snapshot();
      // Supervision samples and open duties' alert schedule have nothing to project from an
      // import like this one.
      if (!['supervision', 'alert-schedule'].includes(projector.name)) {
        expect(live.some((rows) => rows.length > 0)).toBe(true);
      }
      await rebuildProjection(fixture.dataSource, fixture.store, projector);
      expect(await snapshot()).toEqual(live);
    }
    // Each is a record of the casework read model, still outstanding.
    const outstanding = await fixture.dataSource.query<{ kind: string; n: string }[]>(
      `SELECT kind, count(*) AS n FROM casework_records
        WHERE outstanding AND kind IN ('inquiry', 'application', 'complaint') GROUP BY kind`,
    );
    const streams = await fixture.dataSource.query<{ kind: string; n: string }[]>(
      `SELECT split_part(stream_id, '-', 1) AS kind, count(DISTINCT stream_id) AS n
         FROM event_store.events WHERE stream_id ~ '^(inquiry|application|complaint)-' GROUP BY 1`,
    );
    const byKind = (rows: { kind: string; n: string }[]) =>
      Object.fromEntries(rows.map((row) => [row.kind, Number(row.n)]));
    expect(byKind(outstanding)).toEqual(byKind(streams));
  });

  it('the same file again writes no event', async () => {
    const before = await eventCount(fixture);
    const again = await importInto(fixture, key).run(fileLines(file));
    expect(again.problems).toEqual([]);
    expect(again.events).toBe(first.events);
    expect(again.written).toBe(0);
    expect(await eventCount(fixture)).toBe(before);
  });

  it("the same file again after the scheduler's due event on a transition writes nothing and reports nothing", async () => {
    const [stream] = await fixture.dataSource.query<{ stream_id: string; person_id: string }[]>(
      `SELECT stream_id, data->>'personId' AS person_id FROM event_store.events
        WHERE stream_id LIKE 'transition-%' ORDER BY stream_id LIMIT 1`,
    );
    if (!stream) throw new Error('the small file has no transition');
    // As the transition scheduler records a 16th birthday: its own event, after the import's.
    const due = await fixture.store.append(
      stream.stream_id,
      [
        {
          id: randomUUID(),
          type: 'TransitionPreparationDue',
          data: {
            personId: stream.person_id,
            birthDate: '2010-10-01',
            sixteenthBirthday: '2026-10-01',
            triggerCaseIds: [],
            dueAt: NOW.toISOString(),
          },
          metadata: { actor: 'system:transition-scheduler' },
        },
      ],
      'stream_exists',
    );
    // `written` counts from the log's visible head at the start, which must have passed it.
    await untilStoreHeadReaches(fixture.store, due.position);
    const before = await eventCount(fixture);
    const again = await importInto(fixture, key).run(fileLines(file));
    expect(again.problems).toEqual([]);
    expect(again.written).toBe(0);
    expect(await eventCount(fixture)).toBe(before);
  });

  it('a later file names persons, caseworkers and cases of an earlier import', async () => {
    const records = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { kind: string; person?: { system: string; key: string } },
      );
    const someCase = records.find((record) => record.kind === 'case');
    const application = records.find((record) => record.kind === 'application');
    if (!someCase?.person || !application)
      throw new Error('the small file has no case or application');
    const later = join(dir, 'later.ndjson');
    await writeFile(
      later,
      [
        // Its person and caseworkers, and the application's case, are the earlier import's.
        { ...someCase, source: { system: 'DUBU', key: 'LATER-1' } },
        { ...application, source: { system: 'DUBU', key: 'LATER-2' } },
      ]
        .map((record) => `${JSON.stringify(record)}\n`)
        .join(''),
    );
    const before = await eventCount(fixture);
    const report = await importInto(fixture, key).run(fileLines(later));
    expect(report.problems).toEqual([]);
    expect(report.imported).toBe(2);
    expect(report.written).toBe(report.events);
    expect(await eventCount(fixture)).toBe(before + report.events);
    const [opened] = await fixture.dataSource.query<{ person: string; earlier: string }[]>(
      `SELECT e.data->>'personId' AS person, k.resource_id AS earlier
         FROM event_store.events e, source_keys k
        WHERE e.stream_id = $1 AND e.revision = 0
          AND k.kind = 'person' AND k.system = $2 AND k.key = $3`,
      [
        `case-${importedId('case', { system: 'DUBU', key: 'LATER-1' })}`,
        someCase.person.system,
        someCase.person.key,
      ],
    );
    expect(opened?.person).toBe(opened?.earlier);
  });

  it('a corrected file writes only what it adds', async () => {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const index = lines.findIndex(
      (line) => line.includes('"kind":"case"') && line.includes('"caseworkers":[{'),
    );
    const record = JSON.parse(lines[index] ?? '{}') as { closedAt?: string; closeReason?: string };
    const wasClosed = record.closedAt !== undefined;
    if (wasClosed) delete record.closedAt;
    else record.closedAt = '2026-11-29T10:00:00.000Z';
    lines[index] = JSON.stringify(record);
    const corrected = join(dir, 'corrected.ndjson');
    await writeFile(corrected, `${lines.join('\n')}\n`);

    const before = await eventCount(fixture);
    const report = await importInto(fixture, key).run(fileLines(corrected));
    if (wasClosed) {
      // Taking a close back would rewrite history: reported, nothing written.
      expect(report.problems).toEqual([
        expect.objectContaining({ line: index + 1, kind: 'case', field: 'source' }),
      ]);
      expect(await eventCount(fixture)).toBe(before);
    } else {
      expect(report.problems).toEqual([]);
      expect(report.written).toBe(1);
      expect(await eventCount(fixture)).toBe(before + 1);
    }
  });
});

describe('the example file (docs/import.example.ndjson)', () => {
  it('imports without a problem', async () => {
    const fixture = await openReadModelFixture();
    try {
      const example = resolve(__dirname, '../docs/import.example.ndjson');
      const report = await importInto(fixture, randomBytes(32)).run(fileLines(example));
      expect(report.problems).toEqual([]);
      expect(report.imported).toBe(17);
      expect(await eventCount(fixture)).toBe(report.events);
    } finally {
      await fixture.close();
    }
  });
});

describe('the JSON Schema (docs/import.schema.json)', () => {
  const schema = JSON.parse(
    readFileSync(resolve(__dirname, '../docs/import.schema.json'), 'utf8'),
  ) as {
    oneOf: { $ref: string }[];
    $defs: Record<string, unknown>;
  };
  const at = (path: string): unknown =>
    path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], schema);

  it('names every record kind the import reads, with the enums the API validates', () => {
    expect(schema.oneOf.map((entry) => entry.$ref.replace('#/$defs/', ''))).toEqual([
      ...RECORD_KINDS,
    ]);
    expect(at('$defs.channel.enum')).toEqual([...CONTACT_CHANNELS]);
    expect(at('$defs.complaint.properties.about.enum')).toEqual([...COMPLAINT_TOPICS]);
    expect(at('$defs.inquiry.properties.postponements.items.properties.reason.enum')).toEqual([
      ...INQUIRY_POSTPONEMENT_REASONS,
    ]);
    const notice = '$defs.application.properties.delayNotices.items.properties';
    expect(at(`${notice}.reason.enum`)).toEqual([...DELAY_REASONS]);
    expect(at(`${notice}.channel.enum`)).toEqual([...APPLICATION_LETTER_CHANNELS]);
  });
});

describe('import with bad records', () => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('reports each bad record (line, kind, field, reason) without its values, and imports the rest', async () => {
    const good = (await readFile(file, 'utf8')).trimEnd().split('\n');
    const firstCase = good.findIndex((line) => line.includes('"kind":"case"'));
    const secretName = 'Hemmelig Hansen';
    const badCpr = '320199-1234';
    const planted = [
      { kind: 'person', source: { system: 'ESDH', key: 'X1' }, cpr: badCpr, name: secretName },
      {
        kind: 'person',
        source: { system: 'ESDH', key: '010190-1234' },
        cpr: '010190-1234',
        name: secretName,
      },
      {
        kind: 'case',
        source: { system: 'DUBU', key: 'BAD-1' },
        person: { system: 'ESDH', key: 'P0000001' },
        departmentId: 'CBU',
        caseType: 'child-support',
        openedAt: '2026-01-05T10:00:00.000Z',
        caseworkers: [
          { caseworker: { system: 'AD', key: 'nobody' }, from: '2026-01-06T10:00:00.000Z' },
        ],
      },
      {
        kind: 'case',
        source: { system: 'DUBU', key: 'BAD-2' },
        person: { system: 'ESDH', key: 'P0000001' },
        departmentId: 'CBU',
        caseType: 'child-support',
        openedAt: '2030-01-05T10:00:00.000Z',
      },
      {
        kind: 'family',
        source: { system: 'DUBU', key: 'BAD-3' },
        registeredAt: '2020-01-01T00:00:00.000Z',
        members: [
          {
            person: { system: 'ESDH', key: 'P0000001' },
            role: 'uncle',
            addedAt: '2020-01-01T00:00:00.000Z',
          },
        ],
      },
      {
        kind: 'inquiry',
        source: { system: 'DUBU', key: 'BAD-4' },
        person: { system: 'ESDH', key: 'P0000001' },
        departmentId: 'CBU',
        channel: 'phone',
        receivedAt: '2026-03-10T10:00:00.000Z',
        acknowledgement: {
          channel: 'e-mail',
          answerPromisedBy: '2026-03-20',
          at: '2026-03-09T10:00:00.000Z',
        },
      },
      {
        kind: 'application',
        source: { system: 'DUBU', key: 'BAD-5' },
        case: { system: 'DUBU', key: 'no-such-case' },
        applicationDate: '2026-03-01',
        receivedAt: '2026-03-02T10:00:00.000Z',
      },
      {
        kind: 'complaint',
        source: { system: 'DUBU', key: 'BAD-6' },
        departmentId: 'CBU',
        about: 'the weather',
        channel: 'letter',
        receivedAt: '2026-03-02T10:00:00.000Z',
      },
      { kind: 'meeting', what: 'unknown kind' },
    ];
    // Planted after the first case, so good records follow the bad ones.
    const lines = [
      ...good.slice(0, firstCase + 1),
      ...planted.map((record) => JSON.stringify(record)),
      'not json',
      ...good.slice(firstCase + 1),
    ];
    const withBad = join(dir, 'with-bad-records.ndjson');
    await writeFile(withBad, `${lines.join('\n')}\n`);

    const report = await importInto(fixture, randomBytes(32)).run(fileLines(withBad));
    const at = firstCase + 2;
    expect(report.problems).toEqual([
      { line: at, kind: 'person', field: 'cpr', reason: expect.stringMatching(/^DATE/) },
      { line: at + 1, kind: 'person', field: 'source.key', reason: 'key must not be a CPR number' },
      {
        line: at + 2,
        kind: 'case',
        field: 'caseworkers.0.caseworker',
        reason: expect.stringContaining('no caseworker'),
      },
      { line: at + 3, kind: 'case', field: 'openedAt', reason: 'must not be in the future' },
      { line: at + 4, kind: 'family', field: 'members.0.role', reason: expect.any(String) },
      {
        line: at + 5,
        kind: 'inquiry',
        field: 'acknowledgement.at',
        reason: expect.stringContaining('must not be before'),
      },
      {
        line: at + 6,
        kind: 'application',
        field: 'case',
        reason: expect.stringContaining('no case'),
      },
      { line: at + 7, kind: 'complaint', field: 'about', reason: expect.any(String) },
      { line: at + 8, kind: 'unknown', field: 'kind', reason: expect.any(String) },
      { line: at + 9, kind: 'unknown', field: 'line', reason: 'is not JSON' },
    ]);
    expect(report.refused).toBe(planted.length + 1);
    expect(report.imported).toBe(good.length);
    const text = JSON.stringify(report);
    expect(text).not.toContain(secretName);
    expect(text).not.toContain(badCpr);
    expect(text).not.toContain('010190');

    const [row] = await fixture.dataSource.query<{ n: string }[]>(
      "SELECT count(*) AS n FROM source_keys WHERE key LIKE 'BAD-%' OR key = 'X1'",
    );
    expect(Number(row?.n)).toBe(0);
    const [plantedEvents] = await fixture.dataSource.query<{ n: string }[]>(
      "SELECT count(*) AS n FROM event_store.events WHERE metadata->>'importedFrom' LIKE '%BAD-%'",
    );
    expect(Number(plantedEvents?.n)).toBe(0);
    expect(await eventCount(fixture)).toBe(report.events);
  });

  it('--strict writes nothing when a record is bad', async () => {
    const strictFixture = await openReadModelFixture();
    try {
      const withBad = join(dir, 'with-bad-records.ndjson');
      const report = await importInto(strictFixture, randomBytes(32), { strict: true }).run(
        fileLines(withBad),
      );
      expect(report.abandoned).toBe(true);
      expect(report.problems.length).toBeGreaterThan(0);
      expect(await eventCount(strictFixture)).toBe(0);
      const [persons] = await strictFixture.dataSource.query<{ n: string }[]>(
        'SELECT count(*) AS n FROM persons',
      );
      expect(Number(persons?.n)).toBe(0);
    } finally {
      await strictFixture.close();
    }
  });
});

describe('import killed mid-way', () => {
  it('kill -9 then the same import again gives exactly the events of a clean run', async () => {
    const clean = await openReadModelFixture();
    const crashed = await openReadModelFixture();
    const key = randomBytes(32);
    try {
      await importInto(clean, key).run(fileLines(file));

      const child = runChild(crashed.url, key);
      const lines = createInterface({ input: child.process.stdout });
      let batches = 0;
      for await (const line of lines) {
        if (line.startsWith('BATCH') && ++batches === 3) {
          child.process.kill('SIGKILL');
          break;
        }
        if (line.startsWith('DONE')) throw new Error('the import finished before it was killed');
      }
      await child.exited;
      const partial = await eventCount(crashed);
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(await eventCount(clean));

      const resumed = runChild(crashed.url, key);
      expect(await resumed.exited).toBe(0);
      expect(await comparableLog(crashed)).toEqual(await comparableLog(clean));
    } finally {
      await crashed.close();
      await clean.close();
    }
  }, 120_000); // two child processes that compile TypeScript on start
});

function runChild(url: string, key: Buffer) {
  const child = spawn(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      resolve(__dirname, 'support/import.child.ts'),
      url,
      file,
      key.toString('base64'),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { process: child, exited };
}

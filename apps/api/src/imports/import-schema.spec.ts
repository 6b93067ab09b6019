import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020';
import { writeImportFile } from '../../../../bench/generate-import-file';
import { nullFields } from '../http/validation';
import { RECORD_CLASSES, RECORD_KINDS, type RecordKind } from './import-records';
import { IMPORT_SCHEMA, matchesImportSchema } from './import-schema';

/**
 * The import takes a line the compiled schema accepts without asking the record classes, so the
 * schema must accept nothing the classes (and the API's refusal of null) refuse. These tests
 * keep the two from drifting apart, and docs/import.schema.json equal to the schema in code.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

async function classesAccept(value: Json): Promise<boolean> {
  const kind = (value as { kind?: unknown }).kind as RecordKind;
  // A random kind may name an Object.prototype member ("toString"): the classes know no such kind.
  if (!Object.hasOwn(RECORD_CLASSES, kind)) return false;
  if (nullFields(value).length > 0) return false;
  const errors = await validate(plainToInstance(RECORD_CLASSES[kind], value), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
  return errors.length === 0;
}

const source = (key: string): Json => ({ system: 'DUBU', key });
const at = '2024-03-04T09:30:00Z';

/** A record of each kind with every optional field given. */
const FULL: Record<RecordKind, Json> = {
  department: { kind: 'department', id: 'CBU', name: 'Børn og Unge', area: 'children' },
  caseworker: {
    kind: 'caseworker',
    source: source('anha'),
    departmentId: 'CBU',
    name: 'Anna Hald',
    registeredAt: at,
  },
  person: {
    kind: 'person',
    source: source('P-1'),
    cpr: '010190-0000',
    name: 'Mette Eksempel',
    exemptFromDigitalPost: true,
  },
  family: {
    kind: 'family',
    source: source('F-1'),
    registeredAt: at,
    members: [{ person: source('P-1'), role: 'parent', addedAt: at }],
    primaryContacts: [
      {
        caseworker: source('anha'),
        since: at,
        reason: 'Moved',
        toldAt: at,
        toldChannel: 'letter',
      },
    ],
  },
  case: {
    kind: 'case',
    source: source('C-1'),
    person: source('P-1'),
    departmentId: 'CBU',
    caseType: 'child-support',
    openedAt: at,
    caseworkers: [
      { caseworker: source('anha'), from: at, reason: 'New', toldAt: at, toldChannel: 'phone' },
    ],
    closedAt: at,
    closeReason: 'Done',
  },
  inquiry: {
    kind: 'inquiry',
    source: source('I-1'),
    person: source('P-1'),
    departmentId: 'CBU',
    case: source('C-1'),
    channel: 'phone',
    receivedAt: at,
    acknowledgement: { channel: 'e-mail', answerPromisedBy: '2024-03-20', at },
    postponements: [{ answerPromisedBy: '2024-04-20', reason: 'complex-inquiry', at }],
  },
  application: {
    kind: 'application',
    source: source('A-1'),
    case: source('C-1'),
    applicationDate: '2024-03-01',
    receivedAt: at,
    delayNotices: [{ channel: 'letter', expectedDecisionBy: '2024-06-01', reason: 'capacity', at }],
  },
  complaint: {
    kind: 'complaint',
    source: source('K-1'),
    departmentId: 'CBU',
    person: source('P-1'),
    case: source('C-1'),
    about: 'service',
    channel: 'letter',
    receivedAt: at,
  },
  transition: {
    kind: 'transition',
    source: source('T-1'),
    person: source('P-1'),
    startedBy: source('anha'),
    startedAt: at,
    inDialogueWith: ['young-person', 'parents'],
    track: { track: 'other', note: 'Own housing first', chosenAt: at },
    adultCaseworker: { caseworker: source('anha'), departmentId: 'CHP', assignedAt: at },
    adultAssessmentStartedAt: at,
  },
};

/** Every path to a member of the record (object members and array items), e.g. members.0.role. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((member, index) => [index, member])
    : Object.entries(value);
  return entries.flatMap(([key, member]) => [[...prefix, key], ...paths(member, [...prefix, key])]);
}

/** A copy with the member at `path` set to `to`, or removed when `to` is undefined. */
function changed(value: Json, path: readonly (string | number)[], to: Json | undefined): Json {
  const copy = structuredClone(value);
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path.at(-1) as string | number;
  if (to === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = to;
  return copy;
}

/** Values near the rules' edges: lengths, dates, CPR-shaped keys, variation selectors, types. */
const awkward: Json[] = [
  null,
  7,
  true,
  '',
  ' ',
  '\uFE0F',
  'a\uFE0F',
  '😀',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(200),
  'x'.repeat(201),
  'x'.repeat(500),
  'x'.repeat(501),
  `${'😀'.repeat(100)}`,
  `${'😀'.repeat(201)}`,
  `${'\uFE0F'.repeat(3)}a${'x'.repeat(199)}`,
  '2024-03-04',
  '2024-03-04T09:30Z',
  '2024-03-04T09:30:00',
  '2024-03-04T09:30:00.123456789+01:00',
  '2024-02-30T09:30:00Z',
  '2024-03-04T24:00:00Z',
  '2024-03-04 09:30:00Z',
  '2024-03-04t09:30:00z',
  '0100-01-01T00:00:00Z',
  '2024-02-29',
  '2023-02-29',
  '1899-12-31',
  '2200-01-01',
  '010190-1234',
  '0101901234',
  'A0101901234',
  'CBU-123456',
  'DUBU',
  'Nexus_2',
  '9DUBU',
  'letter',
  'child',
  'capacity',
  [],
  [{}],
  {},
  { system: 'DUBU', key: 'x' },
  { system: 'DUBU', key: '010190-1234' },
  { system: 'DUBU', key: 'x', extra: 1 },
];

describe('the import schema', () => {
  it('is docs/import.schema.json (write it with apps/api/src/imports/write-import-schema.ts)', () => {
    const documented: unknown = JSON.parse(
      readFileSync(resolve(__dirname, '../../../../docs/import.schema.json'), 'utf8'),
    );
    expect(documented).toEqual(JSON.parse(JSON.stringify(IMPORT_SCHEMA)));
  });

  it('is a valid JSON Schema 2020-12 (the import compiles it without this check)', () => {
    const ajv = new Ajv2020({ strict: true, allowMatchingProperties: true });
    expect(ajv.validateSchema(IMPORT_SCHEMA)).toBe(true);
    expect(ajv.errors ?? []).toEqual([]);
  });

  it('accepts a full record of each kind, as the record classes do', async () => {
    for (const kind of RECORD_KINDS) {
      expect([kind, matchesImportSchema(kind, FULL[kind])]).toEqual([kind, true]);
      expect([kind, await classesAccept(FULL[kind])]).toEqual([kind, true]);
    }
  });

  it('agrees with the record classes when any member is left out, and refuses an unknown one', async () => {
    for (const kind of RECORD_KINDS) {
      const record = FULL[kind];
      for (const path of paths(record)) {
        const without = changed(record, path, undefined);
        const verdicts = [matchesImportSchema(kind, without), await classesAccept(without)];
        expect([kind, path.join('.'), verdicts[0]]).toEqual([kind, path.join('.'), verdicts[1]]);
      }
      const extra = { ...(record as Record<string, Json>), note: 'x' };
      expect(matchesImportSchema(kind, extra)).toBe(false);
      expect(await classesAccept(extra)).toBe(false);
    }
  });

  it('accepts no value at any member that the record classes refuse', async () => {
    let agreed = 0;
    let checked = 0;
    /** True unless the schema accepts what the classes refuse (a record would skip them). */
    const safe = async (kind: RecordKind, path: (string | number)[], value: Json) => {
      const mutated = changed(FULL[kind], path, value);
      const bySchema = matchesImportSchema(kind, mutated);
      const byClasses = await classesAccept(mutated);
      checked += 1;
      if (bySchema === byClasses) agreed += 1;
      return !bySchema || byClasses ? null : { kind, path: path.join('.'), value };
    };
    const unsafe: unknown[] = [];
    for (const kind of RECORD_KINDS) {
      for (const path of paths(FULL[kind])) {
        for (const value of awkward) {
          const found = await safe(kind, path, value);
          if (found) unsafe.push(found);
        }
      }
    }
    expect(unsafe).toEqual([]);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...RECORD_KINDS),
        fc.nat(),
        fc.string({ unit: 'binary', maxLength: 30 }),
        async (kind, pick, value) => {
          const all = paths(FULL[kind]);
          return (await safe(kind, all[pick % all.length] ?? ['source'], value)) === null;
        },
      ),
      { numRuns: 500 },
    );
    // The other direction only sends a good record down the slower path; it should be rare.
    expect(agreed / checked).toBeGreaterThan(0.95);
  });

  it('accepts every line of the example file and of a generated municipality', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tovholder-import-schema-'));
    try {
      const generated = join(folder, 'municipality.ndjson');
      await writeImportFile(generated, { families: 40 });
      const example = resolve(__dirname, '../../../../docs/import.example.ndjson');
      for (const file of [example, generated]) {
        const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim());
        const refused = lines.filter((line) => {
          const value = JSON.parse(line) as { kind: RecordKind };
          return !matchesImportSchema(value.kind, value);
        });
        expect(refused).toEqual([]);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

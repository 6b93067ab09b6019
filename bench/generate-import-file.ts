// Writes a municipality as an import file (NDJSON, docs/import.schema.json): departments,
// caseworkers, persons, families with members and primary contacts, cases with their caseworker
// history over ten years, open inquiries, applications and complaints, and young people's
// transitions in progress. The default size is the domain brief's municipality (10,000 families,
// ~40,000 cases, 600 caseworkers); tests write a small one. Same seed, same file, except the
// made-up CPR numbers' serials, which are drawn from the seed too (never real numbers on disk in
// the repository: the file is generated, not committed).
//
//   node -r @swc-node/register bench/generate-import-file.ts <out.ndjson> [families]
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DEFAULT_DEPARTMENTS } from '../apps/api/src/departments/default-departments';
import { CASE_TYPES, seededRandom } from './generate-municipality';

export interface ImportFileOptions {
  readonly families?: number;
  /** Average cases per family (default 4). */
  readonly casesPerFamily?: number;
  readonly caseworkers?: number;
  readonly seed?: number;
  /** The file's "today" (default: now); every date is before it. */
  readonly now?: Date;
}

export interface ImportFileCounts {
  readonly lines: number;
  readonly caseworkers: number;
  readonly persons: number;
  readonly families: number;
  readonly cases: number;
  /** Open inquiries, applications and complaints. */
  readonly requests: number;
  /** Young people's transitions in progress. */
  readonly transitions: number;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;
const HISTORY_YEARS = 10;

/** Each department's source system, as in the brief: DUBU for children, Nexus for adults. */
const SYSTEM_OF: Record<string, string> = {
  CBU: 'DUBU',
  FAMILIE: 'DUBU',
  UU: 'DUBU',
  UNGEENHEDEN: 'DUBU',
  CHP: 'Nexus',
  CSAE: 'Nexus',
  JOBCENTER: 'Momentum',
};

type Role = 'child' | 'young-person' | 'adult' | 'parent';
const DEPARTMENTS_BY_ROLE: Record<Role, readonly string[]> = {
  child: ['CBU', 'FAMILIE'],
  'young-person': ['CBU', 'UU', 'UNGEENHEDEN', 'FAMILIE'],
  adult: ['UNGEENHEDEN', 'UU', 'JOBCENTER', 'CHP'],
  parent: ['JOBCENTER', 'CHP', 'CSAE', 'FAMILIE'],
};

const iso = (time: number): string => new Date(Math.floor(time / 1000) * 1000).toISOString();
const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** A made-up CPR number for a birth date, unique in the file (serial drawn, then bumped). */
function cprMaker(random: () => number): (birth: Date) => string {
  const taken = new Set<string>();
  return (birth) => {
    const year = birth.getUTCFullYear();
    const yy = year % 100;
    const seventh = year >= 2000 ? (yy <= 36 ? 4 : 5) : 0;
    const date = `${pad(birth.getUTCDate(), 2)}${pad(birth.getUTCMonth() + 1, 2)}${pad(yy, 2)}`;
    const first = Math.floor(random() * 1000);
    for (let tried = 0; tried < 1000; tried += 1) {
      const cpr = `${date}-${seventh}${pad((first + tried) % 1000, 3)}`;
      if (!taken.has(cpr)) {
        taken.add(cpr);
        return cpr;
      }
    }
    throw new Error(`more than 1000 persons born on one day (${birth.toISOString().slice(0, 10)})`);
  };
}

interface OpenCase {
  readonly source: { system: string; key: string };
  readonly person: { system: string; key: string };
  readonly departmentId: string;
  readonly opened: number;
  readonly now: number;
}

const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/**
 * A few open requests in an open case, all from the last months: an application (1 in 8, some
 * with a notice of delay), an inquiry (1 in 8, most acknowledged with a promised answer date,
 * some postponed) and a complaint (1 in 30, a few anonymous). Dates fall between the case's
 * opening and today; promised dates lie a few weeks on, as the brief's deadlines do.
 */
function openRequests(random: () => number, open: OpenCase): object[] {
  const records: object[] = [];
  const recent = (days: number): number =>
    Math.max(open.opened + DAY_MS, open.now - random() * days * DAY_MS);
  const key = (prefix: string): string => `${prefix}-${open.source.key}`;
  if (random() < 1 / 8) {
    const received = recent(70);
    const delayed = received + 40 * DAY_MS;
    records.push({
      kind: 'application',
      source: { system: open.source.system, key: key('A') },
      case: open.source,
      applicationDate: isoDay(received - DAY_MS),
      receivedAt: iso(received),
      ...(delayed < open.now - DAY_MS && random() < 0.5
        ? {
            delayNotices: [
              {
                channel: 'digital-post',
                expectedDecisionBy: isoDay(delayed + 60 * DAY_MS),
                reason: 'awaiting-other-authority',
                at: iso(delayed),
              },
            ],
          }
        : {}),
    });
  }
  if (random() < 1 / 8) {
    const received = recent(30);
    const acknowledged = received + random() * 2 * DAY_MS;
    const postponed = acknowledged + 10 * DAY_MS;
    const isAcknowledged = acknowledged < open.now - 1000 && random() < 0.8;
    records.push({
      kind: 'inquiry',
      source: { system: open.source.system, key: key('H') },
      person: open.person,
      departmentId: open.departmentId,
      case: open.source,
      channel: 'phone',
      receivedAt: iso(received),
      ...(isAcknowledged
        ? {
            acknowledgement: {
              channel: 'e-mail',
              answerPromisedBy: isoDay(acknowledged + 14 * DAY_MS),
              at: iso(acknowledged),
            },
          }
        : {}),
      ...(isAcknowledged && postponed < open.now - 1000 && random() < 0.3
        ? {
            postponements: [
              {
                answerPromisedBy: isoDay(postponed + 21 * DAY_MS),
                reason: 'awaiting-other-department',
                at: iso(postponed),
              },
            ],
          }
        : {}),
    });
  }
  if (random() < 1 / 30) {
    records.push({
      kind: 'complaint',
      source: { system: open.source.system, key: key('K') },
      departmentId: open.departmentId,
      case: open.source,
      ...(random() < 0.9 ? { person: open.person } : {}),
      about: 'casework',
      channel: 'letter',
      receivedAt: iso(recent(45)),
    });
  }
  return records;
}

export async function writeImportFile(
  path: string,
  options: ImportFileOptions = {},
): Promise<ImportFileCounts> {
  const familyCount = options.families ?? 10_000;
  const casesPerFamily = options.casesPerFamily ?? 4;
  const caseworkerCount = options.caseworkers ?? 600;
  const random = seededRandom(options.seed ?? 20_261_205);
  const now = (options.now ?? new Date()).getTime();
  const start = now - HISTORY_YEARS * YEAR_MS;
  const makeCpr = cprMaker(random);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const out = createWriteStream(path);
  let buffered: string[] = [];
  let lines = 0;
  const write = async (record: object): Promise<void> => {
    buffered.push(JSON.stringify(record));
    lines += 1;
    if (buffered.length >= 2_000) await drain();
  };
  const drain = async (): Promise<void> => {
    if (buffered.length === 0) return;
    const chunk = `${buffered.join('\n')}\n`;
    buffered = [];
    if (!out.write(chunk)) await once(out, 'drain');
  };

  for (const department of DEFAULT_DEPARTMENTS) await write({ kind: 'department', ...department });

  const departments = DEFAULT_DEPARTMENTS.map((d) => d.id);
  const staff = new Map<string, string[]>(departments.map((id) => [id, []]));
  for (let n = 1; n <= caseworkerCount; n += 1) {
    const departmentId = departments[(n - 1) % departments.length] ?? 'CBU';
    const key = `cw${pad(n, 5)}`;
    staff.get(departmentId)?.push(key);
    await write({
      kind: 'caseworker',
      source: { system: 'AD', key },
      departmentId,
      name: `Sagsbehandler ${n}`,
      registeredAt: iso(start - 30 * DAY_MS - random() * YEAR_MS),
    });
  }
  const caseworker = (key: string) => ({ system: 'AD', key });

  let persons = 0;
  let cases = 0;
  let requests = 0;
  let transitions = 0;
  const caseSerial = new Map<number, number>();
  for (let f = 1; f <= familyCount; f += 1) {
    const registered = start + random() * (now - start - 60 * DAY_MS);
    const members: { key: string; role: Role; addedAt: number; birth: number }[] = [];
    const parents = random() < 0.7 ? 2 : 1;
    const children = 1 + Math.floor(random() * 3);
    for (let m = 0; m < parents + children; m += 1) {
      const isParent = m < parents;
      let birth = isParent
        ? registered - (22 + random() * 30) * YEAR_MS
        : registered + 2 * YEAR_MS - random() * 16 * YEAR_MS; // up to 14 at registration
      // Not yet born by today: born some day in the last year instead (spread, not one date).
      if (birth > now - DAY_MS) birth = now - DAY_MS - random() * YEAR_MS;
      const age = (now - birth) / YEAR_MS;
      const role: Role = isParent
        ? 'parent'
        : age < 15
          ? 'child'
          : age < 18
            ? 'young-person'
            : 'adult';
      persons += 1;
      const key = `P${pad(persons, 7)}`;
      await write({
        kind: 'person',
        source: { system: 'ESDH', key },
        cpr: makeCpr(new Date(birth)),
        name: `Borger ${persons}`,
      });
      members.push({ key, role, addedAt: registered + (m + 1) * 1000, birth });
    }

    // Cases first in memory: the family's primary contact is one of its caseworkers.
    const familyCases: object[] = [];
    // Open inquiries, applications and complaints in the family's open cases.
    const familyRequests: object[] = [];
    const familyCaseworkers: { key: string; from: number }[] = [];
    const count = Math.max(1, 1 + Math.floor(random() * (2 * casesPerFamily - 1)));
    for (let k = 0; k < count; k += 1) {
      const member = pick(members);
      const departmentId = pick(DEPARTMENTS_BY_ROLE[member.role]);
      const opened = registered + DAY_MS + random() * (now - registered - 30 * DAY_MS);
      const year = new Date(opened).getUTCFullYear();
      const serial = (caseSerial.get(year) ?? 0) + 1;
      caseSerial.set(year, serial);
      const periods: object[] = [];
      let from = opened + random() * 5 * DAY_MS;
      const changes = random() < 0.3 ? 1 + Math.floor(random() * 2) : 0;
      let previous = '';
      for (let p = 0; p <= changes && from < now - DAY_MS; p += 1) {
        let key = pick(staff.get(departmentId) ?? []);
        if (key === previous) key = pick(staff.get(departmentId) ?? []);
        if (key === previous) break;
        previous = key;
        familyCaseworkers.push({ key, from });
        // Most changes are told within a few days; some never are (they raise a flag).
        const told = p > 0 && random() < 0.85;
        periods.push({
          caseworker: caseworker(key),
          from: iso(from),
          ...(p > 0 ? { reason: 'Omfordeling af sager' } : {}),
          ...(told
            ? {
                toldAt: iso(Math.min(now - 1000, from + random() * 4 * DAY_MS)),
                toldChannel: 'digital-post',
              }
            : {}),
        });
        from += (0.3 + random()) * YEAR_MS;
      }
      const closed = random() < 0.15 ? from + random() * YEAR_MS : null;
      const caseSource = {
        system: SYSTEM_OF[departmentId] ?? 'DUBU',
        key: `${year}-${pad(serial, 6)}`,
      };
      if (closed === null || closed >= now - DAY_MS) {
        familyRequests.push(
          ...openRequests(random, {
            source: caseSource,
            person: { system: 'ESDH', key: member.key },
            departmentId,
            opened,
            now,
          }),
        );
      }
      familyCases.push({
        kind: 'case',
        source: caseSource,
        person: { system: 'ESDH', key: member.key },
        departmentId,
        caseType: CASE_TYPES[departmentId] ?? 'general-support',
        openedAt: iso(opened),
        caseworkers: periods,
        ...(closed !== null && closed < now - DAY_MS
          ? { closedAt: iso(closed), closeReason: 'Indsatsen er afsluttet' }
          : {}),
      });
    }
    cases += familyCases.length;

    const primaryContacts: object[] = [];
    if (random() < 0.6 && familyCaseworkers.length > 0) {
      const chosen = pick(familyCaseworkers);
      const since = Math.max(chosen.from, registered + DAY_MS) + DAY_MS;
      if (since < now - DAY_MS) {
        primaryContacts.push({
          caseworker: caseworker(chosen.key),
          since: iso(since),
          ...(random() < 0.9
            ? {
                toldAt: iso(Math.min(now - 1000, since + random() * 3 * DAY_MS)),
                toldChannel: 'letter',
              }
            : {}),
        });
      }
    }
    await write({
      kind: 'family',
      source: { system: 'DUBU', key: `F-${pad(f, 6)}` },
      registeredAt: iso(registered),
      members: members.map((member) => ({
        person: { system: 'ESDH', key: member.key },
        role: member.role,
        addedAt: iso(member.addedAt),
      })),
      ...(primaryContacts.length > 0 ? { primaryContacts } : {}),
    });
    for (const record of familyCases) await write(record);
    for (const record of familyRequests) await write(record);
    requests += familyRequests.length;
    for (const member of members) {
      const record = transitionInProgress(random, member, staff, now);
      if (record === null) continue;
      await write(record);
      transitions += 1;
    }
  }
  await drain();
  out.end();
  await once(out, 'finish');
  return {
    lines,
    caseworkers: caseworkerCount,
    persons,
    families: familyCount,
    cases,
    requests,
    transitions,
  };
}

/**
 * About half the young people past 15½ have their transition to the adult side started: by the
 * children's side, some with a track chosen, an adult caseworker and the assessment begun.
 */
function transitionInProgress(
  random: () => number,
  member: { key: string; birth: number },
  staff: ReadonlyMap<string, readonly string[]>,
  now: number,
): object | null {
  const age = (now - member.birth) / YEAR_MS;
  if (age < 15.5 || age >= 18 || random() >= 0.5) return null;
  const of = (departmentId: string): { system: string; key: string } => {
    const keys = staff.get(departmentId) ?? [];
    return { system: 'AD', key: keys[Math.floor(random() * keys.length)] ?? 'cw00001' };
  };
  const since = Math.max(member.birth + 15.5 * YEAR_MS, now - 180 * DAY_MS);
  let at = since + random() * (now - since - 20 * DAY_MS);
  const next = (): string => {
    at = Math.min(now - DAY_MS, at + random() * 20 * DAY_MS);
    return iso(at);
  };
  const record: Record<string, unknown> = {
    kind: 'transition',
    source: { system: 'DUBU', key: `T-${member.key}` },
    person: { system: 'ESDH', key: member.key },
    startedBy: of('CBU'),
    startedAt: iso(at),
    inDialogueWith: random() < 0.7 ? ['parents', 'young-person'] : ['young-person'],
  };
  if (random() < 0.6) {
    record.track = { track: 'residential-home-vum', chosenAt: next() };
    if (random() < 0.6) {
      record.adultCaseworker = { caseworker: of('CHP'), departmentId: 'CHP', assignedAt: next() };
      if (random() < 0.5) record.adultAssessmentStartedAt = next();
    }
  }
  return record;
}

if (require.main === module) {
  const [path, families] = process.argv.slice(2);
  if (!path) {
    console.log(
      'usage: node -r @swc-node/register bench/generate-import-file.ts <out.ndjson> [families]',
    );
    process.exit(2);
  }
  writeImportFile(path, { families: families ? Number(families) : undefined }).then(
    (counts) => console.log(JSON.stringify(counts)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

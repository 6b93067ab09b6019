// Builds a municipality's worth of data in a database whose read-model migrations have run:
// registry rows (persons, caseworker_names) by SQL, and the domain events appended straight
// through PostgresEventStore, one append per stream with all of that stream's events, by several
// appenders at once. Nothing goes through HTTP or the command handlers: this is test data, not a
// measurement of them. Sized by parameters, so the same code makes a national dataset later.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  caseStream,
  caseworkerStream,
  familyStream,
  type CaseOpened,
  type CaseworkerAssigned,
  type CaseworkerRegistered,
  type FamilyMemberAdded,
  type FamilyRegistered,
  type FamilyRole,
  type PrimaryContactAssigned,
} from '@tovholder/domain';
import { PostgresEventStore, type NewEvent, type StreamAppend } from '@tovholder/event-store';
import { Pool } from 'pg';
import { DEFAULT_DEPARTMENTS } from '../apps/api/src/departments/default-departments';
import { caseRecordStreams } from './generate-case-records';

export interface MunicipalityOptions {
  /** Households (default 10,000: the domain brief's municipal size). */
  readonly families?: number;
  /** Average open cases per family (default 4: 40,000 cases for 10,000 families). */
  readonly casesPerFamily?: number;
  /** Default 600, spread evenly over the departments. */
  readonly caseworkers?: number;
  /** Department ids (default: the seeds' CBU, CHP, CSAE, JOBCENTER, UNGEENHEDEN, UU, FAMILIE). */
  readonly departments?: readonly string[];
  /**
   * Duty records (inquiries, applications, journal) per case, as a multiple of a case's usual
   * ~24 events (generate-case-records.ts); default 0: households, cases and assignments only.
   * 1 gives the domain's municipal mix (~100 events a family), 2 roughly the national one.
   */
  readonly recordsPerCase?: number;
  /** Share of families that have a primary contact (default 0.6). */
  readonly primaryContactShare?: number;
  /** Concurrent appenders (default 12). */
  readonly appenders?: number;
  /**
   * Households per append (default 1: one append per stream). Above 1, an appender writes that
   * many households' streams with one `appendMany`: one transaction and one round trip.
   */
  readonly familiesPerAppend?: number;
  /**
   * Households whose events an appender interleaves in time order (default 0: each stream whole,
   * as an onboarding import writes years of history). A log of live use mixes every record's
   * events with everyone else's over its years, so a projector meets each record again and
   * again, batch after batch; this is that, within windows of this many households.
   */
  readonly interleaveFamilies?: number;
  /** Same seed, same households, cases and assignments (ids and event ids are random). */
  readonly seed?: number;
  /** The moment "now" for the generated history (default: the current time). */
  readonly now?: Date;
  readonly log?: (message: string) => void;
}

export interface GeneratedMunicipality {
  readonly caseworkerIds: readonly string[];
  readonly familiesWithPrimaryContact: readonly string[];
  readonly familiesWithoutPrimaryContact: readonly string[];
  readonly counts: {
    readonly families: number;
    readonly persons: number;
    readonly cases: number;
    readonly caseworkers: number;
    readonly primaryContacts: number;
    readonly appends: number;
    readonly events: number;
  };
  /** Wall time of the whole generation (registry rows and events overlap). */
  readonly seconds: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const YEAR_MS = 365.25 * DAY_MS;
const HISTORY_YEARS = 10;
const PERSON_FLUSH_ROWS = 5_000;
const METADATA_ACTOR = 'bench-generator';

/** Which departments a member of this role plausibly has cases in (filtered by the options'). */
const DEPARTMENTS_BY_ROLE: Record<FamilyRole, readonly string[]> = {
  child: ['CBU', 'FAMILIE'],
  'young-person': ['CBU', 'UU', 'UNGEENHEDEN', 'FAMILIE'],
  adult: ['UNGEENHEDEN', 'UU', 'JOBCENTER', 'CHP'],
  parent: ['JOBCENTER', 'CHP', 'CSAE', 'FAMILIE'],
  guardian: ['FAMILIE', 'CBU'],
};

export const CASE_TYPES: Record<string, string> = {
  CBU: 'child-support',
  CHP: 'disability-support',
  CSAE: 'health-care',
  JOBCENTER: 'employment-support',
  UNGEENHEDEN: 'youth-support',
  UU: 'education-guidance',
  FAMILIE: 'family-support',
};

/** mulberry32: small, fast, seeded; the household structure is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const isoDate = (time: number): string => new Date(time).toISOString().slice(0, 10);
const isoTime = (time: number): string => new Date(time).toISOString();

function newEvent(event: { type: string; data: object }, at: string): NewEvent {
  return {
    id: randomUUID(),
    type: event.type,
    data: { ...event.data },
    metadata: { actor: METADATA_ACTOR, at },
  };
}

/**
 * A registry row without CPR number or name: those are sealed per person by the app
 * (PersonRegistry), and no bench reads them; the projections and rules need the birth date.
 */
interface PersonRow {
  readonly personId: string;
  readonly birthDate: string;
  readonly createdAt: string;
}

/**
 * Streams' events in time order (`metadata.at`), cut into multi-stream appends of about
 * `eventsPerAppend` events. A stream's adjacent events share an append; a stream met again
 * further on starts the next append, so the log keeps the time order exactly.
 */
function interleavedAppends(
  streams: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[],
  eventsPerAppend: number,
): StreamAppend[][] {
  const timeOf = (event: NewEvent): string => {
    const at = event.metadata?.at;
    return typeof at === 'string' ? at : '';
  };
  const ordered = streams
    .flatMap((stream) =>
      stream.events.map((event) => ({ streamId: stream.streamId, event, at: timeOf(event) })),
    )
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const appends: StreamAppend[][] = [];
  let group: { streamId: string; events: NewEvent[] }[] = [];
  let inGroup = new Set<string>();
  let size = 0;
  const flush = (): void => {
    if (group.length > 0) appends.push(group.map((g) => ({ ...g, expected: 'any' as const })));
    group = [];
    inGroup = new Set();
    size = 0;
  };
  for (const { streamId, event } of ordered) {
    const last = group[group.length - 1];
    if (last?.streamId === streamId) last.events.push(event);
    else {
      if (inGroup.has(streamId) || size >= eventsPerAppend) flush();
      group.push({ streamId, events: [event] });
      inGroup.add(streamId);
    }
    size += 1;
  }
  flush();
  return appends;
}

/** One family's appends: its own stream first, then each of its members' cases. */
interface FamilyTask {
  readonly persons: readonly PersonRow[];
  readonly streams: readonly { readonly streamId: string; readonly events: readonly NewEvent[] }[];
}

/**
 * Asynchronous commit on the generator's own connections only: a bulk load of throw-away data
 * loses nothing that matters if the server crashes, and the load then does not wait for a WAL
 * flush per stream. The app's connections keep the default.
 */
function bulkLoadUrl(connectionString: string): string {
  const url = new URL(connectionString);
  url.searchParams.set('options', '-c synchronous_commit=off');
  url.searchParams.set('application_name', 'bench-generator');
  return url.toString();
}

export async function generateMunicipality(
  connectionString: string,
  options: MunicipalityOptions = {},
): Promise<GeneratedMunicipality> {
  const started = performance.now();
  const familyCount = options.families ?? 10_000;
  const casesPerFamily = options.casesPerFamily ?? 4;
  const caseworkerCount = options.caseworkers ?? 600;
  const departments = options.departments ?? DEFAULT_DEPARTMENTS.map((d) => d.id);
  const primaryContactShare = options.primaryContactShare ?? 0.6;
  const recordsPerCase = options.recordsPerCase ?? 0;
  const appenders = options.appenders ?? 12;
  const familiesPerAppend = Math.max(1, options.familiesPerAppend ?? 1);
  const interleaveFamilies = Math.max(0, Math.round(options.interleaveFamilies ?? 0));
  const random = seededRandom(options.seed ?? 20_260_301);
  const now = (options.now ?? new Date()).getTime();
  const log = options.log ?? (() => undefined);
  if (departments.length === 0) throw new Error('at least one department is needed');
  if (caseworkerCount < 1) throw new Error('at least one caseworker is needed');

  const url = bulkLoadUrl(connectionString);
  const store = await PostgresEventStore.open({ connectionString: url, poolSize: appenders });
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  let appends = 0;
  let events = 0;
  const append = async (streamId: string, streamEvents: readonly NewEvent[]): Promise<void> => {
    await store.append(streamId, streamEvents, 'no_stream');
    appends += 1;
    events += streamEvents.length;
  };

  try {
    // Caseworkers: round-robin over the departments, registered in the first of the ten years.
    const caseworkerIds: string[] = [];
    const byDepartment = new Map<string, string[]>(departments.map((id) => [id, []]));
    const caseworkerStreams: { streamId: string; events: NewEvent[] }[] = [];
    for (let n = 0; n < caseworkerCount; n += 1) {
      const caseworkerId = randomUUID();
      const departmentId = departments[n % departments.length] ?? '';
      caseworkerIds.push(caseworkerId);
      byDepartment.get(departmentId)?.push(caseworkerId);
      const registeredAt = isoTime(now - HISTORY_YEARS * YEAR_MS + random() * YEAR_MS);
      const registered: CaseworkerRegistered = {
        type: 'CaseworkerRegistered',
        data: { caseworkerId, departmentId, registeredAt },
      };
      caseworkerStreams.push({
        streamId: caseworkerStream(caseworkerId),
        events: [newEvent(registered, registeredAt)],
      });
    }
    await insertCaseworkerNames(pool, caseworkerIds);
    await inParallel(appenders, caseworkerStreams, (s) => append(s.streamId, s.events));
    log(`generator: ${caseworkerCount} caseworkers in ${departments.length} departments`);

    const departmentsFor = (role: FamilyRole): readonly string[] => {
      const wanted = DEPARTMENTS_BY_ROLE[role].filter((id) => byDepartment.has(id));
      return wanted.length > 0 ? wanted : departments;
    };
    const caseworkerIn = (departmentId: string): string => {
      const staff = byDepartment.get(departmentId) ?? [];
      return staff.length > 0 ? pick(staff, random) : pick(caseworkerIds, random);
    };

    let caseCount = 0;
    const withContact: string[] = [];
    const withoutContact: string[] = [];

    // One household at a time, made only when an appender asks for it: a national dataset never
    // sits in memory whole.
    const makeFamily = (): FamilyTask => {
      const familyId = randomUUID();
      const registered = now - 30 * DAY_MS - random() * (HISTORY_YEARS * YEAR_MS - 60 * DAY_MS);
      const registeredAt = isoTime(registered);
      const members: { personId: string; role: FamilyRole; birth: number }[] = [];
      const parents = random() < 0.7 ? 2 : 1;
      for (let p = 0; p < parents; p += 1) {
        members.push({
          personId: randomUUID(),
          role: 'parent',
          birth: now - (25 + random() * 30) * YEAR_MS,
        });
      }
      const children = 1 + Math.floor(random() * 3);
      for (let c = 0; c < children; c += 1) {
        const birth = now - random() * 22 * YEAR_MS;
        const age = (now - birth) / YEAR_MS;
        const role: FamilyRole = age < 15 ? 'child' : age < 18 ? 'young-person' : 'adult';
        members.push({ personId: randomUUID(), role, birth });
      }
      const persons = members.map((member): PersonRow => ({
        personId: member.personId,
        birthDate: isoDate(member.birth),
        createdAt: registeredAt,
      }));

      // Cases: 1 .. 2c-1 per family (mean c), each on a member, in a department fitting the
      // member's role, with a caseworker of that department assigned within five days.
      const whole = Math.max(1, Math.round(casesPerFamily));
      const cases = Math.max(1, 1 + Math.floor(random() * (2 * whole - 1)));
      const streams: { streamId: string; events: NewEvent[] }[] = [];
      const caseCaseworkers: { caseworkerId: string; assigned: number }[] = [];
      for (let k = 0; k < cases; k += 1) {
        const member = pick(members, random);
        const departmentId = pick(departmentsFor(member.role), random);
        const caseId = randomUUID();
        const opened = registered + random() * (now - registered - DAY_MS);
        const assigned = Math.min(now - 60_000, opened + random() * 5 * DAY_MS);
        const caseworkerId = caseworkerIn(departmentId);
        caseCaseworkers.push({ caseworkerId, assigned });
        const openedEvent: CaseOpened = {
          type: 'CaseOpened',
          data: {
            caseId,
            personId: member.personId,
            departmentId,
            caseType: CASE_TYPES[departmentId] ?? 'general-support',
            openedAt: isoTime(opened),
          },
        };
        const assignedEvent: CaseworkerAssigned = {
          type: 'CaseworkerAssigned',
          data: { caseId, caseworkerId, assignedAt: isoTime(assigned) },
        };
        streams.push({
          streamId: caseStream(caseId),
          events: [
            newEvent(openedEvent, openedEvent.data.openedAt),
            newEvent(assignedEvent, assignedEvent.data.assignedAt),
          ],
        });
        if (recordsPerCase > 0) {
          const records = caseRecordStreams(
            { ...openedEvent.data, opened },
            recordsPerCase,
            random,
            now,
          );
          for (const record of records) {
            streams.push({
              streamId: record.streamId,
              events: record.events.map((event) => newEvent(event, event.at)),
            });
          }
        }
      }
      caseCount += cases;

      const familyEvents: NewEvent[] = [];
      const registeredEvent: FamilyRegistered = {
        type: 'FamilyRegistered',
        data: { familyId, registeredAt },
      };
      familyEvents.push(newEvent(registeredEvent, registeredAt));
      members.forEach((member, index) => {
        const addedAt = isoTime(registered + (index + 1) * 1000);
        const added: FamilyMemberAdded = {
          type: 'FamilyMemberAdded',
          data: { familyId, personId: member.personId, role: member.role, addedAt },
        };
        familyEvents.push(newEvent(added, addedAt));
      });
      const hasPrimaryContact = random() < primaryContactShare;
      if (hasPrimaryContact) {
        // One of the caseworkers the family already has, after that caseworker was assigned.
        const chosen = pick(caseCaseworkers, random);
        const assignedAt = isoTime(Math.min(now - 1000, chosen.assigned + DAY_MS));
        const contact: PrimaryContactAssigned = {
          type: 'PrimaryContactAssigned',
          data: { familyId, caseworkerId: chosen.caseworkerId, assignedAt },
        };
        familyEvents.push(newEvent(contact, assignedAt));
        withContact.push(familyId);
      } else {
        withoutContact.push(familyId);
      }
      return {
        persons,
        streams: [{ streamId: familyStream(familyId), events: familyEvents }, ...streams],
      };
    };

    let pendingPersons: PersonRow[] = [];
    let personsWritten = 0;
    const flushPersons = async (): Promise<void> => {
      const rows = pendingPersons;
      pendingPersons = [];
      if (rows.length === 0) return;
      await insertPersons(pool, rows);
      personsWritten += rows.length;
    };
    let made = 0;
    let lastReport = performance.now();
    const nextFamily = (): FamilyTask | null => {
      if (made >= familyCount) return null;
      made += 1;
      return makeFamily();
    };
    await Promise.all(
      Array.from({ length: appenders }, async () => {
        for (;;) {
          const tasks: FamilyTask[] = [];
          const wanted = interleaveFamilies > 0 ? interleaveFamilies : familiesPerAppend;
          for (let task = nextFamily(); task; task = tasks.length < wanted ? nextFamily() : null) {
            tasks.push(task);
          }
          if (tasks.length === 0) break;
          pendingPersons.push(...tasks.flatMap((task) => task.persons));
          if (pendingPersons.length >= PERSON_FLUSH_ROWS) await flushPersons();
          // The family's own stream before its cases, as in real life.
          const streams = tasks.flatMap((task) => task.streams);
          if (interleaveFamilies > 0) {
            // About as many events an append as the whole-stream appends carry (~100 a household).
            for (const group of interleavedAppends(streams, familiesPerAppend * 100)) {
              await store.appendMany(group);
              appends += 1;
              events += group.reduce((n, stream) => n + stream.events.length, 0);
            }
          } else if (familiesPerAppend === 1) {
            for (const stream of streams) await append(stream.streamId, stream.events);
          } else {
            await store.appendMany(
              streams.map((stream) => ({ ...stream, expected: 'no_stream' as const })),
            );
            appends += 1;
            events += streams.reduce((n, stream) => n + stream.events.length, 0);
          }
          if (performance.now() - lastReport > 10_000) {
            lastReport = performance.now();
            log(`generator: ${made}/${familyCount} families, ${events} events so far`);
          }
        }
      }),
    );
    await flushPersons();

    return {
      caseworkerIds,
      familiesWithPrimaryContact: withContact,
      familiesWithoutPrimaryContact: withoutContact,
      counts: {
        families: familyCount,
        persons: personsWritten,
        cases: caseCount,
        caseworkers: caseworkerCount,
        primaryContacts: withContact.length,
        appends,
        events,
      },
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await pool.end().catch(() => undefined);
    await store.close().catch(() => undefined);
  }
}

/** `workers` loops over `items`, each taking the next one not yet taken. */
async function inParallel<T>(
  workers: number,
  items: readonly T[],
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        const item = items[index];
        if (item !== undefined) await work(item);
      }
    }),
  );
}

async function insertPersons(pool: Pool, rows: readonly PersonRow[]): Promise<void> {
  await pool.query(
    `INSERT INTO persons (person_id, birth_date, created_at)
     SELECT * FROM unnest($1::uuid[], $2::date[], $3::timestamptz[])`,
    [
      rows.map((row) => row.personId),
      rows.map((row) => row.birthDate),
      rows.map((row) => row.createdAt),
    ],
  );
}

async function insertCaseworkerNames(pool: Pool, caseworkerIds: readonly string[]): Promise<void> {
  for (let from = 0; from < caseworkerIds.length; from += PERSON_FLUSH_ROWS) {
    const ids = caseworkerIds.slice(from, from + PERSON_FLUSH_ROWS);
    await pool.query(
      `INSERT INTO caseworker_names (caseworker_id, name)
       SELECT * FROM unnest($1::uuid[], $2::text[])`,
      [ids, ids.map((_, index) => `Caseworker ${from + index + 1}`)],
    );
  }
}

import {
  applicationDecider,
  applicationStream,
  caseDecider,
  caseStream,
  complaintDecider,
  complaintStream,
  inquiryDecider,
  inquiryStream,
  type ApplicationCommand,
  type InquiryCommand,
  type PublishedDeadline,
  caseworkerDecider,
  caseworkerStream,
  DomainError,
  familyDecider,
  familyStream,
  transitionDecider,
  transitionStream,
  type CaseCommand,
  type CaseworkerFacts,
  type ContactChannel,
  type FamilyCommand,
  type Decider,
  type TransitionCommand,
} from '@tovholder/domain';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { parseCpr, type Cpr } from '@tovholder/domain/shared/cpr';
import {
  comparePositions,
  isAtOrAfter,
  PartialDuplicateAppendError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type JsonObject,
  type NewEvent,
  type Position,
  type StreamAppend,
} from '@tovholder/event-store';
import { CopyRows, copyText } from '@tovholder/event-store/postgres/copy-rows';
import { arrayLiteral } from '@tovholder/read-models';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { DataSource } from 'typeorm';
import { publishedDeadline } from '../applications/processing-deadlines';
import { loadCaseFacts, type CaseFacts } from '../cases/case-facts';
import { loadCaseworkerFacts } from '../caseworkers/caseworker-facts';
import { upsertDepartments } from '../departments/departments';
import { nullFields, validationProblems } from '../http/validation';
import { copyNewRows } from '../persons/copy-rows';
import type { PersonRegistry, PreparedRegistrations } from '../persons/person-registry';
import { formatSourceKey, type SourceKey, type SourceKeyKind } from '../source-keys/source-key';
import { derivedUuid } from './derived-ids';
import { matchesImportSchema } from './import-schema';
import {
  RECORD_CLASSES,
  RECORD_KINDS,
  type ApplicationRecord,
  type CaseRecord,
  type ComplaintRecord,
  type DelayNoticeRecord,
  type InquiryPostponementRecord,
  type InquiryRecord,
  type CaseworkerPeriodRecord,
  type CaseworkerRecord,
  type DepartmentRecord,
  type FamilyRecord,
  type ImportRecord,
  type PersonRecord,
  type PrimaryContactRecord,
  type RecordKind,
  type SuccessionRecord,
  type TransitionRecord,
} from './import-records';

/** A refused record: where and why, never its values (no CPR number or name can reach it). */
export interface ImportProblem {
  readonly line: number;
  readonly kind: string;
  readonly field: string;
  readonly reason: string;
}

export interface ImportReport {
  readonly lines: number;
  readonly imported: number;
  readonly refused: number;
  /** Events the accepted records stand for (written now, or stored by an earlier run). */
  readonly events: number;
  /** Events this run added to the log. */
  readonly written: number;
  /** `--strict` found problems, so nothing was written. */
  readonly abandoned: boolean;
  readonly problems: readonly ImportProblem[];
}

export interface ImportProgress {
  readonly lines: number;
  readonly refused: number;
}

export interface ImportOptions {
  /** All or nothing: the whole file is checked first and nothing is written if a record is bad. */
  readonly strict?: boolean;
  /** Streams per multi-stream append (default 1,000). */
  readonly batchStreams?: number;
  /** Recorded as `metadata.actor` (default `system:import`). */
  readonly actor?: string;
  /** Dates after this are refused as in the future (default: the system clock). */
  readonly now?: () => Date;
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** A file's lines, a batch at a time, read again for the strict mode's second pass. */
export type LineSource = () => AsyncIterable<readonly string[]>;

interface StreamPlan {
  readonly line: number;
  readonly kind: RecordKind;
  readonly append: StreamAppend;
}

interface PendingRows {
  names: { caseworkerId: string; name: string }[];
  keys: { kind: SourceKeyKind; system: string; key: string; resourceId: string }[];
}

/** Planning a record needs a lookup in the database first: thrown, awaited, planned again. */
class PendingLookup extends Error {
  constructor(
    readonly key: string,
    readonly load: () => Promise<unknown>,
  ) {
    super(`looking up ${key}`);
  }
}

/** A record that cannot be imported: thrown while planning it, caught into the report. */
class RecordProblem extends Error {
  readonly problems: readonly { field: string; reason: string }[];
  constructor(
    field: string,
    reason: string,
    more: readonly { field: string; reason: string }[] = [],
    /** The record's kind, once the line is known to name one. */
    readonly kind?: RecordKind,
  ) {
    super(reason);
    this.problems = [{ field, reason }, ...more];
  }
}

interface FilePerson {
  readonly personId: string;
  /** The line that registered the person: records below it may name them. */
  readonly line: number;
}

/** A case an application, inquiry or complaint names; `openedAt` is known for the file's own. */
interface ImportedCase extends CaseFacts {
  readonly openedAt: Date | null;
  readonly line: number;
}

/** Ids of the citizen's requests, derived from their source keys (same on every run). */
export function requestId(
  kind: 'inquiry' | 'application' | 'complaint',
  source: SourceKey,
): string {
  return derivedUuid(kind, formatSourceKey(source));
}

/** Lines are validated and their persons registered a chunk at a time. */
const CHUNK_LINES = 2_000;

const DEFAULT_BATCH_STREAMS = 1_000;

/** Planned records between turns of the event loop, so the writer's round trips go on. */
const YIELD_EVERY = 25;

interface SourceLine {
  readonly line: number;
  readonly text: string;
}

interface ValidLine<Record> {
  readonly line: number;
  readonly record: Record;
}

/** A chunk's persons, checked and claimed; their registration prepared unless a dry run. */
interface ClaimedPersons {
  readonly valid: readonly { line: number; key: string; record: PersonRecord; cpr: Cpr }[];
  readonly prepared: PreparedRegistrations | null;
}

interface WaitingChunk {
  readonly others: readonly ValidLine<Exclude<ImportRecord, PersonRecord>>[];
  /** Settles once the chunk's persons are registered: with the failure, or null. */
  readonly registration: Promise<Error | null>;
}

const DEFAULT_CHANGE_REASON = 'Changed in the source system';

/** Ids of resources the import creates, derived from their source keys (same on every run). */
export function importedId(kind: SourceKeyKind, source: SourceKey): string {
  return derivedUuid(kind, formatSourceKey(source));
}

/**
 * Imports an existing municipality from NDJSON: each record validated as the API validates a
 * body, its events decided by the domain's deciders with `now` set to the record's own dates, and
 * appended in multi-stream batches with ids derived from the source keys, so a second run, or a
 * run resumed after a crash, stores nothing twice. Records refer to earlier records by source key.
 */
export class MunicipalityImport {
  private readonly departments = new Set<string>();
  private readonly caseworkers = new Map<string, CaseworkerFacts>();
  /** The file's persons by source key, with the line that registered them. */
  private readonly persons = new Map<string, FilePerson>();
  /** Persons of earlier imports, found by source key. */
  private readonly earlierPersons = new Map<string, string>();
  private readonly families = new Set<string>();
  /** The file's cases by source key, for the applications, inquiries and complaints in them. */
  private readonly cases = new Map<string, ImportedCase>();
  private readonly deadlines = new Map<string, PublishedDeadline>();
  /** Whether the file's persons are exempt from Digital Post, by person id. */
  private readonly exemptions = new Map<string, boolean>();
  private readonly seenStreams = new Set<string>();
  /** What the record being planned looked up in the database (see `planLine`). */
  private readonly lookedUp = new Map<string, unknown>();
  private problems: ImportProblem[] = [];
  private batch: StreamPlan[] = [];
  private pending: PendingRows = { names: [], keys: [] };
  private events = 0;
  private imported = 0;
  private lines = 0;
  private dryRun = false;
  /** A validated chunk whose persons are being registered, planned after them. */
  private waiting: WaitingChunk | null = null;
  /** The batch being written: settles with its failure, or null. */
  private writing: Promise<Error | null> = Promise.resolve(null);
  /** The newest position this run appended at, so `written` is counted once readers see it. */
  private newest: Position | null = null;
  /** The log's visible head when the run started: an append answered above it was written now. */
  private head: Position | null = null;
  private written = 0;
  /** The clock read once a chunk: a date after it is in the future (a Date a date was garbage). */
  private nowTime = 0;
  /** The metadata JSON's start up to the record's source key, the same for every event of a run. */
  private readonly metadataActor: string;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly registry: PersonRegistry,
    private readonly options: ImportOptions = {},
  ) {
    this.metadataActor = importMetadataActor(options.actor ?? 'system:import');
  }

  async run(source: LineSource): Promise<ImportReport> {
    if (this.options.strict) {
      const check = await this.pass(source, true);
      if (check.problems.length > 0) return { ...check, written: 0, abandoned: true };
    }
    this.head = await this.store.headPosition();
    this.newest = null;
    this.written = 0;
    const result = await this.pass(source, false);
    await this.untilVisible(this.newest);
    return { ...result, written: this.written, abandoned: false };
  }

  private async pass(
    source: LineSource,
    dryRun: boolean,
  ): Promise<Omit<ImportReport, 'written' | 'abandoned'>> {
    this.reset(dryRun);
    await this.loadDepartments();
    let chunk: SourceLine[] = [];
    for await (const texts of source()) {
      for (const text of texts) {
        this.lines += 1;
        if (text.trim() === '') continue;
        chunk.push({ line: this.lines, text });
        if (chunk.length >= CHUNK_LINES) {
          await this.importChunk(chunk);
          chunk = [];
        }
      }
    }
    await this.importChunk(chunk);
    await this.planWaiting();
    await this.flush();
    await this.untilWritten();
    // Persons are registered ahead of their chunk, and corrections answer late: in line order.
    this.problems.sort((a, b) => a.line - b.line);
    this.options.onProgress?.({ lines: this.lines, refused: this.problems.length });
    const refused = new Set(this.problems.map((problem) => problem.line)).size;
    return {
      lines: this.lines,
      imported: this.imported,
      refused,
      events: this.events,
      problems: this.problems,
    };
  }

  private reset(dryRun: boolean): void {
    this.dryRun = dryRun;
    this.departments.clear();
    this.caseworkers.clear();
    this.persons.clear();
    this.earlierPersons.clear();
    this.families.clear();
    this.cases.clear();
    this.deadlines.clear();
    this.exemptions.clear();
    this.seenStreams.clear();
    this.problems = [];
    this.batch = [];
    this.pending = { names: [], keys: [] };
    this.writing = Promise.resolve(null);
    this.waiting = null;
    this.events = 0;
    this.imported = 0;
    this.lines = 0;
  }

  /**
   * A chunk of lines: every line validated and the registration of its persons (one batch)
   * started, then the chunk before it planned while they register. A record names only persons
   * above it, so the order of the file holds; registrations are inserted one at a time, in file
   * order, each looked up and sealed beside the insert before it.
   */
  private async importChunk(chunk: readonly SourceLine[]): Promise<void> {
    const persons: ValidLine<PersonRecord>[] = [];
    const others: ValidLine<Exclude<ImportRecord, PersonRecord>>[] = [];
    // Counted by hand: `entries()` makes an array a line, garbage at this rate.
    let index = 0;
    for (const { line, text } of chunk) {
      if (index++ % YIELD_EVERY === 0) await nextTurn();
      const record =
        schemaRecord(text) ?? (await this.attempt(line, 'unknown', () => validLine(text)));
      if (!record) continue;
      if (record.kind === 'person') persons.push({ line, record });
      else others.push({ line, record });
    }
    const claimed = this.claimPersons(persons);
    const previous = this.waiting?.registration ?? Promise.resolve(null);
    const registration = previous.then(
      (failure) => failure ?? settled(this.registerPersons(claimed)),
    );
    await this.planWaiting();
    this.waiting = { others, registration };
  }

  /** The chunk waiting for its persons' registration, planned in file order once they are in. */
  private async planWaiting(): Promise<void> {
    const waiting = this.waiting;
    this.waiting = null;
    if (!waiting) return;
    const failure = await waiting.registration;
    if (failure) throw failure;
    this.nowTime = this.now().getTime();
    let index = 0;
    for (const { line, record } of waiting.others) {
      const planned = this.planLine(line, record);
      if (planned === true || (planned !== false && (await planned))) this.imported += 1;
      // Planning awaits only microtasks: let the batch being written read its answers.
      if (index++ % YIELD_EVERY === 0) await nextTurn();
      if (this.batch.length >= (this.options.batchStreams ?? DEFAULT_BATCH_STREAMS)) {
        await this.flush();
        this.options.onProgress?.({ lines: line, refused: this.problems.length });
      }
    }
  }

  /**
   * Plans a record: true when it was, false when it went to the report. Synchronous as long as
   * what it names is known (nearly always: the file's own records, or looked up before): each
   * await would cost a promise and a turn of the microtask queue, at 100,000 records. A record
   * naming something to look up in the database is planned again once it is there.
   */
  private planLine(
    line: number,
    record: Exclude<ImportRecord, PersonRecord>,
  ): boolean | Promise<boolean> {
    try {
      const planning = this.plan(line, record);
      this.lookedUp.clear();
      if (!planning) return true;
      return planning.then(
        () => true,
        (error: unknown) => this.refused(line, record.kind, error),
      );
    } catch (error) {
      if (error instanceof PendingLookup) return this.lookUpAndPlan(line, record, error);
      this.lookedUp.clear();
      return this.refused(line, record.kind, error);
    }
  }

  private async lookUpAndPlan(
    line: number,
    record: Exclude<ImportRecord, PersonRecord>,
    pending: PendingLookup,
  ): Promise<boolean> {
    this.lookedUp.set(pending.key, await pending.load());
    return this.planLine(line, record);
  }

  /** A record problem goes to the report (false); anything else is thrown on. */
  private refused(line: number, kind: string, error: unknown): false {
    if (!(error instanceof RecordProblem)) throw error;
    for (const { field, reason } of error.problems)
      this.problems.push({ line, kind: error.kind ?? kind, field, reason });
    return false;
  }

  /**
   * What a lookup found for the record being planned; the first time, a `PendingLookup` that
   * `planLine` awaits before it plans the record again.
   */
  private lookedUpFor<T>(key: string, load: () => Promise<T>): T {
    if (this.lookedUp.has(key)) return this.lookedUp.get(key) as T;
    throw new PendingLookup(key, load);
  }

  /** Runs one step of a line; a record problem goes to the report and answers null. */
  private async attempt<T>(
    line: number,
    kind: string,
    step: () => Promise<T> | T,
  ): Promise<T | null> {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof RecordProblem)) throw error;
      for (const { field, reason } of error.problems)
        this.problems.push({ line, kind: error.kind ?? kind, field, reason });
      return null;
    }
  }

  /** Plans the record; only a department is written at once (and answers its promise). */
  private plan(line: number, record: Exclude<ImportRecord, PersonRecord>): Promise<void> | void {
    switch (record.kind) {
      case 'department':
        return this.planDepartment(record);
      case 'caseworker':
        return this.planCaseworker(line, record);
      case 'family':
        return this.planFamily(line, record);
      case 'case':
        return this.planCase(line, record);
      case 'inquiry':
        return this.planInquiry(line, record);
      case 'application':
        return this.planApplication(line, record);
      case 'complaint':
        return this.planComplaint(line, record);
      case 'transition':
        return this.planTransition(line, record);
    }
  }

  private async planDepartment(record: DepartmentRecord): Promise<void> {
    if (!this.dryRun) await upsertDepartments(this.dataSource, [{ ...record, active: true }]);
    this.departments.add(record.id);
  }

  private planCaseworker(line: number, record: CaseworkerRecord): void {
    this.requireDepartment(record.departmentId);
    const caseworkerId = importedId('caseworker', record.source);
    const registeredAt = this.pastDate(record.registeredAt, 'registeredAt');
    const events = decideInOrder(caseworkerDecider, [
      {
        field: 'registeredAt',
        command: {
          type: 'RegisterCaseworker',
          caseworkerId,
          departmentId: record.departmentId,
          now: registeredAt,
        },
      },
    ]);
    this.queue(line, 'caseworker', record.source, caseworkerStream(caseworkerId), events);
    this.caseworkers.set(formatSourceKey(record.source), {
      caseworkerId,
      registered: true,
      inactive: [],
    });
    this.pending.names.push({ caseworkerId, name: record.name });
    this.pending.keys.push({ kind: 'caseworker', ...record.source, resourceId: caseworkerId });
  }

  /**
   * The chunk's persons checked and their source keys claimed (so a second record with the key is
   * refused), and their registration prepared: looked up and sealed while earlier chunks go on.
   */
  private claimPersons(lines: readonly ValidLine<PersonRecord>[]): ClaimedPersons {
    const today = copenhagenDateOf(this.now());
    const valid: { line: number; key: string; record: PersonRecord; cpr: Cpr }[] = [];
    for (const { line, record } of lines) {
      // Synchronous: an awaited step a person cost a promise and a closure.
      try {
        const key = formatSourceKey(record.source);
        if (this.persons.has(key)) throw new RecordProblem('source', 'appears twice in the file');
        const cpr = parseCpr(record.cpr, { today });
        if (!cpr.ok) throw new RecordProblem('cpr', `${cpr.reason.code}: ${cpr.reason.message}`);
        // Claimed now, so a second record with the key is refused.
        this.persons.set(key, { personId: importedId('person', record.source), line });
        valid.push({ line, key, record, cpr: cpr.value });
      } catch (error) {
        this.refused(line, 'person', error);
      }
    }
    const prepared = this.dryRun
      ? null
      : this.registry.prepareMany(
          valid.map(({ record, cpr }) => ({
            cpr,
            name: record.name,
            exemptFromDigitalPost: record.exemptFromDigitalPost ?? false,
          })),
        );
    return { valid, prepared };
  }

  /** The chunk's persons in one registration; a CPR number already registered finds its person. */
  private async registerPersons({ valid, prepared }: ClaimedPersons): Promise<void> {
    if (!prepared) {
      for (const { record } of valid) {
        const personId = importedId('person', record.source);
        this.exemptions.set(personId, record.exemptFromDigitalPost ?? false);
      }
      this.imported += valid.length;
      return;
    }
    const registered = await this.registry.registerPrepared(prepared, this.now());
    for (const [index, { line, key, record }] of valid.entries()) {
      const personId = registered[index]?.personId;
      if (!personId) {
        this.persons.delete(key);
        this.problems.push({
          line,
          kind: 'person',
          field: 'cpr',
          reason: 'registered at the same moment elsewhere',
        });
        continue;
      }
      this.persons.set(key, { personId, line });
      this.pending.keys.push({ kind: 'person', ...record.source, resourceId: personId });
      this.imported += 1;
      if (registered[index]?.registered) {
        this.exemptions.set(personId, record.exemptFromDigitalPost ?? false);
      }
    }
    // A person registered before keeps the registry's status, as the API would read it.
    const found = registered.flatMap((result) =>
      !result.registered && result.personId ? [result.personId] : [],
    );
    if (found.length > 0) {
      const rows = await this.dataSource.query<{ person_id: string; exempt: boolean }[]>(
        `SELECT person_id, exempt_from_digital_post AS exempt FROM persons
          WHERE person_id = ANY($1::uuid[])`,
        [found],
      );
      for (const row of rows) this.exemptions.set(row.person_id, row.exempt);
    }
  }

  private planFamily(line: number, record: FamilyRecord): void {
    const familyId = importedId('family', record.source);
    const registeredAt = this.pastDate(record.registeredAt, 'registeredAt');
    const steps: Step<FamilyCommand>[] = [
      { field: 'registeredAt', command: { type: 'RegisterFamily', familyId, now: registeredAt } },
    ];
    for (const [index, member] of record.members.entries()) {
      const field = `members.${index}`;
      steps.push({
        field: `${field}.addedAt`,
        command: {
          type: 'AddFamilyMember',
          familyId,
          personId: this.personId(member.person, `${field}.person`, line),
          role: member.role,
          now: this.pastDate(member.addedAt, `${field}.addedAt`),
        },
      });
    }
    const contacts = record.primaryContacts ?? [];
    steps.push(
      ...this.successionSteps<FamilyCommand, PrimaryContactRecord>(
        contacts,
        'primaryContacts',
        { field: 'since', of: (contact) => contact.since },
        {
          first: (caseworker, now) => ({ type: 'AssignPrimaryContact', familyId, caseworker, now }),
          next: (to, reason, now) => ({
            type: 'HandOverPrimaryContact',
            familyId,
            to,
            reason,
            now,
          }),
          // A family is told of its first primary contact too.
          told: (index, channel, toldAt) => ({
            type: 'RecordFamilyTold',
            familyId,
            channel,
            toldAt,
            now: toldAt,
          }),
        },
      ),
    );
    requireNotBefore(steps, registeredAt);
    const events = decideInOrder(familyDecider, steps);
    this.queue(line, 'family', record.source, familyStream(familyId), events);
    this.families.add(formatSourceKey(record.source));
    this.pending.keys.push({ kind: 'family', ...record.source, resourceId: familyId });
  }

  private planCase(line: number, record: CaseRecord): void {
    this.requireDepartment(record.departmentId);
    const caseId = importedId('case', record.source);
    const openedAt = this.pastDate(record.openedAt, 'openedAt');
    const personId = this.personId(record.person, 'person', line);
    const steps: Step<CaseCommand>[] = [
      {
        field: 'openedAt',
        command: {
          type: 'OpenCase',
          caseId,
          personId,
          departmentId: record.departmentId,
          caseType: record.caseType,
          now: openedAt,
        },
      },
    ];
    const periods = record.caseworkers ?? [];
    steps.push(
      ...this.successionSteps<CaseCommand, CaseworkerPeriodRecord>(
        periods,
        'caseworkers',
        { field: 'from', of: (period) => period.from },
        {
          first: (caseworker, now) => ({ type: 'AssignCaseworker', caseId, caseworker, now }),
          next: (to, reason, now) => ({
            type: 'ChangeCaseworker',
            caseId,
            to,
            reason,
            citizenTold: null,
            now,
          }),
          // Only a change is told: a case's first caseworker needs no notice.
          told: (index, channel, toldAt) =>
            index === 0
              ? null
              : { type: 'RecordCitizenTold', caseId, channel, toldAt, now: toldAt },
        },
      ),
    );
    if (record.closedAt) {
      steps.push({
        field: 'closedAt',
        command: {
          type: 'CloseCase',
          caseId,
          reason: record.closeReason ?? 'Closed in the source system',
          now: this.pastDate(record.closedAt, 'closedAt'),
        },
      });
    }
    requireNotBefore(steps, openedAt);
    const events = decideInOrder(caseDecider, steps);
    this.queue(line, 'case', record.source, caseStream(caseId), events);
    this.pending.keys.push({ kind: 'case', ...record.source, resourceId: caseId });
    this.cases.set(formatSourceKey(record.source), {
      caseId,
      personId,
      departmentId: record.departmentId,
      caseType: record.caseType,
      closed: record.closedAt !== undefined,
      openedAt,
      line,
    });
  }

  /** An open inquiry: received, perhaps acknowledged with a promised answer date, postponed. */
  private planInquiry(line: number, record: InquiryRecord): void {
    this.requireDepartment(record.departmentId);
    const inquiryId = requestId('inquiry', record.source);
    const receivedAt = this.pastDate(record.receivedAt, 'receivedAt');
    const steps: Step<InquiryCommand>[] = [
      {
        field: 'receivedAt',
        command: {
          type: 'RecordInquiry',
          inquiryId,
          personId: this.personId(record.person, 'person', line),
          departmentId: record.departmentId,
          caseId: record.case ? this.caseFacts(record.case, 'case', line).caseId : null,
          channel: record.channel,
          receivedAt,
          now: receivedAt,
        },
      },
    ];
    const { acknowledgement } = record;
    if (acknowledgement) {
      const at = this.pastDate(acknowledgement.at, 'acknowledgement.at');
      steps.push({
        field: 'acknowledgement.at',
        command: {
          type: 'AcknowledgeInquiry',
          inquiryId,
          channel: acknowledgement.channel,
          answerPromisedBy: acknowledgement.answerPromisedBy,
          acknowledgedAt: at,
          now: at,
        },
      });
    }
    steps.push(
      ...this.datedSteps<InquiryPostponementRecord, InquiryCommand>(
        record.postponements,
        'postponements',
        (postponement, at) => ({
          type: 'PostponeInquiryAnswer',
          inquiryId,
          answerPromisedBy: postponement.answerPromisedBy,
          reason: postponement.reason,
          postponedAt: at,
          now: at,
        }),
      ),
    );
    requireNotBefore(steps, receivedAt);
    const events = decideInOrder(inquiryDecider, steps);
    this.queue(line, 'inquiry', record.source, inquiryStream(inquiryId), events);
  }

  /**
   * An open application in a case: the deadline published today for the case's type, as the API
   * snapshots it, and the notices of delay sent since.
   */
  private planApplication(line: number, record: ApplicationRecord): void {
    const applicationId = requestId('application', record.source);
    const facts = this.caseFacts(record.case, 'case', line);
    if (facts.closed) throw new RecordProblem('case', 'names a closed case');
    const receivedAt = this.pastDate(record.receivedAt, 'receivedAt');
    if (facts.openedAt && receivedAt.getTime() < facts.openedAt.getTime()) {
      throw new RecordProblem('receivedAt', 'must not be before the case was opened');
    }
    const steps: Step<ApplicationCommand>[] = [
      {
        field: 'receivedAt',
        command: {
          type: 'ReceiveApplication',
          applicationId,
          caseId: facts.caseId,
          personId: facts.personId,
          departmentId: facts.departmentId,
          caseType: facts.caseType,
          applicationDate: record.applicationDate,
          publishedDeadline: this.publishedDeadline(facts.caseType),
          exemptFromDigitalPost: this.exemptFromDigitalPost(facts.personId),
          at: receivedAt,
          now: receivedAt,
        },
      },
    ];
    steps.push(
      ...this.datedSteps<DelayNoticeRecord, ApplicationCommand>(
        record.delayNotices,
        'delayNotices',
        (notice, at) => ({
          type: 'SendDelayNotice',
          applicationId,
          channel: notice.channel,
          expectedDecisionBy: notice.expectedDecisionBy,
          reason: notice.reason,
          sentAt: at,
          now: at,
        }),
      ),
    );
    requireNotBefore(steps, receivedAt);
    const events = decideInOrder(applicationDecider, steps);
    this.queue(line, 'application', record.source, applicationStream(applicationId), events);
  }

  /** A step for each dated item of a list (postponements, notices), checked not in the future. */
  private datedSteps<Item extends { readonly at: string }, Command>(
    items: readonly Item[] | undefined,
    list: string,
    command: (item: Item, at: Date) => Command,
  ): Step<Command>[] {
    return (items ?? []).map((item, index) => {
      const field = `${list}.${index}.at`;
      const at = this.pastDate(item.at, field);
      return { field, command: command(item, at) };
    });
  }

  /** An open complaint; without a person it is anonymous. */
  private planComplaint(line: number, record: ComplaintRecord): void {
    this.requireDepartment(record.departmentId);
    const complaintId = requestId('complaint', record.source);
    const receivedAt = this.pastDate(record.receivedAt, 'receivedAt');
    const events = decideInOrder(complaintDecider, [
      {
        field: 'receivedAt',
        command: {
          type: 'RegisterComplaint',
          complaintId,
          departmentId: record.departmentId,
          caseId: record.case ? this.caseFacts(record.case, 'case', line).caseId : null,
          personId: record.person ? this.personId(record.person, 'person', line) : null,
          about: record.about,
          channel: record.channel,
          receivedAt,
          now: receivedAt,
        },
      },
    ]);
    this.queue(line, 'complaint', record.source, complaintStream(complaintId), events);
  }

  /**
   * A transition in progress, on the young person's own transition stream: started, perhaps a
   * track chosen, an adult caseworker assigned and the adult assessment begun. The due event
   * (16th birthday) is left to the scheduler, which records it for anyone in scope.
   */
  private planTransition(line: number, record: TransitionRecord): void {
    const personId = this.personId(record.person, 'person', line);
    const startedAt = this.pastDate(record.startedAt, 'startedAt');
    const steps: Step<TransitionCommand>[] = [
      {
        field: 'startedAt',
        command: {
          type: 'StartPreparation',
          personId,
          by: this.caseworker(record.startedBy, 'startedBy'),
          inDialogueWith: record.inDialogueWith,
          startedAt,
          now: startedAt,
        },
      },
    ];
    if (record.track) {
      const chosenAt = this.pastDate(record.track.chosenAt, 'track.chosenAt');
      steps.push({
        field: 'track.chosenAt',
        command: {
          type: 'ChooseTrack',
          personId,
          track: record.track.track,
          ...(record.track.note === undefined ? {} : { note: record.track.note }),
          chosenAt,
          now: chosenAt,
        },
      });
    }
    if (record.adultCaseworker) {
      this.requireDepartment(record.adultCaseworker.departmentId);
      const assignedAt = this.pastDate(
        record.adultCaseworker.assignedAt,
        'adultCaseworker.assignedAt',
      );
      steps.push({
        field: 'adultCaseworker.assignedAt',
        command: {
          type: 'AssignAdultCaseworker',
          personId,
          caseworker: this.caseworker(
            record.adultCaseworker.caseworker,
            'adultCaseworker.caseworker',
          ),
          departmentId: record.adultCaseworker.departmentId,
          assignedAt,
          now: assignedAt,
        },
      });
    }
    if (record.adultAssessmentStartedAt) {
      const at = this.pastDate(record.adultAssessmentStartedAt, 'adultAssessmentStartedAt');
      steps.push({
        field: 'adultAssessmentStartedAt',
        command: { type: 'StartAdultAssessment', personId, startedAt: at, now: at },
      });
    }
    requireNotBefore(steps, startedAt);
    const events = decideInOrder(transitionDecider, steps);
    this.queue(line, 'transition', record.source, transitionStream(personId), events);
  }

  /** A case of this file above `line`, or of an earlier import (from its own stream). */
  private caseFacts(source: SourceKey, field: string, line: number): ImportedCase {
    const key = formatSourceKey(source);
    const inFile = this.cases.get(key);
    if (inFile && inFile.line < line) return inFile;
    const facts = this.lookedUpFor(`case ${key}`, async () => {
      const caseId = await this.earlierImport('case', source);
      return caseId ? await loadCaseFacts(this.store, caseId).catch(() => null) : null;
    });
    if (!facts) throw new RecordProblem(field, 'names no case of this file or an earlier import');
    return { ...facts, openedAt: null, line: 0 };
  }

  /** The deadline published today for the case type (as the API snapshots it at receipt). */
  private publishedDeadline(caseType: string): PublishedDeadline {
    const known = this.deadlines.get(caseType);
    if (known) return known;
    const published = this.lookedUpFor(`deadline ${caseType}`, () =>
      publishedDeadline(this.dataSource.manager, caseType),
    );
    if (!published) {
      throw new RecordProblem('case', 'no processing deadline is published for its case type');
    }
    const deadline = { amount: published.amount, unit: published.unit };
    this.deadlines.set(caseType, deadline);
    return deadline;
  }

  /** As the registry has it: from the file's registration, else read (an earlier import). */
  private exemptFromDigitalPost(personId: string): boolean {
    const inFile = this.exemptions.get(personId);
    if (inFile !== undefined) return inFile;
    return this.lookedUpFor(`exempt ${personId}`, async () => {
      const [row] = await this.dataSource.query<{ exempt: boolean }[]>(
        'SELECT exempt_from_digital_post AS exempt FROM persons WHERE person_id = $1',
        [personId],
      );
      return row?.exempt ?? false;
    });
  }

  /**
   * The steps of a succession of holders (a case's caseworkers, a family's primary contacts):
   * the first is assigned, each later one takes over with a reason, and a told-date records when
   * the citizen was told.
   */
  private successionSteps<Command, Period extends SuccessionRecord>(
    periods: readonly Period[],
    list: string,
    start: { readonly field: 'since' | 'from'; of(period: Period): string },
    commands: SuccessionCommands<Command>,
  ): Step<Command>[] {
    const steps: Step<Command>[] = [];
    for (const [index, period] of periods.entries()) {
      const field = `${list}.${index}`;
      const caseworker = this.caseworker(period.caseworker, `${field}.caseworker`);
      const at = this.pastDate(start.of(period), `${field}.${start.field}`);
      const reason = period.reason ?? DEFAULT_CHANGE_REASON;
      steps.push({
        field: `${field}.${start.field}`,
        command:
          index === 0 ? commands.first(caseworker, at) : commands.next(caseworker, reason, at),
      });
      if (!period.toldAt) continue;
      const told = this.toldAt(period.toldAt, period.toldChannel, at, field);
      const command = commands.told(index, told.channel, told.at);
      if (command) steps.push({ field: `${field}.toldAt`, command });
    }
    return steps;
  }

  private queue(
    line: number,
    kind: RecordKind,
    source: SourceKey,
    streamId: string,
    events: readonly DatedEvent<{ type: string; data: JsonObject }>[],
  ): void {
    if (this.seenStreams.has(streamId))
      throw new RecordProblem('source', 'appears twice in the file');
    this.seenStreams.add(streamId);
    const metadataStart = `${this.metadataActor}${JSON.stringify(formatSourceKey(source))},"at":"`;
    // A loop, not `map`: a closure and its context a stream were garbage.
    const newEvents: NewEvent[] = [];
    for (let index = 0; index < events.length; index++) {
      const dated = events[index];
      if (!dated) continue;
      const { event, at } = dated;
      const dataJson = JSON.stringify(event.data);
      newEvents.push(
        new SerializedEvent(
          derivedUuid(streamId, String(index), event.type, dataJson),
          event.type,
          dataJson,
          `${metadataStart}${at.toISOString()}"}`,
        ),
      );
    }
    this.events += newEvents.length;
    this.batch.push({ line, kind, append: { streamId, events: newEvents, expected: 'no_stream' } });
  }

  /**
   * Hands the batch to the writer: its rows and its streams' multi-stream append go out while
   * the next batch is planned. One batch is written at a time, in file order.
   */
  private async flush(): Promise<void> {
    const batch = this.batch;
    const pending = this.pending;
    this.batch = [];
    this.pending = { names: [], keys: [] };
    if (this.dryRun) return;
    await this.untilWritten();
    this.writing = settled(this.write(batch, pending));
  }

  /** Until the batch being written is stored; its failure is thrown here. */
  private async untilWritten(): Promise<void> {
    const failure = await this.writing;
    this.writing = Promise.resolve(null);
    if (failure !== null) throw failure;
  }

  /** The registry rows and every stream of the batch in one multi-stream append. */
  private async write(batch: readonly StreamPlan[], pending: PendingRows): Promise<void> {
    const [, results] = await Promise.all([this.writeRows(pending), this.appendBatch(batch)]);
    for (const { result, events } of results) this.wrote(result.position, events);
  }

  private async appendBatch(batch: readonly StreamPlan[]): Promise<readonly Appended[]> {
    if (batch.length === 0) return [];
    try {
      const results = await this.store.appendMany(batch.map((plan) => plan.append));
      return results.map((result, index) => ({
        result,
        events: batch[index]?.append.events.length ?? 0,
      }));
    } catch (error) {
      if (!(
        error instanceof WrongExpectedRevisionError || error instanceof PartialDuplicateAppendError
      )) {
        throw error;
      }
      // Some stream was imported before with other events (a corrected file): one at a time.
      const results: Appended[] = [];
      for (const plan of batch) {
        const result = await this.appendCorrection(plan);
        if (result) results.push(result);
      }
      return results;
    }
  }

  /**
   * A stream imported before: what the file adds after the stored events is appended; a history
   * that differs from the stored one cannot be rewritten and is reported. Only the import's own
   * events are compared: a stream Tovholder writes to as well (a young person's transition, where
   * the scheduler records the 16th birthday) may hold events of its own after them.
   */
  private async appendCorrection(plan: StreamPlan): Promise<Appended | null> {
    const stored = await this.store.readStream(plan.append.streamId);
    const planned = plan.append.events;
    const importedFrom = planned[0]?.metadata?.importedFrom;
    const imported = stored.filter((event) => event.metadata.importedFrom === importedFrom);
    const isPrefix =
      imported.length <= planned.length &&
      imported.every((event, i) => event.id === planned[i]?.id);
    const rest = planned.slice(imported.length);
    if (!isPrefix || (rest.length > 0 && imported.length < stored.length)) {
      this.problems.push({
        line: plan.line,
        kind: plan.kind,
        field: 'source',
        reason: isPrefix
          ? 'has steps recorded in Tovholder, which an import cannot add before'
          : 'imported before with a different history, which an import cannot rewrite',
      });
      this.imported -= 1;
      return null;
    }
    if (rest.length === 0) return null;
    const last = stored.at(-1);
    const result = await this.store.append(
      plan.append.streamId,
      rest,
      last ? last.revision : 'no_stream',
    );
    return { result, events: rest.length };
  }

  /**
   * An append's answer: above the run's starting head it was written now (a transaction begun
   * later commits above every visible event); at or below, a stored copy answered a retry.
   */
  private wrote(position: Position, events: number): void {
    if (comparePositions(position, this.head) > 0) this.written += events;
    if (comparePositions(position, this.newest) > 0) this.newest = position;
  }

  /**
   * Until readers see what this run appended: the log's visible head waits for every older
   * transaction in the PostgreSQL cluster, and `written` counts visible events.
   */
  private async untilVisible(position: Position | null): Promise<void> {
    if (position === null) return;
    for (const started = Date.now(); Date.now() - started < 60_000;) {
      if (isAtOrAfter(await this.store.headPosition(), position)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async writeRows(rows: PendingRows): Promise<void> {
    if (rows.names.length > 0) {
      await this.dataSource.query(
        `INSERT INTO caseworker_names (caseworker_id, name)
         SELECT * FROM unnest($1::uuid[], $2::text[])
         ON CONFLICT (caseworker_id) DO UPDATE SET name = excluded.name`,
        [rows.names.map((row) => row.caseworkerId), rows.names.map((row) => row.name)],
      );
    }
    if (rows.keys.length > 0 && !(await this.copySourceKeys(rows.keys))) {
      await this.dataSource.query(
        `INSERT INTO source_keys (kind, system, key, resource_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[])
         ON CONFLICT (kind, system, key) DO NOTHING`,
        [
          arrayLiteral(rows.keys.map((row) => row.kind)),
          arrayLiteral(rows.keys.map((row) => row.system)),
          arrayLiteral(rows.keys.map((row) => row.key)),
          arrayLiteral(rows.keys.map((row) => row.resourceId)),
        ],
      );
    }
  }

  /** A batch's source keys by COPY: false when one is stored already (a rerun), nothing written. */
  private async copySourceKeys(keys: PendingRows['keys']): Promise<boolean> {
    const rows = new CopyRows();
    for (const { kind, system, key, resourceId } of keys) {
      rows.value(kind);
      rows.value(copyText(system));
      rows.value(copyText(key));
      rows.value(resourceId);
      rows.endRow();
    }
    return copyNewRows(this.dataSource, [
      { sql: 'COPY source_keys (kind, system, key, resource_id) FROM STDIN', rows },
    ]);
  }

  private async loadDepartments(): Promise<void> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM departments WHERE active',
    );
    for (const row of rows) this.departments.add(row.id);
  }

  private requireDepartment(departmentId: string): void {
    if (!this.departments.has(departmentId)) {
      throw new RecordProblem('departmentId', 'names no active department');
    }
  }

  /** A person of this file above `line`, or of an earlier import (by its source key). */
  private personId(source: SourceKey, field: string, line: number): string {
    const key = formatSourceKey(source);
    const inFile = this.persons.get(key);
    if (inFile && inFile.line < line) return inFile.personId;
    const earlier =
      this.earlierPersons.get(key) ??
      this.lookedUpFor(`person ${key}`, () => this.earlierImport('person', source));
    if (!earlier) {
      throw new RecordProblem(field, 'names no person of this file or an earlier import');
    }
    this.earlierPersons.set(key, earlier);
    return earlier;
  }

  private caseworker(source: SourceKey, field: string): CaseworkerFacts {
    const key = formatSourceKey(source);
    const known = this.caseworkers.get(key);
    if (known) return known;
    const facts = this.lookedUpFor(`caseworker ${key}`, async () => {
      const caseworkerId = await this.earlierImport('caseworker', source);
      return caseworkerId ? loadCaseworkerFacts(this.store, caseworkerId) : null;
    });
    if (!facts) {
      throw new RecordProblem(field, 'names no caseworker of this file or an earlier import');
    }
    this.caseworkers.set(key, facts);
    return facts;
  }

  private async earlierImport(kind: SourceKeyKind, source: SourceKey): Promise<string | null> {
    const [row] = await this.dataSource.query<{ resource_id: string }[]>(
      'SELECT resource_id FROM source_keys WHERE kind = $1 AND system = $2 AND key = $3',
      [kind, source.system, source.key],
    );
    return row?.resource_id ?? null;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private pastDate(text: string, field: string): Date {
    const date = new Date(text);
    if (date.getTime() > this.nowTime) {
      throw new RecordProblem(field, 'must not be in the future');
    }
    return date;
  }

  private toldAt(
    text: string,
    channel: ContactChannel | undefined,
    after: Date,
    field: string,
  ): { at: Date; channel: ContactChannel } {
    if (!channel) throw new RecordProblem(`${field}.toldChannel`, 'is required with toldAt');
    const at = this.pastDate(text, `${field}.toldAt`);
    if (at.getTime() < after.getTime()) {
      throw new RecordProblem(`${field}.toldAt`, 'must not be before the change it tells of');
    }
    return { at, channel };
  }
}

interface SuccessionCommands<Command> {
  first(caseworker: CaseworkerFacts, at: Date): Command;
  next(caseworker: CaseworkerFacts, reason: string, at: Date): Command;
  told(index: number, channel: ContactChannel, at: Date): Command | null;
}

/** An append of the import's and how many events it carried. */
interface Appended {
  readonly result: AppendResult;
  readonly events: number;
}

interface DatedEvent<Event> {
  readonly event: Event;
  /** The step's date: the metadata's `at`, as a command given `now` would record it. */
  readonly at: Date;
}

interface Step<Command> {
  readonly field: string;
  readonly command: Command;
}

const IMPORT_ACTOR_ROLES: readonly string[] = ['system'];

/**
 * An imported event as the store's COPY writes it: its data and metadata held as JSON only, and
 * read back into objects only where a store needs them (a small batch, a correction, KurrentDB).
 * A batch waits while the next one is planned, so what it holds outlives the young generation
 * and is copied by the collector: the objects beside the JSON were nearly half of it.
 */
class SerializedEvent implements NewEvent {
  constructor(
    readonly id: string,
    readonly type: string,
    readonly dataJson: string,
    readonly metadataJson: string,
  ) {}

  get data(): JsonObject {
    return JSON.parse(this.dataJson) as JsonObject;
  }

  get metadata(): EventMetadata {
    return JSON.parse(this.metadataJson) as EventMetadata;
  }
}

/**
 * An imported event's metadata as JSON up to its date's value: the stream's events differ only
 * there, so each event's metadata is serialized by joining two strings.
 */
export function importMetadataStart(actor: string, importedFrom: string): string {
  return `${importMetadataActor(actor)}${JSON.stringify(importedFrom)},"at":"`;
}

/** The metadata JSON up to the source key's value: the same for every event of a run. */
function importMetadataActor(actor: string): string {
  return `{"actor":${JSON.stringify(actor)},"actorRoles":${JSON.stringify(IMPORT_ACTOR_ROLES)},"importedFrom":`;
}

/** Settles with the work's failure, or null: awaited later, so a failure is never unhandled. */
function settled(work: Promise<unknown>): Promise<Error | null> {
  return work.then(
    () => null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
}

/** Steps are decided in the order of their dates; a step dated before the record's start is refused. */
function requireNotBefore(steps: readonly Step<{ now: Date }>[], start: Date): void {
  for (const step of steps) {
    if (step.command.now.getTime() < start.getTime()) {
      throw new RecordProblem(step.field, 'must not be before the record was opened or registered');
    }
  }
}

/**
 * Runs the steps through the decider in date order (a stable sort keeps the file's order for
 * equal dates), each with `now` at its own date, so the events carry the dates it happened.
 */
function decideInOrder<Command extends { now: Date }, Event, State>(
  decider: Decider<Command, Event, State>,
  steps: readonly Step<Command>[],
): DatedEvent<Event>[] {
  // Most records list their steps in date order: sorted only when not (a sort allocates), and
  // checked by a loop (a closure a record was garbage).
  let inOrder = true;
  for (let index = 1; inOrder && index < steps.length; index++) {
    inOrder =
      (steps[index - 1]?.command.now.getTime() ?? 0) <= (steps[index]?.command.now.getTime() ?? 0);
  }
  const ordered = inOrder
    ? steps
    : [...steps].sort((a, b) => a.command.now.getTime() - b.command.now.getTime());
  let state = decider.initialState;
  const events: DatedEvent<Event>[] = [];
  for (const step of ordered) {
    let decided: Event[];
    try {
      decided = decider.decide(step.command, state);
    } catch (error) {
      if (error instanceof DomainError) {
        throw new RecordProblem(step.field, `${error.code}: ${error.message}`);
      }
      throw error;
    }
    for (const event of decided) {
      state = decider.evolve(state, event);
      events.push({ event, at: step.command.now });
    }
  }
  return events;
}

function parseLine(text: string): { kind: RecordKind; value: object } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordProblem('line', 'is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordProblem('line', 'is not a JSON object');
  }
  const kind = (value as { kind?: unknown }).kind;
  if (!isRecordKind(kind)) {
    throw new RecordProblem('kind', `must be one of ${RECORD_KINDS.join(', ')}`);
  }
  return { kind, value };
}

/**
 * A good line: parsed and passed by the compiled schema, which accepts only what the record
 * classes accept. Most lines are good, and this costs a fraction of the classes' validation.
 * Null for any other line, which `validLine` then validates to say why.
 */
function schemaRecord(text: string): ImportRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const kind =
    typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : null;
  return isRecordKind(kind) && matchesImportSchema(kind, value) ? value : null;
}

function isRecordKind(kind: unknown): kind is RecordKind {
  return RECORD_KINDS.includes(kind as RecordKind);
}

/**
 * A line parsed and validated as the API validates a body: a null anywhere refused first, then
 * the record classes, so the report names the field and reason as the API would.
 */
async function validLine(text: string): Promise<ImportRecord> {
  const { kind, value } = parseLine(text);
  const [firstNull, ...moreNulls] = nullFields(value);
  if (firstNull) throw new RecordProblem(firstNull.field, firstNull.reason, moreNulls, kind);
  const record = plainToInstance(RECORD_CLASSES[kind], value);
  const errors = await validate(record, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  const [first, ...more] = validationProblems(errors);
  if (first) throw new RecordProblem(first.field, first.reason, more, kind);
  return record;
}

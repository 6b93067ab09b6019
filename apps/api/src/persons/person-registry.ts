import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Cpr } from '@tovholder/domain/shared/cpr';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  cprSearchHash,
  newDataKey,
  openField,
  PersonDataCryptoError,
  sealField,
  unwrapDataKey,
  wrapDataKey,
  type MasterKey,
} from './person-crypto';
import { PERSON_DATA_MASTER_KEY } from './person-data-key';
import { CopyRows, copyText } from '@tovholder/event-store/postgres/copy-rows';
import { copyNewRows } from './copy-rows';
import { byteaArray, NOTHING_SEALED, PersonSealer, type SealedColumns } from './person-sealing';
import { mentionsPerson, redactPerson, type PersonalData } from './redaction';

interface Common {
  readonly personId: string;
  readonly birthDate: string;
  readonly exemptFromDigitalPost: boolean;
}

export type PersonRecord =
  | (Common & { readonly erased: false; readonly cpr: string; readonly name: string })
  | (Common & {
      readonly erased: true;
      readonly erasedAt: Date;
      readonly erasedBy: string;
      readonly erasureReason: string;
    });

export type ErasedPerson = Extract<PersonRecord, { erased: true }>;

export type RegisterResult =
  | { readonly kind: 'registered'; readonly person: PersonRecord }
  | { readonly kind: 'already-registered'; readonly personId: string | null };

/** One person of a batch registration (`registerMany`). */
export interface PersonRegistration {
  readonly cpr: Cpr;
  readonly name: string;
  readonly exemptFromDigitalPost: boolean;
}

/**
 * The person a registration of a batch stands for: registered by this batch, or found by CPR
 * number (registered before, or earlier in the same batch). `personId` is null only when another
 * request registered the CPR number at the same moment and was not yet visible.
 */
export type BatchRegistration =
  | { readonly registered: true; readonly personId: string }
  | { readonly registered: false; readonly personId: string | null };

interface NewPerson {
  readonly personId: string;
  /** The CPR number's search hash, as hex. */
  readonly hash: string;
  readonly registration: PersonRegistration;
}

/** A batch registration begun by `prepareMany`, finished by `registerPrepared`. */
export interface PreparedRegistrations {
  readonly ready: Promise<PreparedBatch>;
}

/** The persons a batch found by hash, and its new ones (by hash, in order) with their data sealed. */
interface PreparedBatch {
  /** Each registration's CPR search hash, as hex. */
  readonly hashes: readonly string[];
  readonly existing: Map<string, string>;
  readonly fresh: Map<string, NewPerson>;
  readonly sealed: SealedColumns;
}

export type EraseResult =
  | { readonly kind: 'erased'; readonly person: ErasedPerson; readonly now: boolean }
  | { readonly kind: 'not-found' }
  /** The reason would keep what the erasure removes. */
  | { readonly kind: 'reason-names-person' };

interface PersonRow {
  person_id: string;
  birth_date: string;
  exempt_from_digital_post: boolean;
  cpr_sealed: Buffer | null;
  name_sealed: Buffer | null;
  plain_cpr: string | null;
  plain_name: string | null;
  erased_at: Date | null;
  erased_by: string | null;
  erasure_reason: string | null;
  master_key_id: string | null;
  wrapped_key: Buffer | null;
}

const SELECT_PERSON = `
  SELECT p.person_id, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
         p.exempt_from_digital_post, p.cpr_sealed, p.name_sealed, p.plain_cpr, p.plain_name,
         p.erased_at, p.erased_by, p.erasure_reason, k.master_key_id, k.wrapped_key
    FROM persons p LEFT JOIN person_keys k ON k.person_id = p.person_id`;

/** Batches of this many new persons or more are written by COPY (the import's). */
const COPY_FROM_PERSONS = 200;

/**
 * The person registry's personal data: CPR numbers and names are sealed with a key per person
 * (wrapped by the master key) before they reach the database and opened only here. Erasure
 * deletes the person's key, hash and ciphertexts in one transaction.
 */
@Injectable()
export class PersonRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PersonRegistry');
  private readonly sealer: PersonSealer;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(PERSON_DATA_MASTER_KEY) private readonly master: MasterKey,
  ) {
    this.sealer = new PersonSealer(master, (reason) =>
      this.logger.warn(`the sealing worker stopped (${reason}); sealing in this thread`),
    );
  }

  /**
   * Starts the thread that seals large batches before the first one comes (else the first starts
   * it): the bench does, so that the thread's module loading is not timed, as the process's is not.
   */
  async startSealing(): Promise<void> {
    await this.sealer.start();
  }

  /** Stops the sealing worker, if a large batch started one. */
  async onModuleDestroy(): Promise<void> {
    await this.sealer.close();
  }

  /** Rows from before encryption are sealed before the app serves any request. */
  async onApplicationBootstrap(): Promise<void> {
    const sealed = await this.encryptPlainRows();
    if (sealed > 0) this.logger.log(`sealed ${sealed} persons stored before encryption`);
  }

  /** One person: `registerMany` with a batch of one. */
  async register(
    cpr: Cpr,
    name: string,
    exemptFromDigitalPost: boolean,
    now: Date,
  ): Promise<RegisterResult> {
    const [result] = await this.registerMany([{ cpr, name, exemptFromDigitalPost }], now);
    if (!result?.registered) {
      return { kind: 'already-registered', personId: result?.personId ?? null };
    }
    return {
      kind: 'registered',
      person: {
        erased: false,
        personId: result.personId,
        birthDate: cpr.birthDate,
        exemptFromDigitalPost,
        cpr: cpr.normalized,
        name,
      },
    };
  }

  /**
   * Registers a batch of persons with `register`'s rules (one person per CPR number: a number
   * registered before, or twice in the batch, answers the existing person) in two round trips:
   * one look-up of the batch's hashes, then one statement inserting the new persons, sealed,
   * with their keys. Answers in the order of `registrations`.
   */
  async registerMany(
    registrations: readonly PersonRegistration[],
    now: Date,
  ): Promise<BatchRegistration[]> {
    return this.registerPrepared(this.prepareMany(registrations), now);
  }

  /**
   * The first half of `registerMany`, started at once: the CPR numbers' search hashes, the
   * look-up, and the sealing of the new persons (hashing and sealing on a worker thread for a
   * large batch). A caller registering batches one after another (the import) prepares the next
   * while the one before is inserted.
   */
  prepareMany(registrations: readonly PersonRegistration[]): PreparedRegistrations {
    const ready = this.lookUpAndSeal(registrations);
    // Awaited by `registerPrepared` later: a failure meanwhile is not unhandled.
    ready.catch(() => undefined);
    return { ready };
  }

  /** The second half of `registerMany`: the new persons inserted, and every answer. */
  async registerPrepared(prepared: PreparedRegistrations, now: Date): Promise<BatchRegistration[]> {
    const { hashes, existing, fresh, sealed } = await prepared.ready;
    if (hashes.length === 0) return [];
    const inserted = await this.insertSealed([...fresh.values()], sealed, now);
    // Registered at the same moment by another request (or by a batch inserted after this one
    // looked up): found now, or left null as `register` does.
    const raced = [...fresh].filter(([, { personId }]) => !inserted.has(personId));
    const found =
      raced.length > 0
        ? await this.personIdsByHash(raced.map(([hash]) => hash))
        : new Map<string, string>();
    const answered = new Set<string>();
    return hashes.map((hash) => {
      const known = existing.get(hash);
      if (known) return { registered: false, personId: known };
      const own = fresh.get(hash);
      if (!own || !inserted.has(own.personId)) {
        return { registered: false, personId: found.get(hash) ?? null };
      }
      // A CPR number twice in the batch: the first registers, the second finds it.
      const first = !answered.has(hash);
      answered.add(hash);
      return { registered: first, personId: own.personId };
    });
  }

  private async lookUpAndSeal(
    registrations: readonly PersonRegistration[],
  ): Promise<PreparedBatch> {
    if (registrations.length === 0) {
      return { hashes: [], existing: new Map(), fresh: new Map(), sealed: NOTHING_SEALED };
    }
    const hashes = await this.sealer.hash(registrations.map(({ cpr }) => cpr.normalized));
    const existing = await this.personIdsByHash(hashes);
    const fresh = new Map<string, NewPerson>();
    for (const [index, registration] of registrations.entries()) {
      const hash = hashes[index];
      if (hash && !existing.has(hash) && !fresh.has(hash)) {
        fresh.set(hash, { personId: randomUUID(), hash, registration });
      }
    }
    const sealed = await this.sealer.seal(
      [...fresh.values()].map(({ personId, registration }) => ({
        personId,
        cpr: registration.cpr.normalized,
        name: registration.name,
      })),
    );
    return { hashes, existing, fresh, sealed };
  }

  async find(personId: string): Promise<PersonRecord | null> {
    const [row] = await this.dataSource.query<PersonRow[]>(
      `${SELECT_PERSON} WHERE p.person_id = $1`,
      [personId],
    );
    return row ? this.recordOf(row) : null;
  }

  /** Erased persons have no hash, so their CPR number finds no one. */
  async findByCpr(cpr: Cpr): Promise<PersonRecord | null> {
    const [row] = await this.dataSource.query<PersonRow[]>(
      `${SELECT_PERSON} WHERE p.cpr_hash = $1`,
      [cprSearchHash(this.master, cpr.normalized)],
    );
    return row ? this.recordOf(row) : null;
  }

  /** Names for a page: id → name, or null for an erased person; unknown ids are left out. */
  async names(personIds: readonly string[]): Promise<Map<string, string | null>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.dataSource.query<PersonRow[]>(
      `${SELECT_PERSON} WHERE p.person_id = ANY($1::uuid[])`,
      [[...new Set(personIds)]],
    );
    return new Map(
      rows.map((row) => {
        const record = this.recordOf(row);
        return [row.person_id, record.erased ? null : record.name];
      }),
    );
  }

  /**
   * Erases the person's CPR number and name for good: the data key, the search hash and the
   * ciphertexts go, and journal notes in the cases of the person's families lose the CPR number
   * and full name. What is kept: the id, the birth date (the age rules need it), and who erased
   * and why. A second erasure answers the first one's record.
   */
  async erase(
    personId: string,
    erasure: { readonly reason: string; readonly erasedBy: string; readonly at: Date },
  ): Promise<EraseResult> {
    return this.dataSource.transaction(async (manager): Promise<EraseResult> => {
      const [row] = await manager.query<PersonRow[]>(
        `${SELECT_PERSON} WHERE p.person_id = $1 FOR UPDATE OF p`,
        [personId],
      );
      if (!row) return { kind: 'not-found' };
      const record = this.recordOf(row);
      if (record.erased) return { kind: 'erased', person: record, now: false };
      if (mentionsPerson(erasure.reason, record)) return { kind: 'reason-names-person' };
      await this.redactJournalNotes(manager, personId, record);
      await manager.query('DELETE FROM person_keys WHERE person_id = $1', [personId]);
      await manager.query(
        `UPDATE persons SET cpr_hash = NULL, cpr_sealed = NULL, name_sealed = NULL,
                plain_cpr = NULL, plain_name = NULL,
                erased_at = $2, erased_by = $3, erasure_reason = $4
          WHERE person_id = $1`,
        [personId, erasure.at, erasure.erasedBy, erasure.reason],
      );
      return {
        kind: 'erased',
        now: true,
        person: {
          erased: true,
          personId,
          birthDate: record.birthDate,
          exemptFromDigitalPost: record.exemptFromDigitalPost,
          erasedAt: erasure.at,
          erasedBy: erasure.erasedBy,
          erasureReason: erasure.reason,
        },
      };
    });
  }

  /** Seals rows written before encryption (plain_cpr/plain_name); returns how many. */
  async encryptPlainRows(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<
        { person_id: string; plain_cpr: string; plain_name: string; created_at: Date }[]
      >(
        `SELECT person_id, plain_cpr, plain_name, created_at FROM persons
          WHERE plain_cpr IS NOT NULL FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) {
        await manager.query('DELETE FROM person_keys WHERE person_id = $1', [row.person_id]);
        await this.seal(
          manager,
          row.person_id,
          { cpr: row.plain_cpr, name: row.plain_name },
          row.created_at,
        );
      }
      return rows.length;
    });
  }

  /** Persons by CPR search hash (hex). */
  private async personIdsByHash(hashes: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.dataSource.query<{ person_id: string; hash: string }[]>(
      `SELECT person_id, encode(cpr_hash, 'hex') AS hash FROM persons
        WHERE cpr_hash = ANY($1::bytea[])`,
      [byteaArray(hashes)],
    );
    return new Map(rows.map((row) => [row.hash, row.person_id]));
  }

  /**
   * New persons and their data keys in one statement (the key rows only for the persons it
   * inserted); answers the ids inserted. A CPR number registered meanwhile is skipped. A large
   * batch (the import's) goes by COPY first, which costs the database a good deal less; a CPR
   * number registered meanwhile fails the COPY as a whole, and then the statement sorts it out.
   */
  private async insertSealed(
    persons: readonly NewPerson[],
    sealed: SealedColumns,
    now: Date,
  ): Promise<Set<string>> {
    if (persons.length === 0) return new Set();
    if (persons.length >= COPY_FROM_PERSONS && (await this.copySealed(persons, sealed, now))) {
      return new Set(persons.map(({ personId }) => personId));
    }
    const inserted = await this.dataSource.query<{ person_id: string }[]>(
      `WITH inserted AS (
         INSERT INTO persons (person_id, birth_date, exempt_from_digital_post, created_at,
                              cpr_hash, cpr_sealed, name_sealed)
         SELECT person_id, birth_date, exempt, $8, hash, cpr_sealed, name_sealed
           FROM unnest($1::uuid[], $2::date[], $3::boolean[], $4::bytea[], $5::bytea[],
                       $6::bytea[]) AS p(person_id, birth_date, exempt, hash, cpr_sealed, name_sealed)
         ON CONFLICT (cpr_hash) DO NOTHING
         RETURNING person_id),
       keys AS (
         INSERT INTO person_keys (person_id, master_key_id, wrapped_key, created_at)
         SELECT k.person_id, $9, k.wrapped_key, $8
           FROM unnest($1::uuid[], $7::bytea[]) AS k(person_id, wrapped_key)
           JOIN inserted USING (person_id))
       SELECT person_id FROM inserted`,
      [
        persons.map(({ personId }) => personId),
        persons.map(({ registration }) => registration.cpr.birthDate),
        persons.map(({ registration }) => registration.exemptFromDigitalPost),
        byteaArray(persons.map(({ hash }) => hash)),
        byteaArray(sealed.cprSealed),
        byteaArray(sealed.nameSealed),
        byteaArray(sealed.wrappedKeys),
        now,
        this.master.id,
      ],
    );
    return new Set(inserted.map((row) => row.person_id));
  }

  /** New persons and their keys by COPY, in one transaction; false (nothing written) on a conflict. */
  private async copySealed(
    persons: readonly NewPerson[],
    sealed: SealedColumns,
    now: Date,
  ): Promise<boolean> {
    const at = now.toISOString();
    const masterKeyId = copyText(this.master.id);
    const personRows = new CopyRows();
    const keyRows = new CopyRows();
    for (const [index, { personId, hash, registration }] of persons.entries()) {
      personRows.value(personId);
      personRows.value(registration.cpr.birthDate);
      personRows.value(registration.exemptFromDigitalPost ? 't' : 'f');
      personRows.value(at);
      personRows.byteaHex(hash);
      personRows.byteaHex(sealed.cprSealed[index] ?? '');
      personRows.byteaHex(sealed.nameSealed[index] ?? '');
      personRows.endRow();
      keyRows.value(personId);
      keyRows.value(masterKeyId);
      keyRows.byteaHex(sealed.wrappedKeys[index] ?? '');
      keyRows.value(at);
      keyRows.endRow();
    }
    return copyNewRows(this.dataSource, [
      {
        sql: `COPY persons (person_id, birth_date, exempt_from_digital_post, created_at, cpr_hash,
                            cpr_sealed, name_sealed) FROM STDIN`,
        rows: personRows,
      },
      {
        sql: 'COPY person_keys (person_id, master_key_id, wrapped_key, created_at) FROM STDIN',
        rows: keyRows,
      },
    ]);
  }

  /** A fresh data key for the person; CPR number and name sealed with it, the hash beside. */
  private async seal(
    manager: EntityManager,
    personId: string,
    data: PersonalData,
    now: Date,
  ): Promise<void> {
    const dataKey = newDataKey();
    await manager.query(
      `INSERT INTO person_keys (person_id, master_key_id, wrapped_key, created_at)
       VALUES ($1, $2, $3, $4)`,
      [personId, this.master.id, wrapDataKey(this.master, personId, dataKey), now],
    );
    await manager.query(
      `UPDATE persons SET cpr_hash = $2, cpr_sealed = $3, name_sealed = $4,
              plain_cpr = NULL, plain_name = NULL
        WHERE person_id = $1`,
      [
        personId,
        cprSearchHash(this.master, data.cpr),
        sealField(dataKey, personId, 'cpr', data.cpr),
        sealField(dataKey, personId, 'name', data.name),
      ],
    );
  }

  private recordOf(row: PersonRow): PersonRecord {
    const common: Common = {
      personId: row.person_id,
      birthDate: row.birth_date,
      exemptFromDigitalPost: row.exempt_from_digital_post,
    };
    if (row.erased_at) {
      return {
        ...common,
        erased: true,
        erasedAt: row.erased_at,
        erasedBy: row.erased_by ?? '',
        erasureReason: row.erasure_reason ?? '',
      };
    }
    // Not yet sealed (only between the migration and the start-up that seals it).
    if (row.plain_cpr !== null && row.plain_name !== null) {
      return { ...common, erased: false, cpr: row.plain_cpr, name: row.plain_name };
    }
    if (!row.wrapped_key || !row.cpr_sealed || !row.name_sealed) {
      throw new PersonDataCryptoError('a person that is not erased has no key or no ciphertext');
    }
    if (row.master_key_id !== this.master.id) {
      // Never the key itself: its id only names which master key is needed.
      throw new PersonDataCryptoError(
        `the person's key is wrapped by master key ${row.master_key_id ?? '?'}, this is ${this.master.id}`,
      );
    }
    const dataKey = unwrapDataKey(this.master, row.person_id, row.wrapped_key);
    return {
      ...common,
      erased: false,
      cpr: openField(dataKey, row.person_id, 'cpr', row.cpr_sealed),
      name: openField(dataKey, row.person_id, 'name', row.name_sealed),
    };
  }

  /**
   * Journal notes are free text about a case and may name the person; the notes of every case
   * of the person and of the members of their families are searched (a child is named in a
   * parent's case). Other records are not free text about the person.
   */
  private async redactJournalNotes(
    manager: EntityManager,
    personId: string,
    person: PersonalData,
  ): Promise<void> {
    const notes = await manager.query<{ note_id: string; content: string }[]>(
      `SELECT n.note_id, n.content FROM journal_notes n
        WHERE n.case_id IN (
          SELECT c.case_id FROM coordination_cases c
           WHERE c.person_id = $1
              OR c.person_id IN (SELECT other.person_id
                                   FROM coordination_members me
                                   JOIN coordination_members other ON other.family_id = me.family_id
                                  WHERE me.person_id = $1))
        FOR UPDATE OF n`,
      [personId],
    );
    for (const note of notes) {
      const redacted = redactPerson(note.content, person);
      if (redacted !== note.content) {
        await manager.query('UPDATE journal_notes SET content = $2 WHERE note_id = $1', [
          note.note_id,
          redacted,
        ]);
      }
    }
  }
}

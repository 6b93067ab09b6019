import {
  coordinationAlertFlags,
  flagStartedAt,
  foldTransitionFacts,
  isTransitionEvent,
  nextChangeMoment,
  responsibleFor,
  transitionAlertFlags,
  transitionFlags,
  type AlertFlag,
  type CoordinationFlag,
  type HeldFlag,
  type ResponsibleParty,
  type SubjectJudgement,
  type TransitionRules,
} from '@tovholder/domain';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import type { EntityManager } from 'typeorm';
import type { CaseworkPolicy } from '../casework/casework.policy';
import { DUTIES, type DutyFlag, type DutyKindName, type RecordEvent } from '../casework/duty-kinds';
import { identifiedEvents } from '../shared/aggregate-stream';
import { FAMILY_SUBJECT, TRANSITION_SUBJECT } from './alert-schedule.projector';

/** A row of the alert schedule, as the run reads it. */
export interface ScheduleRow {
  kind: string;
  record_id: string;
  events: RecordEvent[];
  version: number;
  changed: boolean;
  mark_commit: string | null;
}

/** One kind of subject the alert run judges. */
export interface AlertSubjectKind {
  /** Per row, in order: its judgement, or the error judging it (a bad subject fails alone). */
  judgeAll(
    manager: EntityManager,
    rows: readonly ScheduleRow[],
    now: Date,
  ): Promise<(SubjectJudgement | Error)[]>;
}

/**
 * `load` reads, for a batch, what the judgements need from other read models (one query per
 * table); `judge` is per subject and touches no database.
 */
abstract class SubjectsJudgedInBatches<Context> implements AlertSubjectKind {
  protected abstract load(manager: EntityManager, rows: readonly ScheduleRow[]): Promise<Context>;
  protected abstract judge(row: ScheduleRow, context: Context, now: Date): SubjectJudgement;

  async judgeAll(manager: EntityManager, rows: readonly ScheduleRow[], now: Date) {
    const context = await this.load(manager, rows);
    return rows.map((row) => {
      try {
        return this.judge(row, context, now);
      } catch (error) {
        return error instanceof Error ? error : new Error('unknown error');
      }
    });
  }
}

const PART_KEYS = ['decisionId', 'entryId', 'agreementId'] as const;

/** A duty's flag as the alerts see it (the instant for hour-based deadlines). */
export function heldFlag(flag: DutyFlag): HeldFlag {
  const part = PART_KEYS.map((key) => flag.details[key]).find((v) => typeof v === 'string');
  const dueAt = flag.code === 'ACK_OVERDUE' ? flag.details.dueAt : undefined;
  return {
    code: flag.code,
    partId: typeof part === 'string' ? part : null,
    due: typeof dueAt === 'string' ? dueAt : flag.dueDate,
    severity: flag.severity,
    rule: flag.rule,
  };
}

interface CaseHolder {
  case_id: string;
  person_id: string;
  caseworker_id: string | null;
  department_id: string;
}

async function caseHolders(
  manager: EntityManager,
  caseIds: readonly string[],
): Promise<Map<string, CaseHolder>> {
  if (caseIds.length === 0) return new Map();
  const rows = await manager.query<CaseHolder[]>(
    `SELECT case_id, person_id, caseworker_id, department_id FROM coordination_cases
      WHERE case_id = ANY($1::uuid[])`,
    [[...new Set(caseIds)]],
  );
  return new Map(rows.map((row) => [row.case_id, row]));
}

/** What judging a batch of duty records needs: their events and their cases' holders. */
interface DutyContext {
  /** Each record's facts as the casework projection folded them (of the record's kind). */
  facts: Map<string, never>;
  holders: Map<string, CaseHolder>;
}

/**
 * The casework duties (inquiries, applications, …): to the case's caseworker, else the
 * department. A record's facts are read from the casework projection (its schedule row only
 * marks it); a record it does not have yet has no facts and raises nothing.
 */
export class DutySubjects extends SubjectsJudgedInBatches<DutyContext> {
  constructor(private readonly policy: CaseworkPolicy) {
    super();
  }

  private duty(row: ScheduleRow) {
    return DUTIES[row.kind as DutyKindName];
  }

  protected async load(manager: EntityManager, rows: readonly ScheduleRow[]) {
    // A record's facts are of its kind; JSON null for none (no opening event).
    const stored = await manager.query<{ kind: string; record_id: string; facts: never }[]>(
      `SELECT r.kind, r.record_id, r.facts FROM casework_records r
         JOIN unnest($1::text[], $2::uuid[]) AS x(kind, record_id)
           ON r.kind = x.kind AND r.record_id = x.record_id`,
      [rows.map((row) => row.kind), rows.map((row) => row.record_id)],
    );
    const facts = new Map(
      stored.flatMap((row) =>
        row.facts === null ? [] : [[`${row.kind}:${row.record_id}`, row.facts] as const],
      ),
    );
    // The case a record belongs to is in its facts; a record that cannot be read is judged (and
    // fails) on its own later.
    const caseIds = rows.flatMap((row) => {
      try {
        const known = factsOf(facts, row);
        const caseId = known === null ? null : this.duty(row).columns(known, this.policy).caseId;
        return caseId === null ? [] : [caseId];
      } catch {
        return [];
      }
    });
    return { facts, holders: await caseHolders(manager, caseIds) };
  }

  protected judge(row: ScheduleRow, context: DutyContext, now: Date): SubjectJudgement {
    const duty = this.duty(row);
    const facts = factsOf(context.facts, row);
    if (facts === null) return { flags: [], nextDueAt: null };
    const columns = duty.columns(facts, this.policy);
    const holder = columns.caseId === null ? undefined : context.holders.get(columns.caseId);
    const departmentId = columns.departmentId ?? holder?.department_id ?? null;
    if (departmentId === null) return { flags: [], nextDueAt: null }; // no opening event yet
    const responsible = responsibleFor({
      caseworkerId: holder?.caseworker_id ?? null,
      departmentId,
    });
    const flagsAt = (moment: Date) => duty.flags(facts, moment, this.policy).map(heldFlag);
    return {
      holder: { caseId: columns.caseId, personId: columns.personId, responsible },
      flags: flagsAt(now).map((flag) => ({
        ...flag,
        subject: { kind: row.kind, id: row.record_id },
        caseId: columns.caseId,
        personId: columns.personId,
        since: flagStartedAt(flag, now).toISOString(),
        responsible,
      })),
      nextDueAt: nextChangeMoment(flagsAt, now),
    };
  }
}

function factsOf(facts: Map<string, never>, row: ScheduleRow): never | null {
  return facts.get(`${row.kind}:${row.record_id}`) ?? null;
}

interface PersonFacts {
  person_id: string;
  birth_date: string | null;
  placed: boolean;
}

/** Transitions to adult life: every flag to the youth unit. */
export class TransitionSubjects extends SubjectsJudgedInBatches<Map<string, PersonFacts>> {
  constructor(
    private readonly rules: TransitionRules,
    private readonly placementCaseTypes: readonly string[],
    private readonly youthUnit: ResponsibleParty,
  ) {
    super();
  }

  protected async load(manager: EntityManager, rows: readonly ScheduleRow[]) {
    // The birth date from the registry (the current truth, as the youth list reads it); placed
    // out of home from the person's open cases.
    const people = await manager.query<PersonFacts[]>(
      `SELECT p.person_id, p.birth_date::text AS birth_date,
              EXISTS (SELECT 1 FROM coordination_cases c
                       WHERE c.person_id = p.person_id AND c.status = 'open'
                         AND c.case_type = ANY($2::text[])) AS placed
         FROM persons p WHERE p.person_id = ANY($1::uuid[])`,
      [rows.map((row) => row.record_id), this.placementCaseTypes],
    );
    return new Map(people.map((person) => [person.person_id, person]));
  }

  protected judge(row: ScheduleRow, people: Map<string, PersonFacts>, now: Date): SubjectJudgement {
    const person = people.get(row.record_id);
    if (!person?.birth_date) return { flags: [], nextDueAt: null };
    const birthDate = person.birth_date;
    const facts = foldTransitionFacts(
      row.record_id,
      identifiedEvents(row.events, isTransitionEvent),
      person.placed,
    );
    const flagsAt = (moment: Date): AlertFlag[] =>
      transitionAlertFlags(
        row.record_id,
        transitionFlags(facts, birthDate, copenhagenDateOf(moment), this.rules),
        this.youthUnit,
        moment,
      );
    return { flags: flagsAt(now), nextDueAt: nextChangeMoment(flagsAt, now) };
  }
}

interface FamilyContext {
  readonly flags: Map<string, CoordinationFlag[]>;
  readonly cases: Map<string, CaseHolder>;
  readonly caseworkerDepartments: Map<string, string>;
}

/** Families: their coordination flags as the coordination projection keeps them. */
export class FamilySubjects extends SubjectsJudgedInBatches<FamilyContext> {
  protected async load(
    manager: EntityManager,
    rows: readonly ScheduleRow[],
  ): Promise<FamilyContext> {
    const stored = await manager.query<
      (Omit<CoordinationFlag, 'since' | 'subjectId'> & {
        family_id: string;
        subject_id: string;
        since: Date;
        department_ids: string[];
        event_ids: string[];
      })[]
    >(
      `SELECT family_id, code, subject_id, since, event_ids, department_ids, details
         FROM coordination_flags WHERE family_id = ANY($1::uuid[])`,
      [rows.map((row) => row.record_id)],
    );
    const flags = new Map<string, CoordinationFlag[]>();
    for (const row of stored) {
      const list = flags.get(row.family_id) ?? [];
      list.push({
        code: row.code,
        subjectId: row.subject_id,
        since: new Date(row.since).toISOString(),
        eventIds: row.event_ids,
        departmentIds: row.department_ids,
        details: row.details,
      });
      flags.set(row.family_id, list);
    }
    const all = [...flags.values()].flat();
    const caseIds = all.filter((f) => f.subjectId !== '').map((f) => f.subjectId);
    const caseworkerIds = all.flatMap((f) =>
      typeof f.details.caseworkerId === 'string' && f.details.caseworkerId !== ''
        ? [f.details.caseworkerId]
        : [],
    );
    const departments =
      caseworkerIds.length === 0
        ? []
        : await manager.query<{ caseworker_id: string; department_id: string }[]>(
            `SELECT caseworker_id, department_id FROM coordination_caseworkers
              WHERE caseworker_id = ANY($1::uuid[])`,
            [[...new Set(caseworkerIds)]],
          );
    return {
      flags,
      cases: await caseHolders(manager, caseIds),
      caseworkerDepartments: new Map(departments.map((d) => [d.caseworker_id, d.department_id])),
    };
  }

  protected judge(row: ScheduleRow, context: FamilyContext, now: Date): SubjectJudgement {
    return coordinationAlertFlags(
      row.record_id,
      context.flags.get(row.record_id) ?? [],
      {
        caseOf: (caseId) => {
          const held = context.cases.get(caseId);
          return held
            ? {
                caseworkerId: held.caseworker_id,
                departmentId: held.department_id,
                personId: held.person_id,
              }
            : undefined;
        },
        departmentOfCaseworker: (id) => context.caseworkerDepartments.get(id),
      },
      now,
    );
  }
}

/** Which kind judges a schedule row, by the row's kind. */
export function subjectKinds(
  policy: CaseworkPolicy,
  transitions: { rules: TransitionRules; placementCaseTypes: readonly string[] },
  youthUnit: ResponsibleParty,
): ReadonlyMap<string, AlertSubjectKind> {
  const duties = new DutySubjects(policy);
  return new Map<string, AlertSubjectKind>([
    ...Object.keys(DUTIES).map((kind): [string, AlertSubjectKind] => [kind, duties]),
    [
      TRANSITION_SUBJECT,
      new TransitionSubjects(transitions.rules, transitions.placementCaseTypes, youthUnit),
    ],
    [FAMILY_SUBJECT, new FamilySubjects()],
  ]);
}

import { Inject, Injectable } from '@nestjs/common';
import type { CoordinationFlag, CoordinationFlagCode } from '@tovholder/domain';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Page } from '../http/page';
import { waitForPosition } from '../projections/read-after-write';
import { CLOCK, type Clock } from '../shared/clock';
import { FAMILY_COORDINATION_PROJECTOR } from './family-coordination.projector';

export interface FlagView extends Omit<CoordinationFlag, 'eventIds' | 'departmentIds'> {
  readonly familyId: string;
  readonly eventIds: string[];
  readonly departmentIds: string[];
}

export interface FamilyCoordinationView {
  readonly familyId: string;
  readonly members: { personId: string; role: string }[];
  readonly openCasesByDepartment: Record<
    string,
    {
      caseId: string;
      personId: string;
      /** Null where the caller may see that the case exists but not its content. */
      caseType: string | null;
      caseworkerId: string | null;
      detailsHidden?: true;
    }[]
  >;
  readonly caseworkers: string[];
  readonly primaryContact: {
    caseworkerId: string;
    name: string | null;
    since: string;
    active: boolean;
  } | null;
  readonly flags: FlagView[];
  /** Departments whose case details the family shares with its primary contact, and on what basis. */
  readonly sharing: { departmentId: string; basis: string; since: string }[];
}

export interface CaseloadRow {
  readonly caseworkerId: string;
  readonly name: string | null;
  readonly departmentId: string;
  readonly active: boolean;
  readonly openCases: number;
  readonly primaryContactFamilies: number;
}

interface FlagRow {
  family_id: string;
  code: CoordinationFlagCode;
  subject_id: string;
  since: Date;
  event_ids: string[];
  department_ids: string[];
  details: Record<string, string | number>;
}

const toFlagView = (row: FlagRow): FlagView => ({
  familyId: row.family_id,
  code: row.code,
  subjectId: row.subject_id,
  since: row.since.toISOString(),
  eventIds: row.event_ids,
  departmentIds: row.department_ids,
  details: row.details,
});

/** Reads of the family-coordination projection; time-relative flags are filtered by the clock. */
@Injectable()
export class CoordinationQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(
      this.watcher,
      [FAMILY_COORDINATION_PROJECTOR],
      position,
      this.config.readWaitMaxMs,
    );
  }

  async family(familyId: string): Promise<FamilyCoordinationView | null> {
    const m = this.dataSource.manager;
    const [family] = await m.query<
      {
        family_id: string;
        primary_contact_id: string | null;
        primary_contact_at: Date | null;
        active: boolean | null;
        name: string | null;
      }[]
    >(
      `SELECT f.family_id, f.primary_contact_id, f.primary_contact_at, cw.active, n.name
         FROM coordination_families f
         LEFT JOIN coordination_caseworkers cw ON cw.caseworker_id = f.primary_contact_id
         LEFT JOIN caseworker_names n ON n.caseworker_id = f.primary_contact_id
        WHERE f.family_id = $1`,
      [familyId],
    );
    if (!family) return null;
    const members = await m.query<{ person_id: string; role: string }[]>(
      'SELECT person_id, role FROM coordination_members WHERE family_id = $1 ORDER BY added_at, person_id',
      [familyId],
    );
    const cases = await m.query<
      {
        case_id: string;
        person_id: string;
        department_id: string;
        case_type: string;
        caseworker_id: string | null;
      }[]
    >(
      `SELECT c.case_id, c.person_id, c.department_id, c.case_type, c.caseworker_id
         FROM coordination_members m JOIN coordination_cases c ON c.person_id = m.person_id AND c.status = 'open'
        WHERE m.family_id = $1 ORDER BY c.department_id, c.opened_at, c.case_id`,
      [familyId],
    );
    const flags = await m.query<FlagRow[]>(
      'SELECT * FROM coordination_flags WHERE family_id = $1 AND since <= $2 ORDER BY since, code, subject_id',
      [familyId, this.clock.now()],
    );
    const sharing = await m.query<{ department_id: string; basis: string; given_at: Date }[]>(
      'SELECT department_id, basis, given_at FROM coordination_consents WHERE family_id = $1 ORDER BY department_id',
      [familyId],
    );
    const openCasesByDepartment: FamilyCoordinationView['openCasesByDepartment'] = {};
    for (const c of cases) {
      (openCasesByDepartment[c.department_id] ??= []).push({
        caseId: c.case_id,
        personId: c.person_id,
        caseType: c.case_type,
        caseworkerId: c.caseworker_id,
      });
    }
    return {
      familyId,
      members: members.map((row) => ({ personId: row.person_id, role: row.role })),
      openCasesByDepartment,
      caseworkers: [
        ...new Set(cases.flatMap((c) => (c.caseworker_id ? [c.caseworker_id] : []))),
      ].sort(),
      primaryContact:
        family.primary_contact_id && family.primary_contact_at
          ? {
              caseworkerId: family.primary_contact_id,
              name: family.name,
              since: family.primary_contact_at.toISOString(),
              active: family.active ?? false,
            }
          : null,
      flags: flags.map(toFlagView),
      sharing: sharing.map((row) => ({
        departmentId: row.department_id,
        basis: row.basis,
        since: row.given_at.toISOString(),
      })),
    };
  }

  async flags(
    filter: { code?: CoordinationFlagCode; departmentId?: string },
    limit: number,
    offset: number,
  ): Promise<Page<FlagView>> {
    const where = ['since <= $1'];
    const parameters: unknown[] = [this.clock.now()];
    if (filter.code) {
      parameters.push(filter.code);
      where.push(`code = $${parameters.length}`);
    }
    if (filter.departmentId) {
      parameters.push([filter.departmentId]);
      where.push(`department_ids @> $${parameters.length}::text[]`);
    }
    const clause = where.join(' AND ');
    const [count] = await this.dataSource.query<
      {
        n: number;
      }[]
    >(`SELECT count(*)::int AS n FROM coordination_flags WHERE ${clause}`, parameters);
    const rows = await this.dataSource.query<FlagRow[]>(
      `SELECT * FROM coordination_flags WHERE ${clause} ORDER BY since, family_id, code, subject_id
        LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, limit, offset],
    );
    return { items: rows.map(toFlagView), total: count?.n ?? 0, limit, offset };
  }

  /**
   * For the coordination meeting's agenda: every family flagged MISSING_PRIMARY_CONTACT at
   * `asOf` whose open cases touch one of `departmentIds` (the GIN index on department_ids), unpaged.
   */
  async missingPrimaryContacts(
    departmentIds: readonly string[],
    asOf: Date,
  ): Promise<{ familyId: string; since: string; departmentIds: string[] }[]> {
    const rows = await this.dataSource.query<
      { family_id: string; since: Date; department_ids: string[] }[]
    >(
      `SELECT family_id, since, department_ids FROM coordination_flags
        WHERE code = 'MISSING_PRIMARY_CONTACT' AND since <= $1 AND department_ids && $2::text[]`,
      [asOf, departmentIds],
    );
    return rows.map((row) => ({
      familyId: row.family_id,
      since: row.since.toISOString(),
      departmentIds: row.department_ids,
    }));
  }

  /** The family of each person who is a member of one (the earliest joined, if several). */
  async familiesOf(personIds: readonly string[]): Promise<Map<string, string>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ person_id: string; family_id: string }[]>(
      `SELECT DISTINCT ON (person_id) person_id, family_id FROM coordination_members
        WHERE person_id = ANY($1::uuid[]) ORDER BY person_id, added_at, family_id`,
      [personIds],
    );
    return new Map(rows.map((row) => [row.person_id, row.family_id]));
  }

  async caseload(departmentId: string | undefined): Promise<CaseloadRow[]> {
    const rows = await this.dataSource.query<
      {
        caseworker_id: string;
        name: string | null;
        department_id: string;
        active: boolean;
        open_cases: number;
        families: number;
      }[]
    >(
      `SELECT cw.caseworker_id, n.name, cw.department_id, cw.active,
              (SELECT count(*)::int FROM coordination_cases c WHERE c.caseworker_id = cw.caseworker_id AND c.status = 'open') AS open_cases,
              (SELECT count(*)::int FROM coordination_families f WHERE f.primary_contact_id = cw.caseworker_id) AS families
         FROM coordination_caseworkers cw
         LEFT JOIN caseworker_names n ON n.caseworker_id = cw.caseworker_id
        WHERE $1::text IS NULL OR cw.department_id = $1
        ORDER BY open_cases DESC, cw.caseworker_id`,
      [departmentId ?? null],
    );
    return rows.map((row) => ({
      caseworkerId: row.caseworker_id,
      name: row.name,
      departmentId: row.department_id,
      active: row.active,
      openCases: row.open_cases,
      primaryContactFamilies: row.families,
    }));
  }
}

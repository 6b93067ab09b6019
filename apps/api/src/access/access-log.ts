import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedQuery } from './prepared-query';

export type AccessOutcome = 'granted' | 'denied' | 'not-found' | 'refused';

export interface AccessLogEntry {
  readonly at: Date;
  readonly actor: string;
  readonly roles: readonly string[];
  /** The route, as "GET /cases/{caseId}": what was read, never the URL's values. */
  readonly action: string;
  readonly resourceKind: string;
  readonly resourceId: string | null;
  readonly caseId: string | null;
  readonly personIds: readonly string[];
  readonly familyIds: readonly string[];
  readonly purpose: string | null;
  readonly outcome: AccessOutcome;
  /** Why it was granted (own department, consent, ...) or refused (role, scope, purpose). */
  readonly basis: string | null;
}

export interface AccessLogRow extends AccessLogEntry {
  readonly entryId: string;
}

interface Row {
  entry_id: string;
  at: Date;
  actor: string;
  roles: string[];
  action: string;
  resource_kind: string;
  resource_id: string | null;
  case_id: string | null;
  person_ids: string[];
  family_ids: string[];
  purpose: string | null;
  outcome: AccessOutcome;
  basis: string | null;
}

const toEntry = (row: Row): AccessLogRow => ({
  entryId: row.entry_id,
  at: row.at,
  actor: row.actor,
  roles: row.roles,
  action: row.action,
  resourceKind: row.resource_kind,
  resourceId: row.resource_id,
  caseId: row.case_id,
  personIds: row.person_ids,
  familyIds: row.family_ids,
  purpose: row.purpose,
  outcome: row.outcome,
  basis: row.basis,
});

export interface AccessLogFilter {
  readonly actor?: string;
  readonly personId?: string;
  /** Reads of this case only: family and person reads name no case (they may span several). */
  readonly caseId?: string;
  readonly familyId?: string;
  readonly from?: Date;
  readonly to?: Date;
}

/** Appends to and reads the access log (append-only in the database, see the migration). */
@Injectable()
export class AccessLog {
  constructor(private readonly dataSource: DataSource) {}

  /** Written before the data is sent: a read that is not logged does not happen. */
  async append(entry: AccessLogEntry): Promise<void> {
    await preparedQuery(
      this.dataSource,
      'access-log-append',
      `INSERT INTO access_log (at, actor, roles, action, resource_kind, resource_id, case_id,
                               person_ids, family_ids, purpose, outcome, basis)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        entry.at,
        entry.actor,
        entry.roles,
        entry.action,
        entry.resourceKind,
        entry.resourceId,
        entry.caseId,
        entry.personIds,
        entry.familyIds,
        entry.purpose,
        entry.outcome,
        entry.basis,
      ],
    );
  }

  /** Newest first, paged; every filter optional. */
  async find(filter: AccessLogFilter, limit: number, offset: number): Promise<AccessLogRow[]> {
    const rows = await this.dataSource.query<Row[]>(
      `SELECT * FROM access_log
        WHERE ($1::text IS NULL OR actor = $1)
          AND ($2::uuid IS NULL OR person_ids @> ARRAY[$2::uuid])
          AND ($3::timestamptz IS NULL OR at >= $3)
          AND ($4::timestamptz IS NULL OR at < $4)
          AND ($7::uuid IS NULL OR case_id = $7::uuid)
          AND ($8::uuid IS NULL OR family_ids @> ARRAY[$8::uuid])
        ORDER BY at DESC, entry_id DESC
        LIMIT $5 OFFSET $6`,
      [
        filter.actor ?? null,
        filter.personId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        limit,
        offset,
        filter.caseId ?? null,
        filter.familyId ?? null,
      ],
    );
    return rows.map(toEntry);
  }
}

import { ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { Page } from '../http/page';
import { CLOCK, type Clock } from '../shared/clock';
import { alertColumns, alertPayload, type AlertPayload, type AlertRow } from './alert-records';
import type { AlertStatusFilter } from './alerts.dto';

export type AlertView = AlertPayload & {
  readonly status: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
};

/** Whose alerts: a caseworker, a department's desk or team leader, or everyone (system). */
export interface AlertAudience {
  readonly caseworkerId: string | null;
  readonly departmentId: string | null;
  readonly teamLeader: boolean;
  /** The youth unit's alerts (transitions) as well. */
  readonly youthUnit: boolean;
  /** Every alert in the department, not only one's own. */
  readonly wholeDepartment: boolean;
}

const NOT_FOUND = { code: 'ALERT.NOT_FOUND', message: 'No alert with this id' } as const;

export function audienceOf(principal: Principal, responsible: 'me' | 'all'): AlertAudience | null {
  if (principal.roles.includes('system')) return null;
  return {
    caseworkerId: principal.caseworkerId,
    departmentId: principal.departmentId,
    teamLeader: principal.roles.includes('team-leader') && !principal.roles.includes('caseworker'),
    youthUnit: principal.roles.includes('youth-unit'),
    wholeDepartment: responsible === 'all',
  };
}

/** SQL condition and parameters (from $2 on… after `offset`) for an audience; null: everyone. */
function audienceCondition(audience: AlertAudience | null, first: number): [string, unknown[]] {
  if (audience === null) return ['true', []];
  const { caseworkerId, departmentId } = audience;
  if (audience.wholeDepartment) {
    return [`responsible_department_id = $${first}`, [departmentId ?? '']];
  }
  const own: [string, unknown[]] = audience.teamLeader
    ? [
        `responsible_role = 'team-leader' AND responsible_department_id = $${first}`,
        [departmentId ?? ''],
      ]
    : [
        `((responsible_role IN ('caseworker', 'primary-contact')
            AND responsible_caseworker_id = $${first}::uuid)
          OR (responsible_role = 'department' AND responsible_department_id = $${first + 1}))`,
        [caseworkerId, departmentId ?? ''],
      ];
  return audience.youthUnit ? [`(${own[0]} OR responsible_role = 'youth-unit')`, own[1]] : own;
}

function view(row: AlertRow): AlertView {
  return {
    ...alertPayload(row),
    status: row.status,
    acknowledgedAt: row.acknowledged_at ? new Date(row.acknowledged_at).toISOString() : null,
    acknowledgedBy: row.acknowledged_by,
  };
}

@Injectable()
export class AlertsQueries {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A worklist: newest first. */
  async list(
    audience: AlertAudience | null,
    filter: { status: AlertStatusFilter; code?: string },
    limit: number,
    offset: number,
  ): Promise<Page<AlertView>> {
    const [who, params] = audienceCondition(audience, 5);
    const where = `($1 = 'all' OR status = $1) AND ($2::text IS NULL OR code = $2) AND ${who}`;
    const values = [filter.status, filter.code ?? null, limit, offset, ...params];
    const rows = await this.dataSource.query<(AlertRow & { total: string })[]>(
      `SELECT ${alertColumns()}, count(*) OVER ()::text AS total FROM alerts
        WHERE ${where} ORDER BY since DESC, seq DESC LIMIT $3 OFFSET $4`,
      values,
    );
    return { items: rows.map(view), total: Number(rows[0]?.total ?? 0), limit, offset };
  }

  /** Records who acknowledged and when; a second acknowledgement keeps the first. */
  async acknowledge(alertId: string, principal: Principal): Promise<AlertView> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<AlertRow[]>(
        `SELECT ${alertColumns()} FROM alerts WHERE alert_id = $1 FOR UPDATE`,
        [alertId],
      );
      if (!row) throw new NotFoundException(NOT_FOUND);
      const mine =
        principal.roles.includes('system') ||
        row.responsible_department_id === principal.departmentId ||
        (row.responsible_caseworker_id !== null &&
          row.responsible_caseworker_id === principal.caseworkerId) ||
        (row.responsible_role === 'youth-unit' && principal.roles.includes('youth-unit'));
      if (!mine) {
        throw new ForbiddenException({
          code: 'ACCESS.OUT_OF_SCOPE',
          message: 'This alert is for another department',
        });
      }
      if (row.status !== 'open') return view(row);
      const [updated] = await manager.query<AlertRow[]>(
        `WITH changed AS (
           UPDATE alerts SET status = 'acknowledged', acknowledged_at = $2, acknowledged_by = $3,
             escalate_after = NULL WHERE alert_id = $1 RETURNING *
         ) SELECT ${alertColumns('changed')} FROM changed`,
        [alertId, this.clock.now(), principal.subject],
      );
      return view(updated!);
    });
  }

  /** The feed: every alert in the order recorded, from a cursor. */
  async feed(after: string | undefined, limit: number) {
    const rows = await this.dataSource.query<AlertRow[]>(
      `SELECT ${alertColumns()} FROM alerts WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after ?? '0', limit],
    );
    return {
      items: rows.map(alertPayload),
      next: rows.length > 0 ? rows[rows.length - 1]!.seq : (after ?? '0'),
    };
  }
}

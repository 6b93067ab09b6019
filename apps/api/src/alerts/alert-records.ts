import type { AlertTransition, ResponsibleParty } from '@tovholder/domain';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** A UUID (version 8, name-based) from an alert's natural key: the same change, the same id. */
export function alertIdOf(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface NewAlert {
  readonly alertId: string;
  readonly transition: AlertTransition;
  readonly code: string;
  readonly rule: string;
  readonly severity: string;
  readonly subjectKind: string;
  readonly subjectId: string;
  readonly partId: string | null;
  readonly caseId: string | null;
  readonly personId: string | null;
  readonly since: Date;
  readonly due: string;
  readonly responsible: ResponsibleParty;
  readonly status: 'open' | 'closed';
  readonly escalateAfter: Date | null;
  readonly escalatesAlertId: string | null;
}

export interface AlertRow {
  alert_id: string;
  seq: string;
  transition: AlertTransition;
  code: string;
  rule: string;
  severity: string;
  subject_kind: string;
  subject_id: string;
  part_id: string | null;
  case_id: string | null;
  person_id: string | null;
  since: Date;
  due: string;
  responsible_role: string;
  responsible_department_id: string;
  responsible_caseworker_id: string | null;
  status: string;
  escalates_alert_id: string | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  recorded_at: Date;
}

const ALERT_FIELDS = [
  'alert_id',
  'transition',
  'code',
  'rule',
  'severity',
  'subject_kind',
  'subject_id',
  'part_id',
  'case_id',
  'person_id',
  'since',
  'due',
  'responsible_role',
  'responsible_department_id',
  'responsible_caseworker_id',
  'status',
  'escalates_alert_id',
  'acknowledged_at',
  'acknowledged_by',
  'recorded_at',
];

/** The columns of an `AlertRow`, from the table or its alias. */
export function alertColumns(alias = 'alerts'): string {
  return [`${alias}.seq::text AS seq`, ...ALERT_FIELDS.map((f) => `${alias}.${f}`)].join(', ');
}

/**
 * What systems receive (webhook body, feed item) and people list: ids, codes and the rule's
 * fixed text only. Never a CPR number, a name or anything a person typed.
 */
export interface AlertPayload {
  readonly alertId: string;
  readonly type: `alert.${AlertTransition}`;
  readonly code: string;
  readonly rule: string;
  readonly severity: string;
  readonly subject: {
    readonly kind: string;
    readonly id: string;
    readonly partId: string | null;
    readonly caseId: string | null;
    readonly personId: string | null;
  };
  readonly since: string;
  readonly due: string;
  readonly responsible: ResponsibleParty;
  readonly escalatesAlertId: string | null;
  readonly recordedAt: string;
}

export function alertPayload(row: AlertRow): AlertPayload {
  return {
    alertId: row.alert_id,
    type: `alert.${row.transition}`,
    code: row.code,
    rule: row.rule,
    severity: row.severity,
    subject: {
      kind: row.subject_kind,
      id: row.subject_id,
      partId: row.part_id,
      caseId: row.case_id,
      personId: row.person_id,
    },
    since: new Date(row.since).toISOString(),
    due: row.due,
    responsible: {
      role: row.responsible_role as ResponsibleParty['role'],
      departmentId: row.responsible_department_id,
      caseworkerId: row.responsible_caseworker_id,
    },
    escalatesAlertId: row.escalates_alert_id,
    recordedAt: new Date(row.recorded_at).toISOString(),
  };
}

export interface SubscriptionFilter {
  subscription_id: string;
  department_ids: string[] | null;
  codes: string[] | null;
  responsible_roles: string[] | null;
}

const matches = (filter: string[] | null, value: string): boolean =>
  filter === null || filter.includes(value);

/**
 * Records an alert (nothing if its id is there already) and, in the same transaction, queues
 * it for every subscription whose filter it passes. Returns whether it was new.
 */
export async function recordAlert(
  manager: EntityManager,
  alert: NewAlert,
  subscriptions: readonly SubscriptionFilter[],
  recordedAt: Date,
): Promise<boolean> {
  const inserted = await manager.query<{ alert_id: string }[]>(
    `INSERT INTO alerts (alert_id, transition, code, rule, severity, subject_kind, subject_id, part_id,
       case_id, person_id, since, due, responsible_role, responsible_department_id,
       responsible_caseworker_id, status, escalate_after, escalates_alert_id, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
     ON CONFLICT (alert_id) DO NOTHING RETURNING alert_id`,
    [
      alert.alertId,
      alert.transition,
      alert.code,
      alert.rule,
      alert.severity,
      alert.subjectKind,
      alert.subjectId,
      alert.partId,
      alert.caseId,
      alert.personId,
      alert.since,
      alert.due,
      alert.responsible.role,
      alert.responsible.departmentId,
      alert.responsible.caseworkerId,
      alert.status,
      alert.escalateAfter,
      alert.escalatesAlertId,
      recordedAt,
    ],
  );
  if (inserted.length === 0) return false;
  const to = subscriptions
    .filter(
      (s) =>
        matches(s.department_ids, alert.responsible.departmentId) &&
        matches(s.codes, alert.code) &&
        matches(s.responsible_roles, alert.responsible.role),
    )
    .map((s) => s.subscription_id);
  if (to.length > 0) {
    await manager.query(
      `INSERT INTO alert_deliveries (alert_id, subscription_id, subject_key, status, next_attempt_at, created_at)
       SELECT $1, s, $2, 'pending', clock_timestamp(), clock_timestamp() FROM unnest($3::uuid[]) AS s
       ON CONFLICT DO NOTHING`,
      [alert.alertId, `${alert.subjectKind}:${alert.subjectId}`, to],
    );
  }
  return true;
}

export async function activeSubscriptions(manager: EntityManager): Promise<SubscriptionFilter[]> {
  return manager.query<SubscriptionFilter[]>(
    `SELECT subscription_id, department_ids, codes, responsible_roles
       FROM alert_subscriptions WHERE active`,
  );
}

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

/**
 * Records alerts in one statement (those whose id is there already are skipped) and, in the same
 * transaction, queues each new one for every active subscription whose filter it passes, in
 * the order given: a subject's alerts keep their order in the outbox. Returns the new ids.
 */
export async function recordAlerts(
  manager: EntityManager,
  alerts: readonly NewAlert[],
  recordedAt: Date,
): Promise<string[]> {
  if (alerts.length === 0) return [];
  const rows = alerts.map((a, order) => ({
    order,
    alert_id: a.alertId,
    transition: a.transition,
    code: a.code,
    rule: a.rule,
    severity: a.severity,
    subject_kind: a.subjectKind,
    subject_id: a.subjectId,
    part_id: a.partId,
    case_id: a.caseId,
    person_id: a.personId,
    since: a.since.toISOString(),
    due: a.due,
    responsible_role: a.responsible.role,
    responsible_department_id: a.responsible.departmentId,
    responsible_caseworker_id: a.responsible.caseworkerId,
    status: a.status,
    escalate_after: a.escalateAfter?.toISOString() ?? null,
    escalates_alert_id: a.escalatesAlertId,
  }));
  const inserted = await manager.query<{ alert_id: string }[]>(
    `WITH inserted AS (
       INSERT INTO alerts (alert_id, transition, code, rule, severity, subject_kind, subject_id,
         part_id, case_id, person_id, since, due, responsible_role, responsible_department_id,
         responsible_caseworker_id, status, escalate_after, escalates_alert_id, recorded_at)
       SELECT alert_id, transition, code, rule, severity, subject_kind, subject_id, part_id, case_id,
              person_id, since, due, responsible_role, responsible_department_id,
              responsible_caseworker_id, status, escalate_after, escalates_alert_id, $2
         FROM jsonb_to_recordset($1::jsonb) AS r("order" int, alert_id uuid, transition text,
           code text, rule text, severity text, subject_kind text, subject_id uuid, part_id text,
           case_id uuid, person_id uuid, since timestamptz, due text, responsible_role text,
           responsible_department_id text, responsible_caseworker_id uuid, status text,
           escalate_after timestamptz, escalates_alert_id uuid)
        ORDER BY "order"
       ON CONFLICT (alert_id) DO NOTHING RETURNING alert_id
     ) SELECT alert_id FROM inserted`,
    [JSON.stringify(rows), recordedAt],
  );
  const ids = inserted.map((row) => row.alert_id);
  if (ids.length > 0) {
    await manager.query(
      `INSERT INTO alert_deliveries (alert_id, subscription_id, subject_key, status, next_attempt_at, created_at)
       SELECT a.alert_id, s.subscription_id, a.subject_kind || ':' || a.subject_id, 'pending',
              clock_timestamp(), clock_timestamp()
         FROM alerts a JOIN alert_subscriptions s ON s.active
          AND (s.department_ids IS NULL OR a.responsible_department_id = ANY (s.department_ids))
          AND (s.codes IS NULL OR a.code = ANY (s.codes))
          AND (s.responsible_roles IS NULL OR a.responsible_role = ANY (s.responsible_roles))
        WHERE a.alert_id = ANY ($1::uuid[])
        ORDER BY a.seq, s.subscription_id
       ON CONFLICT DO NOTHING`,
      [ids],
    );
  }
  return ids;
}

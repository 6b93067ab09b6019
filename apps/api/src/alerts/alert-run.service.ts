import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  alertKey,
  escalationDeadline,
  flagChanges,
  nextChangeMoment,
  responsibleFor,
  teamLeaderOf,
  type HeldFlag,
} from '@tovholder/domain';
import { addCalendarDays } from '@tovholder/domain/shared/calendar-dates';
import { startOfCopenhagenDay } from '@tovholder/domain/shared/copenhagen-time';
import { DataSource, type EntityManager } from 'typeorm';
import { whileHoldingAdvisoryLock } from '../shared/advisory-lock';
import { CASEWORK_POLICY, type CaseworkPolicy } from '../casework/casework.policy';
import { DUTIES, type DutyFlag, type DutyKindName, type RecordEvent } from '../casework/duty-kinds';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../shared/clock';
import {
  alertColumns,
  alertIdOf,
  recordAlerts,
  type AlertRow,
  type NewAlert,
} from './alert-records';

const LOCK = [7346, 15] as const; // advisory lock: one instance runs the alert run at a time
const BATCH = 500;

export interface AlertRunResult {
  /** Records judged (changed by an event, or due). */
  readonly judged: number;
  readonly raised: number;
  readonly stopped: number;
  readonly escalated: number;
}

interface ScheduleRow {
  kind: DutyKindName;
  record_id: string;
  events: RecordEvent[];
  version: number;
  changed: boolean;
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

/** When a flag found holding at `now` started to: its due moment passed, else now. */
function startedAt(flag: HeldFlag, now: Date): Date {
  if (flag.severity !== 'overdue') return now;
  const passed = flag.due.includes('T')
    ? new Date(new Date(flag.due).getTime() + 1)
    : startOfCopenhagenDay(addCalendarDays(flag.due, 1));
  return passed.getTime() < now.getTime() ? passed : now;
}

/**
 * The alert run: judges the duty records an event changed or whose next due moment has passed
 * (both indexed in `alert_schedule`), records an alert for every flag that started or stopped
 * holding, and escalates open alerts past their working-day limit. It never scans every
 * record, and a run after downtime catches up by itself: every moment that passed meanwhile is
 * at or before now. One instance runs it at a time (an advisory lock); alert ids are derived
 * from the change, so even two runs could not record one twice.
 */
@Injectable()
export class AlertRun implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertRun');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AlertRunResult | null> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CASEWORK_POLICY) private readonly policy: CaseworkPolicy,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.projections.enabled) return;
    this.timer = setInterval(
      () => void this.runInBackground(),
      this.config.alerts.schedulerCheckMs,
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async runInBackground(): Promise<void> {
    if (this.running) return;
    try {
      const result = await this.run();
      if (result && result.raised + result.stopped + result.escalated > 0) {
        this.logger.log(
          `judged ${result.judged}: raised ${result.raised}, stopped ${result.stopped}, escalated ${result.escalated}`,
        );
      }
    } catch (error) {
      this.logger.error(
        `run failed: ${error instanceof Error ? error.name : 'unknown error'}; retrying at the next check`,
      );
    }
  }

  /** One run now (after any run in progress here); null when another instance kept it busy. */
  async run(): Promise<AlertRunResult | null> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.runLocked();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async runLocked(): Promise<AlertRunResult | null> {
    return whileHoldingAdvisoryLock(this.dataSource, LOCK, () => this.judgeAll());
  }

  private async judgeAll(): Promise<AlertRunResult> {
    const now = this.clock.now();
    const totals = { judged: 0, raised: 0, stopped: 0, escalated: 0 };
    let after: [string, string] = ['', '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const rows = await this.dataSource.query<ScheduleRow[]>(
        `SELECT kind, record_id, events, version, changed FROM alert_schedule
          WHERE (changed OR next_due_at <= $1) AND (kind, record_id) > ($2, $3::uuid)
          ORDER BY kind, record_id LIMIT $4`,
        [now, after[0], after[1], BATCH],
      );
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = [last.kind, last.record_id];
      await this.dataSource.transaction(async (manager) => {
        const counts = await this.judgeBatch(manager, rows, now);
        totals.raised += counts.raised;
        totals.stopped += counts.stopped;
      });
      totals.judged += rows.length;
    }
    totals.escalated = await this.escalate(now);
    return totals;
  }

  private async judgeBatch(
    manager: EntityManager,
    rows: readonly ScheduleRow[],
    now: Date,
  ): Promise<{ raised: number; stopped: number }> {
    const previous = new Map(
      (
        await manager.query<{ kind: string; record_id: string; flags: HeldFlag[] }[]>(
          `SELECT kind, record_id, flags FROM alert_subject_flags
            WHERE (kind, record_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
          [rows.map((r) => r.kind), rows.map((r) => r.record_id)],
        )
      ).map((row) => [`${row.kind}:${row.record_id}`, row.flags]),
    );
    const judged = rows.map((row) => this.judge(row, now));
    const caseIds = [...new Set(judged.map((j) => j.caseId).filter((id) => id !== null))];
    const holders = new Map(
      (
        await manager.query<
          { case_id: string; caseworker_id: string | null; department_id: string }[]
        >(
          `SELECT case_id, caseworker_id, department_id FROM coordination_cases
            WHERE case_id = ANY($1::uuid[])`,
          [caseIds],
        )
      ).map((row) => [row.case_id, row]),
    );
    const alerts: NewAlert[] = [];
    const closing: string[] = [];
    let raised = 0;
    let stopped = 0;
    for (const [index, row] of rows.entries()) {
      const j = judged[index]!;
      const changes = flagChanges(previous.get(`${row.kind}:${row.record_id}`) ?? [], j.flags);
      const holder = j.caseId === null ? undefined : holders.get(j.caseId);
      const departmentId = j.departmentId ?? holder?.department_id ?? null;
      if (departmentId === null) continue; // no opening event yet: nothing holds
      const responsible = responsibleFor({
        caseworkerId: holder?.caseworker_id ?? null,
        departmentId,
      });
      const idOf = (flag: HeldFlag, transition: 'raised' | 'stopped') =>
        alertIdOf(alertKey({ transition, subjectKind: row.kind, subjectId: row.record_id, flag }));
      const alert = (flag: HeldFlag, transition: 'raised' | 'stopped'): NewAlert => {
        const since = transition === 'raised' ? startedAt(flag, now) : now;
        return {
          alertId: idOf(flag, transition),
          transition,
          code: flag.code,
          rule: flag.rule,
          severity: flag.severity,
          subjectKind: row.kind,
          subjectId: row.record_id,
          partId: flag.partId,
          caseId: j.caseId,
          personId: j.personId,
          since,
          due: flag.due,
          responsible,
          status: transition === 'raised' ? 'open' : 'closed',
          escalateAfter:
            transition === 'raised'
              ? escalationDeadline(since, this.config.alerts.escalationWorkingDays)
              : null,
          escalatesAlertId: null,
        };
      };
      // Stopped first: a flag that moved to a new due moment stops, then starts again.
      for (const flag of changes.stopped) {
        closing.push(idOf(flag, 'raised'));
        alerts.push(alert(flag, 'stopped'));
      }
      for (const flag of changes.started) alerts.push(alert(flag, 'raised'));
    }
    // What said a flag holds, and its escalation, are no longer anyone's to do.
    if (closing.length > 0) {
      await manager.query(
        `UPDATE alerts SET status = 'closed', escalate_after = NULL
          WHERE (alert_id = ANY($1::uuid[]) OR escalates_alert_id = ANY($1::uuid[]))
            AND status <> 'closed'`,
        [closing],
      );
    }
    const recorded = new Set(await recordAlerts(manager, alerts, now));
    for (const alert of alerts) {
      if (!recorded.has(alert.alertId)) continue;
      if (alert.transition === 'raised') raised++;
      else stopped++;
    }
    await manager.query(
      `INSERT INTO alert_subject_flags (kind, record_id, flags)
       SELECT kind, record_id, flags FROM jsonb_to_recordset($1::jsonb)
           AS r(kind text, record_id uuid, flags jsonb)
       ON CONFLICT (kind, record_id) DO UPDATE SET flags = EXCLUDED.flags`,
      [
        JSON.stringify(
          rows.map((row, i) => ({
            kind: row.kind,
            record_id: row.record_id,
            flags: judged[i]!.flags,
          })),
        ),
      ],
    );
    // An event that arrived meanwhile (a newer version) leaves the row marked changed.
    await manager.query(
      `UPDATE alert_schedule s SET changed = (s.version <> r.version), next_due_at = r.next_due_at
         FROM jsonb_to_recordset($1::jsonb) AS r(kind text, record_id uuid, version int, next_due_at timestamptz)
        WHERE s.kind = r.kind AND s.record_id = r.record_id`,
      [
        JSON.stringify(
          rows.map((row, i) => ({
            kind: row.kind,
            record_id: row.record_id,
            version: row.version,
            next_due_at: judged[i]!.nextDueAt?.toISOString() ?? null,
          })),
        ),
      ],
    );
    return { raised, stopped };
  }

  private judge(row: ScheduleRow, now: Date) {
    const duty = DUTIES[row.kind];
    const facts = duty.fold(row.record_id, row.events);
    if (facts === null) {
      return { flags: [], nextDueAt: null, departmentId: null, caseId: null, personId: null };
    }
    const flagsAt = (moment: Date) => duty.flags(facts, moment, this.policy).map(heldFlag);
    const columns = duty.columns(facts, this.policy);
    return {
      flags: flagsAt(now),
      nextDueAt: nextChangeMoment(flagsAt, now),
      departmentId: columns.departmentId,
      caseId: columns.caseId,
      personId: columns.personId,
    };
  }

  /** Open alerts past their limit get a new alert to the department's team leader. */
  private async escalate(now: Date): Promise<number> {
    let escalated = 0;
    for (;;) {
      const count = await this.dataSource.transaction(async (manager) => {
        const due = await manager.query<(AlertRow & { escalate_after: Date })[]>(
          `SELECT ${alertColumns()}, escalate_after
             FROM alerts WHERE status = 'open' AND escalate_after < $1
            ORDER BY escalate_after LIMIT $2 FOR UPDATE`,
          [now, BATCH],
        );
        await recordAlerts(
          manager,
          due.map((alert) => ({
            alertId: alertIdOf(
              alertKey({
                transition: 'escalated',
                subjectKind: alert.subject_kind,
                subjectId: alert.subject_id,
                flag: { code: alert.code, partId: alert.part_id, due: alert.due },
              }),
            ),
            transition: 'escalated',
            code: alert.code,
            rule: alert.rule,
            severity: alert.severity,
            subjectKind: alert.subject_kind,
            subjectId: alert.subject_id,
            partId: alert.part_id,
            caseId: alert.case_id,
            personId: alert.person_id,
            since: new Date(new Date(alert.escalate_after).getTime() + 1),
            due: alert.due,
            responsible: teamLeaderOf(alert.responsible_department_id),
            status: 'open',
            escalateAfter: null,
            escalatesAlertId: alert.alert_id,
          })),
          now,
        );
        await manager.query(
          'UPDATE alerts SET escalate_after = NULL WHERE alert_id = ANY($1::uuid[])',
          [due.map((alert) => alert.alert_id)],
        );
        return due.length;
      });
      escalated += count;
      if (count < BATCH) return escalated;
    }
  }
}

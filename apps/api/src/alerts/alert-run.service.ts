import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  alertKey,
  escalationDeadline,
  flagChanges,
  teamLeaderOf,
  type AlertFlag,
  type HeldFlag,
  type SubjectJudgement,
} from '@tovholder/domain';
import { readCheckpoint } from '@tovholder/read-models';
import { Counter } from 'prom-client';
import { DataSource, type EntityManager } from 'typeorm';
import { whileHoldingAdvisoryLock } from '../shared/advisory-lock';
import { CASEWORK_POLICY, type CaseworkPolicy } from '../casework/casework.policy';
import { CASEWORK_PROJECTOR } from '../casework/casework.projector';
import { DUTY_KINDS } from '../casework/duty-kinds';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { FAMILY_COORDINATION_PROJECTOR } from '../coordination/family-coordination.projector';
import { Metrics } from '../observability/metrics';
import { CLOCK, type Clock } from '../shared/clock';
import { transitionPolicyFrom } from '../transitions/transition.rules';
import {
  alertColumns,
  alertIdOf,
  recordAlerts,
  type AlertRow,
  type NewAlert,
} from './alert-records';
import {
  CASE_MARK,
  CASEWORKER_MARK,
  FAMILY_SUBJECT,
  TRANSITION_SUBJECT,
} from './alert-schedule.projector';
import { subjectKinds, type AlertSubjectKind, type ScheduleRow } from './alert-subjects';

const LOCK = [7346, 15] as const; // advisory lock: one instance runs the alert run at a time
const BATCH = 500;

/** How far the projections a mark waits for have come (commit positions; -1: not started). */
interface ProjectedUpTo {
  readonly coordination: bigint;
  readonly casework: bigint;
}

/**
 * SQL: the commit a row's mark waits for, given the parameters holding the duty kinds and the
 * casework and coordination commits: a duty record's events are the casework projection's.
 */
function markReachedAt(
  kind: string,
  dutyKinds: string,
  casework: string,
  coordination: string,
): string {
  return `CASE WHEN ${kind} = ANY(${dutyKinds}::text[]) THEN ${casework}::bigint ELSE ${coordination}::bigint END`;
}

export interface AlertRunResult {
  /** Subjects judged (changed by an event, or due). */
  readonly judged: number;
  readonly raised: number;
  readonly stopped: number;
  readonly escalated: number;
  /** Subjects that could not be judged: logged by id, kept marked, tried again next run. */
  readonly failed: number;
}

/** A flag as the run last saw it; older rows hold a duty's flag without its subject. */
type StoredFlag = HeldFlag & Partial<AlertFlag>;

/**
 * The alert run: judges the subjects an event changed or whose next due moment has passed
 * (both indexed in `alert_schedule`): duty records, transitions and families. It records an
 * alert for every flag that started or stopped holding, and escalates open alerts past their
 * working-day limit. It never scans every subject, and a run after downtime catches up by
 * itself: every moment that passed meanwhile is at or before now. One instance runs it at a
 * time (an advisory lock); alert ids are derived from the change, so even two runs could not
 * record one twice. A subject that cannot be judged is recorded on its row and skipped: the
 * others are judged all the same.
 */
@Injectable()
export class AlertRun implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertRun');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<AlertRunResult | null> | null = null;
  private readonly kinds: ReadonlyMap<string, AlertSubjectKind>;
  private failures: Counter | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CASEWORK_POLICY) policy: CaseworkPolicy,
    private readonly moduleRef: ModuleRef,
  ) {
    this.kinds = subjectKinds(policy, transitionPolicyFrom(config), {
      role: 'youth-unit',
      departmentId: config.alerts.youthUnitDepartmentId,
      caseworkerId: null,
    });
  }

  onModuleInit(): void {
    let metrics: Metrics;
    try {
      metrics = this.moduleRef.get(Metrics, { strict: false });
    } catch {
      return; // an app without metrics
    }
    this.failures = new Counter({
      name: 'tovholder_alert_subjects_failed_total',
      help: 'Subjects the alert run could not judge (logged by kind and id), by kind',
      labelNames: ['kind'] as const,
      registers: [metrics.registry],
    });
  }

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
      if (result && result.raised + result.stopped + result.escalated + result.failed > 0) {
        this.logger.log(
          `judged ${result.judged}: raised ${result.raised}, stopped ${result.stopped}, escalated ${result.escalated}, failed ${result.failed}`,
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
    const totals = { judged: 0, raised: 0, stopped: 0, escalated: 0, failed: 0 };
    // Marks made by events a projection has not yet applied wait for it: its tables must show
    // the event before the subject is judged.
    const projected = await this.projectedUpTo();
    await this.resolveMarks(projected.coordination);
    let after: [string, string] = ['', '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const rows = await this.dataSource.query<ScheduleRow[]>(
        `SELECT kind, record_id, events, version, changed, mark_commit::text AS mark_commit
           FROM alert_schedule
          WHERE ((changed AND (mark_commit IS NULL OR mark_commit <= ${markReachedAt('kind', '$7', '$8', '$2')}))
                 OR next_due_at <= $1)
            AND kind = ANY($3::text[]) AND (kind, record_id) > ($4, $5::uuid)
          ORDER BY kind, record_id LIMIT $6`,
        [
          now,
          projected.coordination.toString(),
          [...this.kinds.keys()],
          after[0],
          after[1],
          BATCH,
          DUTY_KINDS,
          projected.casework.toString(),
        ],
      );
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = [last.kind, last.record_id];
      const counts = await this.judgeIsolated(rows, now, projected);
      totals.raised += counts.raised;
      totals.stopped += counts.stopped;
      totals.failed += counts.failed;
      totals.judged += rows.length;
    }
    totals.escalated = await this.escalate(now);
    return totals;
  }

  private async projectedUpTo(): Promise<ProjectedUpTo> {
    const commitOf = async (projector: string) =>
      (await readCheckpoint(this.dataSource.manager, projector))?.commit ?? -1n;
    return {
      coordination: await commitOf(FAMILY_COORDINATION_PROJECTOR),
      casework: await commitOf(CASEWORK_PROJECTOR),
    };
  }

  /**
   * A batch in one transaction; should that fail (a subject whose alerts cannot be written), each
   * subject in a transaction of its own, so one bad subject holds back no other.
   */
  private async judgeIsolated(
    rows: readonly ScheduleRow[],
    now: Date,
    projected: ProjectedUpTo,
  ): Promise<{ raised: number; stopped: number; failed: number }> {
    try {
      return await this.dataSource.transaction((manager) =>
        this.judgeBatch(manager, rows, now, projected),
      );
    } catch (error) {
      if (rows.length === 1) {
        await this.recordFailure(rows[0]!, error);
        return { raised: 0, stopped: 0, failed: 1 };
      }
    }
    const totals = { raised: 0, stopped: 0, failed: 0 };
    for (const row of rows) {
      const counts = await this.judgeIsolated([row], now, projected);
      totals.raised += counts.raised;
      totals.stopped += counts.stopped;
      totals.failed += counts.failed;
    }
    return totals;
  }

  /** Logs the subject by kind and id (never the error's message: it may quote data) and counts it. */
  private async recordFailure(row: ScheduleRow, error: unknown): Promise<void> {
    // A subclass that keeps the name 'Error' is told by its class.
    const name =
      error instanceof Error
        ? error.name === 'Error'
          ? error.constructor.name
          : error.name
        : 'unknown error';
    this.logger.error(
      `could not judge ${row.kind} ${row.record_id}: ${name}; tried again next run`,
    );
    this.failures?.inc({ kind: row.kind });
    await this.dataSource.query(
      `UPDATE alert_schedule SET failed_at = $3, last_error = $4
        WHERE kind = $1 AND record_id = $2`,
      [row.kind, row.record_id, this.clock.now(), name],
    );
  }

  /**
   * Turns the marks of case and caseworker events into marks of the families (and transitions)
   * they touch, once the coordination projection has applied them: it knows whose the case is
   * and whom a caseworker is primary contact for. A mark moved by a newer event stays.
   */
  private async resolveMarks(coordinationAt: bigint): Promise<void> {
    await this.dataSource.query(
      `WITH marks AS (
         DELETE FROM alert_schedule
          WHERE kind IN ($1, $2) AND mark_commit <= $3
          RETURNING kind, record_id, mark_commit
       ), touched AS (
         SELECT $4 AS kind, m.family_id AS record_id, marks.mark_commit
           FROM marks JOIN coordination_cases c ON marks.kind = $1 AND c.case_id = marks.record_id
           JOIN coordination_members m ON m.person_id = c.person_id
         UNION ALL
         SELECT $4, f.family_id, marks.mark_commit
           FROM marks JOIN coordination_families f
             ON marks.kind = $2 AND f.primary_contact_id = marks.record_id
         UNION ALL
         -- A placement case opening or closing changes a transition's flags.
         SELECT $5, c.person_id, NULL
           FROM marks JOIN coordination_cases c ON marks.kind = $1 AND c.case_id = marks.record_id
           JOIN alert_schedule t ON t.kind = $5 AND t.record_id = c.person_id
       )
       INSERT INTO alert_schedule AS s (kind, record_id, events, version, changed, mark_commit)
       SELECT kind, record_id, '[]'::json, 1, true, max(mark_commit)
         FROM touched GROUP BY kind, record_id
       ON CONFLICT (kind, record_id) DO UPDATE
         SET version = s.version + 1, changed = true,
             mark_commit = greatest(s.mark_commit, EXCLUDED.mark_commit)`,
      [CASE_MARK, CASEWORKER_MARK, coordinationAt.toString(), FAMILY_SUBJECT, TRANSITION_SUBJECT],
    );
  }

  private async judgeBatch(
    manager: EntityManager,
    rows: readonly ScheduleRow[],
    now: Date,
    projected: ProjectedUpTo,
  ): Promise<{ raised: number; stopped: number; failed: number }> {
    const previous = new Map(
      (
        await manager.query<{ kind: string; record_id: string; flags: StoredFlag[] }[]>(
          `SELECT kind, record_id, flags FROM alert_subject_flags
            WHERE (kind, record_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[]))`,
          [rows.map((r) => r.kind), rows.map((r) => r.record_id)],
        )
      ).map((row) => [`${row.kind}:${row.record_id}`, row.flags]),
    );
    const judged = new Map<ScheduleRow, SubjectJudgement | Error>();
    for (const [kindName, kind] of this.kinds) {
      const ofKind = rows.filter((row) => row.kind === kindName);
      if (ofKind.length === 0) continue;
      const results = await kind.judgeAll(manager, ofKind, now);
      ofKind.forEach((row, i) => judged.set(row, results[i]!));
    }
    const alerts: NewAlert[] = [];
    const closing: string[] = [];
    const done: { row: ScheduleRow; judgement: SubjectJudgement }[] = [];
    let failed = 0;
    for (const row of rows) {
      const judgement = judged.get(row);
      if (judgement === undefined || judgement instanceof Error) {
        await this.recordFailure(row, judgement);
        failed++;
        continue;
      }
      done.push({ row, judgement });
      const before = previous.get(`${row.kind}:${row.record_id}`) ?? [];
      const changes = flagChanges(before, judgement.flags);
      // Stopped first: a flag that moved to a new due moment stops, then starts again.
      for (const stored of changes.stopped) {
        const flag = storedAsAlertFlag(stored, row, judgement);
        if (flag === null) continue;
        closing.push(idOf(flag, 'raised'));
        alerts.push(this.alertOf(flag, 'stopped', now));
      }
      for (const flag of changes.started) {
        alerts.push(this.alertOf(flag, 'raised', now));
      }
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
    let raised = 0;
    let stopped = 0;
    const recorded = new Set(await recordAlerts(manager, alerts, now));
    for (const alert of alerts) {
      if (!recorded.has(alert.alertId)) continue;
      if (alert.transition === 'raised') raised++;
      else stopped++;
    }
    if (done.length > 0) {
      await manager.query(
        `INSERT INTO alert_subject_flags (kind, record_id, flags)
         SELECT kind, record_id, flags FROM jsonb_to_recordset($1::jsonb)
             AS r(kind text, record_id uuid, flags jsonb)
         ON CONFLICT (kind, record_id) DO UPDATE SET flags = EXCLUDED.flags`,
        [
          JSON.stringify(
            done.map(({ row, judgement }) => ({
              kind: row.kind,
              record_id: row.record_id,
              flags: judgement.flags,
            })),
          ),
        ],
      );
      // An event that arrived meanwhile (a newer version), or a mark its projection has not
      // reached, leaves the row marked changed.
      await manager.query(
        `UPDATE alert_schedule s
            SET changed = (s.version <> r.version
                           OR coalesce(s.mark_commit > ${markReachedAt('s.kind', '$3', '$4', '$2')}, false)),
                next_due_at = r.next_due_at, failed_at = NULL, last_error = NULL
           FROM jsonb_to_recordset($1::jsonb) AS r(kind text, record_id uuid, version int, next_due_at timestamptz)
          WHERE s.kind = r.kind AND s.record_id = r.record_id`,
        [
          JSON.stringify(
            done.map(({ row, judgement }) => ({
              kind: row.kind,
              record_id: row.record_id,
              version: row.version,
              next_due_at: judgement.nextDueAt?.toISOString() ?? null,
            })),
          ),
          projected.coordination.toString(),
          DUTY_KINDS,
          projected.casework.toString(),
        ],
      );
    }
    return { raised, stopped, failed };
  }

  private alertOf(flag: AlertFlag, transition: 'raised' | 'stopped', now: Date): NewAlert {
    const since = transition === 'raised' ? new Date(flag.since) : now;
    return {
      alertId: idOf(flag, transition),
      transition,
      code: flag.code,
      rule: flag.rule,
      severity: flag.severity,
      subjectKind: flag.subject.kind,
      subjectId: flag.subject.id,
      partId: flag.partId,
      caseId: flag.caseId,
      personId: flag.personId,
      since,
      due: flag.due,
      responsible: flag.responsible,
      status: transition === 'raised' ? 'open' : 'closed',
      escalateAfter:
        transition === 'raised'
          ? escalationDeadline(since, this.config.alerts.escalationWorkingDays)
          : null,
      escalatesAlertId: null,
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

function idOf(flag: AlertFlag, transition: 'raised' | 'stopped'): string {
  return alertIdOf(
    alertKey({ transition, subjectKind: flag.subject.kind, subjectId: flag.subject.id, flag }),
  );
}

/**
 * A flag that stopped holding, with the subject and responsible party of the alert that said it
 * held. A duty's flag stored before flags kept them is the row's own, to whoever holds the
 * subject now (null when no one does: it raised nothing either).
 */
function storedAsAlertFlag(stored: StoredFlag, row: ScheduleRow, now: SubjectJudgement) {
  if (stored.subject && stored.responsible && stored.since) return stored as AlertFlag;
  if (!now.holder) return null;
  return {
    ...stored,
    ...now.holder,
    subject: { kind: row.kind, id: row.record_id },
    since: stored.since ?? new Date(0).toISOString(),
  };
}

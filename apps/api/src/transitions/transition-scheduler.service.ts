import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { dueSixteenthBirthdays, preparationDueEventId } from '@tovholder/domain';
import {
  addCalendarDays,
  addCalendarMonths,
  type IsoDate,
} from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { whileHoldingAdvisoryLock } from '../shared/advisory-lock';
import { FAMILY_COORDINATION_PROJECTOR } from '../coordination/family-coordination.projector';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../shared/clock';
import { CommandRunner } from '../shared/command-runner';
import { TRANSITIONS } from './transition.commands';
import { TRANSITION_POLICY, type TransitionPolicy } from './transition.rules';
import { TRANSITIONS_PROJECTOR } from './transition-streams.projector';

const RUN_NAME = 'transition-sixteenth-birthdays';
const LOCK = [7346, 16] as const; // advisory lock: one instance runs the scheduler at a time

export interface SchedulerRun {
  readonly ranFor: IsoDate;
  /** Young people whose preparation was recorded as due in this run. */
  readonly recorded: number;
}

interface Candidate {
  person_id: string;
  birth_date: string;
  case_ids: string[];
}

/**
 * The daily process that records "turned 16: preparation is due" for young people in scope.
 * Each run looks at everyone in scope aged 16 or 17 without a recorded due event, so a run after
 * missed days catches up by itself; the decider records nothing for a stream that has its due
 * event, and the event id is derived from the person, so a repeated or concurrent run is stored
 * once.
 */
@Injectable()
export class TransitionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TransitionScheduler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TRANSITION_POLICY) private readonly policy: TransitionPolicy,
    private readonly watcher: CheckpointWatcher,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.projections.enabled) return;
    this.timer = setInterval(() => void this.runIfDue(), this.config.transitions.schedulerCheckMs);
    this.timer.unref();
    void this.runIfDue();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs for today unless today's run is done; failures are logged and retried at the next check. */
  private async runIfDue(): Promise<void> {
    if (this.running) return;
    const today = copenhagenDateOf(this.clock.now());
    try {
      const rows = await this.dataSource.query<{ last: string }[]>(
        'SELECT last_completed_date::text AS last FROM scheduled_runs WHERE name = $1',
        [RUN_NAME],
      );
      if (rows[0] && rows[0].last >= today) return;
      this.running = this.run();
      const result = (await this.running) as SchedulerRun | null;
      if (result)
        this.logger.log(`recorded ${result.recorded} due transition(s) for ${result.ranFor}`);
    } catch (error) {
      this.logger.error(
        `run failed: ${error instanceof Error ? error.name : 'unknown error'}; retrying at the next check`,
      );
    } finally {
      this.running = null;
    }
  }

  /** One run for the clock's date; null when another instance kept it busy for 10 s. */
  async run(): Promise<SchedulerRun | null> {
    return whileHoldingAdvisoryLock(this.dataSource, LOCK, () => this.recordDueBirthdays());
  }

  private async recordDueBirthdays(): Promise<SchedulerRun> {
    // Only on read models that have caught up with the log: never on one a rebuild in place has
    // emptied or a runner restarting after a blue/green switch has not yet brought up to date
    // (a run that cannot wait fails and is retried at the next check).
    const head = await this.store.headPosition();
    if (head) {
      for (const projector of [FAMILY_COORDINATION_PROJECTOR, TRANSITIONS_PROJECTOR]) {
        await this.watcher.waitFor(projector, head, this.config.readWaitMaxMs);
      }
    }
    const now = this.clock.now();
    const today = copenhagenDateOf(now);
    // Everyone who may be 16 or 17 today (a day's margin for 29 February), in scope, not yet due.
    const bornAfter = addCalendarDays(addCalendarMonths(today, -18 * 12), -1);
    const bornBy = addCalendarDays(addCalendarMonths(today, -16 * 12), 1);
    const candidates = await this.dataSource.query<Candidate[]>(
      `SELECT p.person_id, p.birth_date::text AS birth_date, array_agg(c.case_id::text ORDER BY c.case_id) AS case_ids
         FROM coordination_cases c
         JOIN persons p ON p.person_id = c.person_id
         LEFT JOIN transition_streams t ON t.person_id = p.person_id
        WHERE c.status = 'open' AND c.case_type = ANY($3) AND c.birth_date > $1 AND c.birth_date <= $2
          AND NOT coalesce(t.events @> '[{"type": "TransitionPreparationDue"}]', false)
          AND NOT coalesce(t.closed, false)
        GROUP BY p.person_id, p.birth_date`,
      [bornAfter, bornBy, this.policy.relevantCaseTypes],
    );
    const due = dueSixteenthBirthdays(
      candidates.map((c) => ({
        personId: c.person_id,
        birthDate: c.birth_date,
        inScope: true,
        caseIds: c.case_ids,
      })),
      addCalendarMonths(today, -24),
      today,
      { leapDayBirthday: this.policy.rules.leapDayBirthday ?? 'march-1' },
    );
    let recorded = 0;
    for (const person of due) {
      const outcome = await this.commands.run(
        {
          ...TRANSITIONS.on(person.personId, () => ({
            type: 'RecordPreparationDue',
            personId: person.personId,
            birthDate: person.birthDate,
            triggerCaseIds: person.caseIds,
            now,
          })),
          eventId: () => preparationDueEventId(person.personId),
        },
        { actor: 'system', actorRoles: ['system'], process: 'transition-scheduler' },
      );
      recorded += outcome.written > 0 ? 1 : 0;
    }
    await this.dataSource.query(
      `INSERT INTO scheduled_runs (name, last_completed_date, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET last_completed_date = EXCLUDED.last_completed_date, updated_at = EXCLUDED.updated_at`,
      [RUN_NAME, today, now],
    );
    return { ranFor: today, recorded };
  }
}

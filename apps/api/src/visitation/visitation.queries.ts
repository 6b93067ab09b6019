import { Inject, Injectable } from '@nestjs/common';
import { visitationDueDate, type ReferralFacts } from '@tovholder/domain';
import { calendarDaysBetween, type IsoDate } from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { EVENT_STORE, formatPosition, type EventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { CASEWORK_POLICY, type CaseworkPolicy } from '../casework/casework.policy';
import { CaseworkQueries } from '../casework/casework.queries';
import { visitationDuty, type DutyFlag } from '../casework/duty-kinds';
import type { Page } from '../http/page';
import { CLOCK, type Clock } from '../shared/clock';

/** A referral waiting for the visitation meeting, as the meeting's queue shows it. */
export interface QueuedReferral {
  readonly referralId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly referredAt: string;
  /** Calendar days since the referral's Danish date (0 on the day itself). */
  readonly waitingDays: number;
  /** The last day on time under the configured waiting days. */
  readonly dueDate: IsoDate;
  /** Today's flags: VISITATION_WAITING once the due date has passed. */
  readonly flags: DutyFlag[];
}

interface QueueRow {
  record_id: string;
  /** As the casework projection folded them (null: no referral yet). */
  facts: ReferralFacts | null;
  total: string;
}

/** Reads of the visitation referrals, from the casework read model (kind 'visitation'). */
@Injectable()
export class VisitationQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly casework: CaseworkQueries,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CASEWORK_POLICY) private readonly policy: CaseworkPolicy,
  ) {}

  /**
   * The case's referral still waiting (neither routed nor withdrawn), if any. The read model is
   * first brought up to everything stored, so a referral made just before is seen; two requests
   * at the very same moment can still both pass (the read model is no lock).
   */
  async waitingReferralOf(caseId: string): Promise<string | null> {
    const head = await this.store.headPosition();
    await this.casework.catchUp(head ? formatPosition(head) : undefined);
    const [row] = await this.dataSource.query<{ record_id: string }[]>(
      `SELECT record_id FROM casework_records
        WHERE kind = 'visitation' AND case_id = $1 AND done_at IS NULL
        LIMIT 1`,
      [caseId],
    );
    return row?.record_id ?? null;
  }

  /** Waiting referrals, oldest first, with how long each has waited and today's flags. */
  async queue(
    departmentId: string | undefined,
    limit: number,
    offset: number,
  ): Promise<Page<QueuedReferral>> {
    const rows = await this.dataSource.query<QueueRow[]>(
      `SELECT record_id, facts, count(*) OVER () AS total
         FROM casework_records
        WHERE kind = 'visitation' AND done_at IS NULL
          AND ($1::text IS NULL OR department_id = $1)
        ORDER BY received_at, record_id
        LIMIT $2 OFFSET $3`,
      [departmentId ?? null, limit, offset],
    );
    const now = this.clock.now();
    const today = copenhagenDateOf(now);
    const items = rows.flatMap((row): QueuedReferral[] => {
      const { facts } = row;
      const referred = facts?.referred;
      if (!facts || !referred) return [];
      return [
        {
          referralId: row.record_id,
          caseId: referred.caseId,
          personId: referred.personId,
          departmentId: referred.departmentId,
          referredAt: referred.referredAt,
          waitingDays: calendarDaysBetween(copenhagenDateOf(new Date(referred.referredAt)), today),
          dueDate: visitationDueDate(referred.referredAt, this.policy.visitation),
          flags: visitationDuty.flags(facts, now, this.policy),
        },
      ];
    });
    // An offset past the end returns no rows, and so no total: count again in that case only.
    const total = rows[0] ? Number(rows[0].total) : offset > 0 ? await this.count(departmentId) : 0;
    return { items, total, limit, offset };
  }

  private async count(departmentId: string | undefined): Promise<number> {
    const [row] = await this.dataSource.query<{ total: string }[]>(
      `SELECT count(*) AS total FROM casework_records
        WHERE kind = 'visitation' AND done_at IS NULL
          AND ($1::text IS NULL OR department_id = $1)`,
      [departmentId ?? null],
    );
    return Number(row?.total ?? 0);
  }
}

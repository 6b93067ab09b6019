import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { Page } from '../http/page';
import { waitForPosition } from '../projections/read-after-write';
import { CLOCK, type Clock } from '../shared/clock';
import { occurredAt } from '../shared/occurred-at';
import { CASEWORK_PROJECTOR } from './casework.projector';
import { CASEWORK_POLICY, type CaseworkPolicy } from './casework.policy';
import { DUTIES, type DutyFlag, type DutyKindName, type RecordEvent } from './duty-kinds';

export interface DutyRecordView {
  readonly kind: DutyKindName;
  readonly recordId: string;
  readonly departmentId: string | null;
  readonly caseId: string | null;
  readonly personId: string | null;
  /** Today's flags, most urgent first. */
  readonly flags: DutyFlag[];
  readonly facts: unknown;
  readonly timeline: { eventId: string; type: string }[];
}

export interface FlagFilter {
  readonly kind?: DutyKindName;
  readonly code?: string;
  readonly severity?: 'warning' | 'overdue';
  readonly departmentId?: string;
  readonly caseId?: string;
  readonly personId?: string;
}

export type ListedFlag = DutyFlag & {
  readonly departmentId: string | null;
  readonly caseId: string | null;
  readonly personId: string | null;
};

interface RecordRow {
  kind: DutyKindName;
  record_id: string;
  department_id: string | null;
  case_id: string | null;
  person_id: string | null;
  /** Of the row's kind, as the projection folded them; JSON null for none (no opening event). */
  facts: never;
}

const byUrgency = (a: DutyFlag, b: DutyFlag): number =>
  a.dueDate === b.dueDate
    ? `${a.kind}${a.recordId}${a.code}` < `${b.kind}${b.recordId}${b.code}`
      ? -1
      : 1
    : a.dueDate < b.dueDate
      ? -1
      : 1;

/** Reads of the casework duties: one record with its flags, the flag lists, the history. */
@Injectable()
export class CaseworkQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly watcher: CheckpointWatcher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CASEWORK_POLICY) private readonly policy: CaseworkPolicy,
  ) {}

  catchUp(position: string | undefined): Promise<void> {
    return waitForPosition(this.watcher, [CASEWORK_PROJECTOR], position, this.config.readWaitMaxMs);
  }

  private flagsOf(row: RecordRow, now: Date): DutyFlag[] {
    return row.facts === null
      ? []
      : DUTIES[row.kind].flags(row.facts, now, this.policy).sort(byUrgency);
  }

  /** One record with today's flags. */
  async record(kind: DutyKindName, recordId: string): Promise<DutyRecordView | null> {
    return (await this.recordWithEvents(kind, recordId))?.view ?? null;
  }

  /**
   * One record with today's flags, and its events: its stream's up to the last one the
   * projection folded in (the row keeps facts, not events), which are its timeline.
   */
  async recordWithEvents(
    kind: DutyKindName,
    recordId: string,
  ): Promise<{ view: DutyRecordView; events: RecordEvent[] } | null> {
    const [row] = await this.dataSource.query<(RecordRow & { last_revision: number })[]>(
      `SELECT kind, record_id, department_id, case_id, person_id, facts, last_revision
         FROM casework_records WHERE kind = $1 AND record_id = $2`,
      [kind, recordId],
    );
    if (!row) return null;
    const duty = DUTIES[kind];
    const events = await this.recordEvents(
      kind,
      recordId,
      (event) => event.revision <= row.last_revision && duty.eventTypes.has(event.type),
    );
    const view: DutyRecordView = {
      kind,
      recordId,
      departmentId: row.department_id,
      caseId: row.case_id,
      personId: row.person_id,
      flags: this.flagsOf(row, this.clock.now()),
      facts: row.facts,
      timeline: events.map((event) => ({ eventId: event.id, type: event.type })),
    };
    return { view, events };
  }

  /** Open duties' flags for today, most urgent (earliest due) first. */
  async flags(filter: FlagFilter, limit: number, offset: number): Promise<Page<ListedFlag>> {
    const rows = await this.dataSource.query<RecordRow[]>(
      `SELECT kind, record_id, department_id, case_id, person_id, facts
         FROM casework_records
        WHERE outstanding
          AND ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR department_id = $2)
          AND ($3::uuid IS NULL OR case_id = $3) AND ($4::uuid IS NULL OR person_id = $4)`,
      [
        filter.kind ?? null,
        filter.departmentId ?? null,
        filter.caseId ?? null,
        filter.personId ?? null,
      ],
    );
    const now = this.clock.now();
    const flags = rows
      .flatMap((row) =>
        this.flagsOf(row, now).map((flag) => ({
          ...flag,
          departmentId: row.department_id,
          caseId: row.case_id,
          personId: row.person_id,
        })),
      )
      .filter((flag) => !filter.code || flag.code === filter.code)
      .filter((flag) => !filter.severity || flag.severity === filter.severity)
      .sort(byUrgency);
    return { items: flags.slice(offset, offset + limit), total: flags.length, limit, offset };
  }

  /** The events of a record's stream that `keep` keeps, in order. */
  private async recordEvents(
    kind: DutyKindName,
    recordId: string,
    keep: (event: RecordedEvent) => boolean,
  ): Promise<RecordEvent[]> {
    return (await this.store.readStream(DUTIES[kind].stream(recordId)))
      .filter(keep)
      .map((event) => ({ id: event.id, type: event.type, data: event.data }));
  }

  /** The record and its flags as they were at `asOf`, from the events up to it. */
  async asOf(
    kind: DutyKindName,
    recordId: string,
    asOf: Date,
  ): Promise<{ asOf: string; facts: unknown; flags: DutyFlag[] } | null> {
    const duty = DUTIES[kind];
    const until = asOf.toISOString();
    const events = await this.recordEvents(kind, recordId, (event) => occurredAt(event) <= until);
    const facts = duty.fold(recordId, events);
    if (facts === null) return null;
    return {
      asOf: until,
      facts,
      flags: duty.flags(facts, asOf, this.policy).sort(byUrgency),
    };
  }

  /** A record for GET /<things>/:id: read-your-writes first; absent → 404 with the kind's code. */
  async recordOrNotFound(
    kind: DutyKindName,
    recordId: string,
    waitFor: string | undefined,
    notFound: { code: string; message: string },
  ): Promise<DutyRecordView> {
    await this.catchUp(waitFor);
    const view = await this.record(kind, recordId);
    if (!view) throw new NotFoundException(notFound);
    return view;
  }

  /** A record's history for GET /<things>/:id/history; absent at that time → 404. */
  async asOfOrNotFound(
    kind: DutyKindName,
    recordId: string,
    asOf: Date,
    notFound: { code: string; message: string },
  ): Promise<{ asOf: string; facts: unknown; flags: DutyFlag[] }> {
    const view = await this.asOf(kind, recordId, asOf);
    if (!view) throw new NotFoundException(notFound);
    return view;
  }

  /** Today on the Danish calendar, for commands that need it. */
  today(): string {
    return copenhagenDateOf(this.clock.now());
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  composeAgenda,
  type AgendaDutyInput,
  type AgendaInput,
  type AgendaItem,
  type AgendaRules,
  type AgendaYoungPersonInput,
} from '@tovholder/domain';
import { type IsoDate } from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { CaseworkQueries, type ListedFlag } from '../casework/casework.queries';
import { CASEWORK_PROJECTOR } from '../casework/casework.projector';
import { DUTY_KINDS } from '../casework/duty-kinds';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CoordinationQueries } from '../coordination/coordination.queries';
import { FAMILY_COORDINATION_PROJECTOR } from '../coordination/family-coordination.projector';
import { CLOCK, type Clock } from '../shared/clock';
import { TRANSITIONS_PROJECTOR } from '../transitions/transition-streams.projector';
import { TransitionsQueries } from '../transitions/transitions.queries';
import { MeetingsQueries } from './meetings.queries';

/** The local policy behind the agenda, from the configuration. */
export function agendaRulesFrom(config: AppConfig): AgendaRules {
  return {
    turningSixteenWithinMonths: config.meetings.turningSixteenWithinMonths,
    agendaCutOffWorkingDays: config.meetings.agendaCutOffWorkingDays,
  };
}

/** The meeting an agenda is built for. */
export interface AgendaMeeting {
  readonly meetingId: string;
  readonly date: IsoDate;
  readonly departmentIds: readonly string[];
}

export interface BuiltAgenda {
  readonly items: AgendaItem[];
  readonly previousMeetingId: string | null;
}

/** The read models the agenda is gathered from. */
const AGENDA_PROJECTORS = [
  CASEWORK_PROJECTOR,
  FAMILY_COORDINATION_PROJECTOR,
  TRANSITIONS_PROJECTOR,
];

/** Duty kinds whose overdue flags are agenda items (a meeting's own agreements have a section). */
const DUTY_KINDS_ON_AGENDA = DUTY_KINDS.filter((kind) => kind !== 'meeting');

/**
 * Gathers what composeAgenda needs from the read models, for the meeting's departments, as of
 * the clock's now: families missing a primary contact, young people turning 16 without a started
 * preparation and transitions with flags, overdue casework duties, open agreements of earlier
 * meetings, and the previous frozen agenda. Every source is filtered by the meeting's
 * departments in SQL and read in one query (or one per duty kind and department), never per
 * family or person, so a national installation's agenda is built in a few queries.
 */
@Injectable()
export class AgendaBuilder {
  constructor(
    private readonly coordination: CoordinationQueries,
    private readonly transitions: TransitionsQueries,
    private readonly casework: CaseworkQueries,
    private readonly meetings: MeetingsQueries,
    private readonly watcher: CheckpointWatcher,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get rules(): AgendaRules {
    return agendaRulesFrom(this.config);
  }

  /**
   * Waits (bounded, else 503) until the read models the agenda reads hold every event recorded
   * so far: a frozen agenda is kept as the record, so it must not miss a matter just written.
   */
  async catchUpWithLog(): Promise<void> {
    const head = await this.store.headPosition();
    if (head === null) return;
    await Promise.all(
      AGENDA_PROJECTORS.map((projector) =>
        this.watcher.waitFor(projector, head, this.config.readWaitMaxMs),
      ),
    );
  }

  /** The composed agenda items, in order, and the previous meeting they were compared with. */
  async build(meeting: AgendaMeeting): Promise<BuiltAgenda> {
    const { previousMeetingId, ...input } = await this.input(meeting);
    return { items: composeAgenda(input, this.rules), previousMeetingId };
  }

  /** composeAgenda's input for `meeting` now, and the previous meeting's id. */
  async input(meeting: AgendaMeeting): Promise<AgendaInput & { previousMeetingId: string | null }> {
    const now = this.clock.now();
    const today = copenhagenDateOf(now);
    const departmentIds = meeting.departmentIds;
    const [families, youngPeople, dutyFlags, agreements, previous] = await Promise.all([
      this.coordination.missingPrimaryContacts(departmentIds, now),
      this.transitions.inDepartments(departmentIds, this.rules.turningSixteenWithinMonths, today),
      this.overdueDutyFlags(departmentIds),
      this.meetings.openAgreements(meeting.meetingId),
      this.meetings.previousFrozen(meeting),
    ]);

    // One lookup of family membership for every person on the agenda.
    const personIds = new Set<string>(youngPeople.map((person) => person.personId));
    for (const flag of dutyFlags) if (flag.personId !== null) personIds.add(flag.personId);
    const familyOf = await this.coordination.familiesOf([...personIds]);

    const young = youngPeople.map((person): AgendaYoungPersonInput & { notStarted: boolean } => ({
      personId: person.personId,
      familyId: familyOf.get(person.personId) ?? null,
      sixteenthBirthday: person.sixteenthBirthday,
      flagCodes: person.flags.map((flag) => flag.code),
      // Flags come most urgent first: the first has the earliest due date.
      dueDate: person.flags[0]?.dueDate ?? null,
      departmentIds: person.departmentIds,
      notStarted: person.inScope && !person.started && !person.closed,
    }));

    return {
      families: families.map((family) => ({
        familyId: family.familyId,
        needsPrimaryContactSince: family.since,
        departmentIds: family.departmentIds,
      })),
      youngPeople: young.filter((person) => person.notStarted),
      transitionsWithFlags: young.filter((person) => person.flagCodes.length > 0),
      overdueDuties: dutiesOf(dutyFlags, familyOf),
      openAgreements: agreements.map((agreement) => ({
        agreementId: agreement.agreementId,
        meetingId: agreement.meetingId,
        familyId: agreement.familyId,
        personId: agreement.personId,
        dueDate: agreement.dueDate,
        overdue: agreement.overdue,
        departmentIds: agreement.departmentIds,
      })),
      // The previous agenda shows the matters as they stood when it was frozen: whatever came up
      // after that (even before its cut-off, when frozen early) was not on it, so is new.
      previousCutOffAt: previous?.frozenAt ?? null,
      previousMeetingId: previous?.meetingId ?? null,
      today,
      departmentIds,
    };
  }

  /**
   * Overdue flags of open duties, per duty kind and department: the casework index
   * (department_id, kind) WHERE outstanding, and meetings' own rows (with their agendas) are
   * never loaded.
   */
  private async overdueDutyFlags(departmentIds: readonly string[]): Promise<ListedFlag[]> {
    const pages = await Promise.all(
      departmentIds.flatMap((departmentId) =>
        DUTY_KINDS_ON_AGENDA.map((kind) =>
          this.casework.flags(
            { kind, departmentId, severity: 'overdue' },
            Number.MAX_SAFE_INTEGER,
            0,
          ),
        ),
      ),
    );
    return pages.flatMap((page) => page.items);
  }
}

/** One duty per record: its overdue flags' codes, the earliest due date, the department. */
function dutiesOf(
  flags: readonly ListedFlag[],
  familyOf: ReadonlyMap<string, string>,
): AgendaDutyInput[] {
  const byRecord = new Map<string, AgendaDutyInput>();
  for (const flag of flags) {
    const key = `${flag.kind}:${flag.recordId}`;
    const known = byRecord.get(key);
    byRecord.set(key, {
      recordKind: flag.kind,
      recordId: flag.recordId,
      caseId: flag.caseId,
      personId: flag.personId,
      familyId: flag.personId === null ? null : (familyOf.get(flag.personId) ?? null),
      flagCodes: [...(known?.flagCodes ?? []), flag.code],
      dueDate: known && known.dueDate < flag.dueDate ? known.dueDate : flag.dueDate,
      departmentIds: flag.departmentId === null ? [] : [flag.departmentId],
    });
  }
  return [...byRecord.values()];
}

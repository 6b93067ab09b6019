import { Inject, Injectable } from '@nestjs/common';
import {
  AGENDA_SECTIONS,
  MEETING_ERRORS,
  agreementFlags,
  foldMeetingFacts,
  minutesExtractForFamily,
  type AgendaFrozen,
  type AgendaItem,
  type AgendaSection,
  type AgreementFact,
  type AgreementOwner,
  type FamilyMinutesExtract,
  type IdentifiedMeetingEvent,
  type ItemMinutesFact,
  type MeetingFacts,
  type MeetingPlannedFact,
} from '@tovholder/domain';
import { type IsoDate } from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { DataSource } from 'typeorm';
import { CaseworkQueries } from '../casework/casework.queries';
import type { DutyFlag } from '../casework/duty-kinds';
import type { Page } from '../http/page';
import { CLOCK, type Clock } from '../shared/clock';

export const MEETING_NOT_FOUND = {
  code: MEETING_ERRORS.notFound,
  message: 'No meeting with this id',
} as const;

export interface MeetingView {
  readonly meetingId: string;
  readonly planned: MeetingPlannedFact;
  /** Null until frozen. Every section, in the order the meeting takes them, each most urgent first. */
  readonly agenda: {
    readonly frozenAt: string;
    readonly early: boolean;
    readonly previousMeetingId: string | null;
    readonly itemCount: number;
    readonly sections: { section: AgendaSection; items: AgendaItem[] }[];
  } | null;
  readonly minutes: readonly ItemMinutesFact[];
  readonly agreements: (AgreementFact & { overdue: boolean })[];
  readonly approved: MeetingFacts['approved'];
  /** AGREEMENT_OVERDUE for today, most urgent first. */
  readonly flags: DutyFlag[];
  readonly timeline: { eventId: string; type: string }[];
}

export interface MeetingSummary {
  readonly meetingId: string;
  readonly date: IsoDate;
  readonly chairDepartmentId: string;
  readonly departmentIds: string[];
  readonly agendaCutOffAt: string;
  readonly frozenAt: string | null;
  readonly itemCount: number | null;
  readonly approvedAt: string | null;
  readonly hasOpenAgreements: boolean;
}

/** An agreement neither completed nor cancelled, with where it comes from. */
export interface OpenAgreementView {
  readonly agreementId: string;
  readonly meetingId: string;
  readonly meetingDate: IsoDate;
  readonly itemId: string;
  readonly what: string;
  readonly owner: AgreementOwner;
  /** The department that carries it out: the owning one, or the owning caseworker's. */
  readonly ownerDepartmentId: string | null;
  readonly dueDate: IsoDate;
  readonly familyId: string | null;
  readonly personId: string | null;
  readonly madeAt: string;
  /** Past its due date today (AGREEMENT_OVERDUE). */
  readonly overdue: boolean;
  /**
   * The departments it concerns: the meeting's that made it (it comes back to that group) and
   * the owner's.
   */
  readonly departmentIds: string[];
}

interface SummaryRow {
  record_id: string;
  planned: {
    date: IsoDate;
    chairDepartmentId: string;
    departmentIds: string[];
    agendaCutOffAt: string;
  };
  frozen_at: string | null;
  item_count: number | null;
  done_at: Date | null;
  outstanding: boolean;
}

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort();

/**
 * Reads of the coordination meetings, from the casework records of kind 'meeting' (one row per
 * meeting, its events in a json list). A frozen agenda can be large (a national installation's
 * families), so lists pick the parts they need out of the events in SQL instead of loading them,
 * each row's events made `jsonb` once (a `json` value is parsed again by every `->`).
 */
@Injectable()
export class MeetingsQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly casework: CaseworkQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  catchUp(position: string | undefined): Promise<void> {
    return this.casework.catchUp(position);
  }

  private today(): IsoDate {
    return copenhagenDateOf(this.clock.now());
  }

  async view(meetingId: string, waitFor: string | undefined): Promise<MeetingView> {
    const record = await this.casework.recordOrNotFound(
      'meeting',
      meetingId,
      waitFor,
      MEETING_NOT_FOUND,
    );
    const facts = record.facts as MeetingFacts & { planned: MeetingPlannedFact };
    const overdue = new Set(record.flags.map((flag) => flag.details.agreementId));
    const agenda = facts.agenda;
    return {
      meetingId,
      planned: facts.planned,
      agenda: agenda && {
        frozenAt: agenda.frozenAt,
        early: agenda.early,
        previousMeetingId: agenda.previousMeetingId,
        itemCount: agenda.items.length,
        sections: AGENDA_SECTIONS.map((section) => ({
          section,
          items: agenda.items.filter((item) => item.section === section),
        })),
      },
      minutes: facts.minutes,
      agreements: facts.agreements.map((agreement) => ({
        ...agreement,
        overdue: overdue.has(agreement.agreementId),
      })),
      approved: facts.approved,
      flags: record.flags,
      timeline: record.timeline,
    };
  }

  /** Meetings by date, newest first; the agenda's items stay in the database. */
  async list(
    fromDate: IsoDate | undefined,
    toDate: IsoDate | undefined,
    limit: number,
    offset: number,
  ): Promise<Page<MeetingSummary>> {
    const where = `kind = 'meeting' AND ($1::date IS NULL OR due_on >= $1) AND ($2::date IS NULL OR due_on <= $2)`;
    const range = [fromDate ?? null, toDate ?? null];
    const [count] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM casework_records WHERE ${where}`,
      range,
    );
    // The page is chosen on plain columns first; only its rows' events are opened.
    const rows = await this.dataSource.query<SummaryRow[]>(
      `SELECT page.record_id, page.done_at, page.outstanding, e.planned, e.frozen_at, e.item_count
         FROM (SELECT record_id, due_on, received_at, done_at, outstanding FROM casework_records
                WHERE ${where}
                ORDER BY due_on DESC, received_at DESC, record_id LIMIT $3 OFFSET $4) page
        CROSS JOIN LATERAL (
          SELECT m.events->0->'data' AS planned,
                 CASE WHEN m.events->1->>'type' = 'AgendaFrozen'
                      THEN m.events->1->'data'->>'frozenAt' END AS frozen_at,
                 CASE WHEN m.events->1->>'type' = 'AgendaFrozen'
                      THEN jsonb_array_length(m.events->1->'data'->'items') END AS item_count
            FROM casework_records r
           CROSS JOIN LATERAL (SELECT r.events::jsonb AS events) m
           WHERE r.kind = 'meeting' AND r.record_id = page.record_id
          OFFSET 0) e
        ORDER BY page.due_on DESC, page.received_at DESC, page.record_id`,
      [...range, limit, offset],
    );
    return {
      items: rows.map((row) => ({
        meetingId: row.record_id,
        date: row.planned.date,
        chairDepartmentId: row.planned.chairDepartmentId,
        departmentIds: row.planned.departmentIds,
        agendaCutOffAt: row.planned.agendaCutOffAt,
        frozenAt: row.frozen_at,
        itemCount: row.item_count,
        approvedAt: row.done_at?.toISOString() ?? null,
        hasOpenAgreements: row.outstanding,
      })),
      total: count?.n ?? 0,
      limit,
      offset,
    };
  }

  /**
   * Every open agreement of every meeting (other than `exceptMeetingId`), most overdue (earliest
   * due) first. Only meetings with an open agreement are read (`outstanding`), and of those the
   * events without the agenda.
   */
  async openAgreements(exceptMeetingId: string | null = null): Promise<OpenAgreementView[]> {
    const rows = await this.dataSource.query<
      { record_id: string; events: IdentifiedMeetingEvent[] }[]
    >(
      `SELECT r.record_id, jsonb_path_query_array(r.events::jsonb, '$[*] ? (@.type != "AgendaFrozen")') AS events
         FROM casework_records r
        WHERE r.kind = 'meeting' AND r.outstanding AND ($1::uuid IS NULL OR r.record_id <> $1)`,
      [exceptMeetingId],
    );
    const today = this.today();
    const open = rows.flatMap((row) => {
      const facts = foldMeetingFacts(row.record_id, row.events);
      const overdue = new Set(agreementFlags(facts, today).map((flag) => flag.agreementId));
      return facts.agreements
        .filter((agreement) => agreement.status === 'open')
        .map((agreement) => ({ agreement, facts, overdue: overdue.has(agreement.agreementId) }));
    });
    const caseworkerDepartments = await this.departmentsOfCaseworkers(
      open.flatMap(({ agreement: { owner } }) =>
        owner.kind === 'caseworker' ? [owner.caseworkerId] : [],
      ),
    );
    return open
      .map(({ agreement, facts, overdue }): OpenAgreementView => {
        const owner = agreement.owner;
        const ownerDepartmentId =
          owner.kind === 'department'
            ? owner.departmentId
            : (caseworkerDepartments.get(owner.caseworkerId) ?? null);
        return {
          agreementId: agreement.agreementId,
          meetingId: facts.meetingId,
          meetingDate: facts.planned?.date ?? '',
          itemId: agreement.itemId,
          what: agreement.what,
          owner,
          ownerDepartmentId,
          dueDate: agreement.dueDate,
          familyId: agreement.familyId,
          personId: agreement.personId,
          madeAt: agreement.madeAt,
          overdue,
          departmentIds: sortedUnique([
            ...(facts.planned?.departmentIds ?? []),
            ...(ownerDepartmentId === null ? [] : [ownerDepartmentId]),
          ]),
        };
      })
      .sort((a, b) =>
        a.dueDate === b.dueDate
          ? a.agreementId < b.agreementId
            ? -1
            : 1
          : a.dueDate < b.dueDate
            ? -1
            : 1,
      );
  }

  /** The department each caseworker works in (family coordination's register of caseworkers). */
  private async departmentsOfCaseworkers(ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<{ caseworker_id: string; department_id: string }[]>(
      `SELECT caseworker_id, department_id FROM coordination_caseworkers
        WHERE caseworker_id = ANY($1::uuid[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.caseworker_id, row.department_id]));
  }

  /**
   * The latest meeting before `date` whose agenda is frozen and whose departments overlap
   * `departmentIds`: what the next agenda's isNew is judged against. Earlier meetings are walked
   * newest first on plain columns, opening one row's events at a time until one qualifies.
   */
  async previousFrozen(meeting: {
    meetingId: string;
    date: IsoDate;
    departmentIds: readonly string[];
  }): Promise<{ meetingId: string; frozenAt: string } | null> {
    const [row] = await this.dataSource.query<{ record_id: string; frozen_at: string }[]>(
      `SELECT earlier.record_id, f.frozen_at
         FROM (SELECT record_id, due_on, received_at FROM casework_records
                WHERE kind = 'meeting' AND due_on < $1::date AND record_id <> $2::uuid
                ORDER BY due_on DESC, received_at DESC, record_id DESC) earlier
        CROSS JOIN LATERAL (
          -- AgendaFrozen can only follow MeetingPlanned directly: nothing else is allowed before it.
          SELECT m.events->1->'data'->>'frozenAt' AS frozen_at
            FROM casework_records r
           CROSS JOIN LATERAL (SELECT r.events::jsonb AS events) m
           WHERE r.kind = 'meeting' AND r.record_id = earlier.record_id
             AND m.events->1->>'type' = 'AgendaFrozen'
             AND jsonb_exists_any(m.events->0->'data'->'departmentIds', $3::text[])
          OFFSET 0) f
        LIMIT 1`,
      [meeting.date, meeting.meetingId, meeting.departmentIds],
    );
    return row ? { meetingId: row.record_id, frozenAt: row.frozen_at } : null;
  }

  /**
   * What one family may be given of the approved minutes, newest meeting first: each meeting's
   * items about that family with their minutes and agreements (minutesExtractForFamily). Other
   * families' agenda items are dropped in SQL already, so they never reach this process.
   */
  async familyExtract(familyId: string): Promise<FamilyMinutesExtract[]> {
    // AgendaFrozen is always the second event (nothing else may come before it).
    const rows = await this.dataSource.query<
      {
        record_id: string;
        events: IdentifiedMeetingEvent[];
        frozen_id: string;
        frozen: Omit<AgendaFrozen['data'], 'items'>;
        items: AgendaItem[];
      }[]
    >(
      `SELECT r.record_id,
              jsonb_path_query_array(m.events, '$[*] ? (@.type != "AgendaFrozen")') AS events,
              m.events->1->>'id' AS frozen_id,
              (m.events->1->'data') - 'items' AS frozen,
              jsonb_path_query_array(m.events, '$[1].data.items[*] ? (@.familyId == $family)',
                                     jsonb_build_object('family', $1::text)) AS items
         FROM casework_records r
        CROSS JOIN LATERAL (SELECT r.events::jsonb AS events) m
        WHERE r.kind = 'meeting' AND r.done_at IS NOT NULL AND m.events->1->>'type' = 'AgendaFrozen'
          AND jsonb_path_exists(m.events, '$[1].data.items[*] ? (@.familyId == $family)',
                                jsonb_build_object('family', $1::text))
        ORDER BY r.due_on DESC, r.received_at DESC, r.record_id`,
      [familyId],
    );
    return rows
      .map((row) => {
        const [planned, ...rest] = row.events;
        const frozen: IdentifiedMeetingEvent = {
          id: row.frozen_id,
          type: 'AgendaFrozen',
          data: { ...row.frozen, items: row.items },
        };
        const events = planned === undefined ? [] : [planned, frozen, ...rest];
        return minutesExtractForFamily(foldMeetingFacts(row.record_id, events), familyId);
      })
      .filter((extract) => extract.approvedAt !== null && extract.items.length > 0);
  }
}

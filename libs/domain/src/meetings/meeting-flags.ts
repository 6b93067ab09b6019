/**
 * What one coordination meeting's stream amounts to (facts), the follow-up flags on its
 * agreements computed against `today` (a Danish calendar date passed in, never read here), and
 * the extract of the minutes for one family.
 */
import { dateParts, type IsoDate } from '../shared/calendar-dates';
import { assertNever } from '../shared/decider';
import type { AgreementStatus } from './meeting.decider';
import type { AgendaItem, AgreementOwner, IdentifiedMeetingEvent } from './meeting.events';

export const AGREEMENT_OVERDUE = 'AGREEMENT_OVERDUE';
export const AGREEMENT_FLAG_CODES = [AGREEMENT_OVERDUE] as const;
export type AgreementFlagCode = (typeof AGREEMENT_FLAG_CODES)[number];

export const AGREEMENT_RULE_TEXTS: { readonly [C in AgreementFlagCode]: string } = {
  AGREEMENT_OVERDUE:
    'Local policy: an agreement made at the coordination meeting is carried out by its due date',
};

export interface MeetingPlannedFact {
  readonly eventId: string;
  readonly date: IsoDate;
  readonly chairDepartmentId: string;
  readonly departmentIds: readonly string[];
  readonly agendaCutOffAt: string;
  readonly plannedAt: string;
}

export interface MeetingAgendaFact {
  readonly eventId: string;
  readonly frozenAt: string;
  readonly early: boolean;
  readonly previousMeetingId: string | null;
  readonly items: readonly AgendaItem[];
}

/** The minutes of one item as they stand: the latest record, or the latest correction. */
export interface ItemMinutesFact {
  readonly itemId: string;
  readonly outcome: string;
  readonly decisions: readonly string[];
  /** The event that holds the current text (a record or a correction). */
  readonly eventId: string;
  /** When the item's minutes were last recorded before approval. */
  readonly recordedAt: string;
  /** The latest correction after approval, if any. */
  readonly correction: {
    readonly eventId: string;
    readonly reason: string;
    readonly correctedAt: string;
  } | null;
}

export interface AgreementFact {
  readonly agreementId: string;
  readonly itemId: string;
  readonly what: string;
  readonly owner: AgreementOwner;
  readonly dueDate: IsoDate;
  readonly familyId: string | null;
  readonly personId: string | null;
  readonly madeAt: string;
  /** The AgreementMade event. */
  readonly eventId: string;
  readonly status: AgreementStatus;
  /** Completion (text = the note, if any) or cancellation (text = the reason). */
  readonly closed: {
    readonly eventId: string;
    readonly at: string;
    readonly text: string | null;
  } | null;
}

/**
 * What a meeting's flags and views are computed from. The live projection builds it from its
 * tables, the as-of history with `foldMeetingFacts`; both the same way.
 */
export interface MeetingFacts {
  readonly meetingId: string;
  readonly planned: MeetingPlannedFact | null;
  readonly agenda: MeetingAgendaFact | null;
  /** In the order items were first recorded. */
  readonly minutes: readonly ItemMinutesFact[];
  /** In the order they were made. */
  readonly agreements: readonly AgreementFact[];
  readonly approved: {
    readonly eventId: string;
    readonly approvedAt: string;
    readonly approvedBy: string;
  } | null;
}

export function emptyMeetingFacts(meetingId: string): MeetingFacts {
  return { meetingId, planned: null, agenda: null, minutes: [], agreements: [], approved: null };
}

/**
 * Folds one meeting stream (in order, with event ids) into facts; from `from` when given, the
 * facts of the events before these.
 */
export function foldMeetingFacts(
  meetingId: string,
  events: readonly IdentifiedMeetingEvent[],
  from: MeetingFacts | null = null,
): MeetingFacts {
  let facts = from ?? emptyMeetingFacts(meetingId);
  const replaceMinutes = (
    itemId: string,
    next: (known: ItemMinutesFact | null) => ItemMinutesFact,
  ) => {
    const index = facts.minutes.findIndex((minutes) => minutes.itemId === itemId);
    const minutes = [...facts.minutes];
    if (index === -1) minutes.push(next(null));
    else minutes[index] = next(minutes[index] ?? null);
    facts = { ...facts, minutes };
  };
  const closeAgreement = (agreementId: string, close: (a: AgreementFact) => AgreementFact) => {
    facts = {
      ...facts,
      agreements: facts.agreements.map((a) => (a.agreementId === agreementId ? close(a) : a)),
    };
  };

  for (const event of events) {
    const eventId = event.id;
    switch (event.type) {
      case 'MeetingPlanned': {
        const { date, chairDepartmentId, departmentIds, agendaCutOffAt, plannedAt } = event.data;
        facts = {
          ...facts,
          planned: { eventId, date, chairDepartmentId, departmentIds, agendaCutOffAt, plannedAt },
        };
        break;
      }
      case 'AgendaFrozen': {
        const { frozenAt, early, previousMeetingId, items } = event.data;
        facts = { ...facts, agenda: { eventId, frozenAt, early, previousMeetingId, items } };
        break;
      }
      case 'ItemMinutesRecorded': {
        const { itemId, outcome, decisions, recordedAt } = event.data;
        replaceMinutes(itemId, (known) => ({
          itemId,
          outcome,
          decisions,
          eventId,
          recordedAt,
          correction: known?.correction ?? null,
        }));
        break;
      }
      case 'MinutesCorrected': {
        const { itemId, outcome, decisions, reason, correctedAt } = event.data;
        replaceMinutes(itemId, (known) => ({
          itemId,
          outcome,
          decisions,
          eventId,
          // An item first minuted by a correction has no record before approval.
          recordedAt: known?.recordedAt ?? correctedAt,
          correction: { eventId, reason, correctedAt },
        }));
        break;
      }
      case 'AgreementMade': {
        const { agreementId, itemId, what, owner, dueDate, familyId, personId, madeAt } =
          event.data;
        facts = {
          ...facts,
          agreements: [
            ...facts.agreements,
            {
              agreementId,
              itemId,
              what,
              owner,
              dueDate,
              familyId,
              personId,
              madeAt,
              eventId,
              status: 'open',
              closed: null,
            },
          ],
        };
        break;
      }
      case 'MinutesApproved':
        facts = {
          ...facts,
          approved: {
            eventId,
            approvedAt: event.data.approvedAt,
            approvedBy: event.data.approvedBy,
          },
        };
        break;
      case 'AgreementCompleted': {
        const { completedAt, note } = event.data;
        closeAgreement(event.data.agreementId, (agreement) => ({
          ...agreement,
          status: 'done',
          closed: { eventId, at: completedAt, text: note ?? null },
        }));
        break;
      }
      case 'AgreementCancelled': {
        const { cancelledAt, reason } = event.data;
        closeAgreement(event.data.agreementId, (agreement) => ({
          ...agreement,
          status: 'cancelled',
          closed: { eventId, at: cancelledAt, text: reason },
        }));
        break;
      }
      default:
        return assertNever(event);
    }
  }
  return facts;
}

export interface AgreementFlag {
  readonly code: AgreementFlagCode;
  readonly meetingId: string;
  readonly agreementId: string;
  readonly familyId: string | null;
  readonly personId: string | null;
  readonly owner: AgreementOwner;
  /** The last day on time: the agreement's due date. */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: 'warning' | 'overdue';
  /** The AgreementMade event. */
  readonly eventIds: readonly string[];
}

/**
 * The open agreements of a meeting past their due date on `today` (AGREEMENT_OVERDUE, overdue
 * from the day after the due date; calendar days, so a due date on a holiday is not moved).
 * Most overdue first.
 */
export function agreementFlags(facts: MeetingFacts, today: IsoDate): AgreementFlag[] {
  dateParts(today);
  return facts.agreements
    .filter((agreement) => agreement.status === 'open' && today > agreement.dueDate)
    .map((agreement): AgreementFlag => ({
      code: AGREEMENT_OVERDUE,
      meetingId: facts.meetingId,
      agreementId: agreement.agreementId,
      familyId: agreement.familyId,
      personId: agreement.personId,
      owner: agreement.owner,
      dueDate: agreement.dueDate,
      rule: AGREEMENT_RULE_TEXTS.AGREEMENT_OVERDUE,
      severity: 'overdue',
      eventIds: [agreement.eventId],
    }))
    .sort((a, b) => compare(a.dueDate, b.dueDate) || compare(a.agreementId, b.agreementId));
}

export interface FamilyMinutesItem {
  readonly item: AgendaItem;
  readonly minutes: ItemMinutesFact | null;
  readonly agreements: readonly AgreementFact[];
}

/** The part of a meeting's minutes a family may be given: its own items only. */
export interface FamilyMinutesExtract {
  readonly meetingId: string;
  readonly familyId: string;
  readonly date: IsoDate | null;
  /** Null while the minutes are a draft. */
  readonly approvedAt: string | null;
  /** In agenda order. */
  readonly items: readonly FamilyMinutesItem[];
}

/**
 * The minutes for one family (the seeds: families asked for written minutes of decisions and
 * agreements): the agenda items whose familyId is that family, with their minutes and
 * agreements. Items of other families and 'other' items (no family) are never included.
 */
export function minutesExtractForFamily(
  facts: MeetingFacts,
  familyId: string,
): FamilyMinutesExtract {
  const items = (facts.agenda?.items ?? [])
    .filter((item) => item.familyId === familyId)
    .map((item): FamilyMinutesItem => ({
      item,
      minutes: facts.minutes.find((minutes) => minutes.itemId === item.itemId) ?? null,
      agreements: facts.agreements.filter(
        (agreement) => agreement.itemId === item.itemId && agreement.familyId === familyId,
      ),
    }));
  return {
    meetingId: facts.meetingId,
    familyId,
    date: facts.planned?.date ?? null,
    approvedAt: facts.approved?.approvedAt ?? null,
    items,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

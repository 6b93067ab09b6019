import { eventUnion } from '../shared/event-types';
/**
 * The monthly cross-department coordination meeting on young people (Slagelse, 2021): chaired by
 * the children-and-youth side, with the adult, employment and education departments. One stream
 * per meeting: `meeting-<meetingId>`. The stream holds the plan, the frozen agenda, the minutes
 * and the agreements with their follow-up.
 *
 * Events carry internal ids and codes; minutes text is the meeting's record of the matter and
 * must hold no CPR numbers (refused by the decider). Times ending in `At` are instants (ISO
 * 8601, UTC); dates ('YYYY-MM-DD') are days on the Danish calendar.
 */
import type { IsoDate } from '../shared/calendar-dates';

export const meetingStream = (meetingId: string): string => `meeting-${meetingId}`;

/** The agenda's sections, in the order the meeting takes them. */
export const AGENDA_SECTIONS = [
  'primary-contact-missing',
  'turning-16-not-started',
  'transition-flags',
  'overdue-duties',
  'open-agreements',
] as const;
export type AgendaSection = (typeof AGENDA_SECTIONS)[number];

export const AGENDA_SUBJECT_KINDS = ['family', 'young-person', 'duty', 'agreement'] as const;
export type AgendaSubjectKind = (typeof AGENDA_SUBJECT_KINDS)[number];

/** The subject kind each section is about. */
export const AGENDA_SECTION_SUBJECT: { readonly [S in AgendaSection]: AgendaSubjectKind } = {
  'primary-contact-missing': 'family',
  'turning-16-not-started': 'young-person',
  'transition-flags': 'young-person',
  'overdue-duties': 'duty',
  'open-agreements': 'agreement',
};

/** Matters raised at the meeting itself get an item id `other:<uuid>`. */
export const OTHER_ITEM_PREFIX = 'other:';

/** One point on a frozen agenda: ids and codes only, never names. */
export interface AgendaItem {
  /** `${section}:${subject.id}`: the same matter gets the same id on every composition. */
  readonly itemId: string;
  readonly section: AgendaSection;
  /**
   * The family, the young person (personId), the duty (`<recordKind>:<recordId>`) or the
   * agreement (agreementId) the item is about.
   */
  readonly subject: { readonly kind: AgendaSubjectKind; readonly id: string };
  readonly familyId: string | null;
  readonly personId: string | null;
  /** The date the item's urgency is ordered by (see composeAgenda); null when it has none. */
  readonly dueDate: IsoDate | null;
  /** Sorted, without duplicates. */
  readonly flagCodes: readonly string[];
  /** Not on the previous meeting's agenda as far as the rule in composeAgenda can tell. */
  readonly isNew: boolean;
  /** The departments the matter touches: sorted, without duplicates. */
  readonly departmentIds: readonly string[];
}

export type AgreementOwner =
  | { readonly kind: 'caseworker'; readonly caseworkerId: string }
  | { readonly kind: 'department'; readonly departmentId: string };

export interface MeetingPlanned {
  readonly type: 'MeetingPlanned';
  readonly data: {
    readonly meetingId: string;
    readonly date: IsoDate;
    readonly chairDepartmentId: string;
    /** Sorted, without duplicates, including the chair's department. */
    readonly departmentIds: readonly string[];
    /** Matters known after this instant wait for the next meeting (unless frozen early). */
    readonly agendaCutOffAt: string;
    readonly plannedAt: string;
  };
}

/** The agenda as the meeting saw it: stored, not recomputed, so the record stays true. */
export interface AgendaFrozen {
  readonly type: 'AgendaFrozen';
  readonly data: {
    readonly meetingId: string;
    readonly frozenAt: string;
    /** Frozen before the cut-off (forced by the caller). */
    readonly early: boolean;
    readonly previousMeetingId: string | null;
    readonly items: readonly AgendaItem[];
  };
}

/** Before approval, a later record for the same item replaces the earlier one. */
export interface ItemMinutesRecorded {
  readonly type: 'ItemMinutesRecorded';
  readonly data: {
    readonly meetingId: string;
    readonly itemId: string;
    /** At most SHORT_TEXT_MAX_LENGTH characters; never a CPR number. */
    readonly outcome: string;
    /** Each at most SHORT_TEXT_MAX_LENGTH characters; never a CPR number. */
    readonly decisions: readonly string[];
    readonly recordedAt: string;
  };
}

export interface AgreementMade {
  readonly type: 'AgreementMade';
  readonly data: {
    readonly meetingId: string;
    readonly agreementId: string;
    readonly itemId: string;
    /** At most SHORT_TEXT_MAX_LENGTH characters; never a CPR number. */
    readonly what: string;
    readonly owner: AgreementOwner;
    /** The last day on time. */
    readonly dueDate: IsoDate;
    /** Copied from the agenda item (null for an 'other' item). */
    readonly familyId: string | null;
    readonly personId: string | null;
    readonly madeAt: string;
  };
}

export interface MinutesApproved {
  readonly type: 'MinutesApproved';
  readonly data: {
    readonly meetingId: string;
    readonly approvedAt: string;
    /** The caseworker who approved them. */
    readonly approvedBy: string;
  };
}

/** After approval the minutes change only by a correction, kept beside the original. */
export interface MinutesCorrected {
  readonly type: 'MinutesCorrected';
  readonly data: {
    readonly meetingId: string;
    readonly itemId: string;
    readonly outcome: string;
    readonly decisions: readonly string[];
    readonly reason: string;
    readonly correctedAt: string;
  };
}

export interface AgreementCompleted {
  readonly type: 'AgreementCompleted';
  readonly data: {
    readonly meetingId: string;
    readonly agreementId: string;
    readonly completedAt: string;
    readonly note?: string;
  };
}

export interface AgreementCancelled {
  readonly type: 'AgreementCancelled';
  readonly data: {
    readonly meetingId: string;
    readonly agreementId: string;
    readonly reason: string;
    readonly cancelledAt: string;
  };
}

export type MeetingEvent =
  | MeetingPlanned
  | AgendaFrozen
  | ItemMinutesRecorded
  | AgreementMade
  | MinutesApproved
  | MinutesCorrected
  | AgreementCompleted
  | AgreementCancelled;

/** A meeting event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedMeetingEvent = MeetingEvent & { readonly id: string };

export const MEETING_EVENTS = eventUnion<MeetingEvent>({
  MeetingPlanned: true,
  AgendaFrozen: true,
  ItemMinutesRecorded: true,
  AgreementMade: true,
  MinutesApproved: true,
  MinutesCorrected: true,
  AgreementCompleted: true,
  AgreementCancelled: true,
});
export const MEETING_EVENT_TYPES = MEETING_EVENTS.types;
export const isMeetingEvent = MEETING_EVENTS.is;

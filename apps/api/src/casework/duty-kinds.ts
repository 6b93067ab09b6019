/**
 * The casework duties side by side: for each kind of record (an inquiry, an application, a
 * complaint, a file-access request, a case's journal) how its events are told apart, folded into
 * facts, judged into flags and summarised into the columns the figures read. The projector, the
 * flag lists and the as-of history all go through this one table, so they agree.
 */
import {
  APPLICATION_EVENT_TYPES,
  COMPLAINT_EVENT_TYPES,
  FILE_ACCESS_EVENT_TYPES,
  INQUIRY_EVENT_TYPES,
  JOURNAL_EVENT_TYPES,
  applicationFlags,
  applicationStream,
  complaintAnswerDueDate,
  complaintFlags,
  complaintStream,
  fileAccessDeadline,
  fileAccessFlags,
  fileAccessStream,
  foldApplicationFacts,
  foldComplaintFacts,
  foldFileAccessFacts,
  foldInquiryFacts,
  foldJournalFacts,
  inquiryFlags,
  inquiryStream,
  journalFlags,
  journalHasOpenDuty,
  journalStream,
  MEETING_EVENT_TYPES,
  VISITATION_EVENT_TYPES,
  agreementFlags,
  foldMeetingFacts,
  foldReferralFacts,
  meetingStream,
  referralFlags,
  visitationStream,
  isApplicationEvent,
  isComplaintEvent,
  isFileAccessEvent,
  isInquiryEvent,
  isJournalEvent,
  isMeetingEvent,
  isVisitationEvent,
} from '@tovholder/domain';
import { type IsoDate } from '@tovholder/domain/shared/calendar-dates';
import { copenhagenDateOf } from '@tovholder/domain/shared/copenhagen-time';
import { identifiedEvents } from '../shared/aggregate-stream';
import type { CaseworkPolicy } from './casework.policy';

export const DUTY_KINDS = [
  'inquiry',
  'application',
  'complaint',
  'file-access',
  'journal',
  'meeting',
  'visitation',
] as const;
export type DutyKindName = (typeof DUTY_KINDS)[number];

/** An event as stored on a record: its id, type and data. */
export interface RecordEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** A flag of any duty, in one shape for the lists; `details` holds what is particular to it. */
export interface DutyFlag {
  readonly kind: DutyKindName;
  readonly recordId: string;
  readonly code: string;
  readonly dueDate: IsoDate;
  readonly severity: 'warning' | 'overdue';
  readonly rule: string;
  readonly eventIds: readonly string[];
  readonly details: Readonly<Record<string, unknown>>;
}

/** What the management figures read, kept as columns (null where it does not apply). */
export interface DutyColumns {
  readonly departmentId: string | null;
  readonly caseId: string | null;
  readonly personId: string | null;
  readonly caseType: string | null;
  readonly receivedAt: string | null;
  /** Inquiries: the first acknowledgement or answer. */
  readonly respondedAt: string | null;
  /** Answered, first decision, resolved. */
  readonly doneAt: string | null;
  readonly applicationDate: IsoDate | null;
  /** The day by which the duty is kept: processing deadline, file-access or complaint deadline. */
  readonly dueOn: IsoDate | null;
  readonly outcome: string | null;
  readonly appealedAt: string | null;
  readonly boardOutcome: string | null;
  readonly boardRuledAt: string | null;
}

export interface DutyKind<Facts> {
  readonly kind: DutyKindName;
  readonly eventTypes: ReadonlySet<string>;
  readonly stream: (recordId: string) => string;
  /** The record an event belongs to (the journal's is its case). */
  recordIdOf(event: RecordEvent): string;
  /**
   * Null when the events hold no opening event (e.g. as of a time before it). From `from` when
   * given: the facts of the record's events before these (the projection keeps them, not events).
   */
  fold(recordId: string, events: readonly RecordEvent[], from?: Facts | null): Facts | null;
  /**
   * Whether the projection keeps the record's events beside its facts: a meeting's, which its
   * queries read in SQL (the planned and frozen agenda); meetings are few.
   */
  readonly keepsEvents?: true;
  flags(facts: Facts, now: Date, policy: CaseworkPolicy): DutyFlag[];
  /**
   * Whether a flag stays raised however long one waits (`flags` at END_OF_TIME), where that is
   * quicker to tell without the flags (see `isOutstanding`).
   */
  outstanding?(facts: Facts, policy: CaseworkPolicy): boolean;
  columns(facts: Facts, policy: CaseworkPolicy): DutyColumns;
}

const NO_COLUMNS: DutyColumns = {
  departmentId: null,
  caseId: null,
  personId: null,
  caseType: null,
  receivedAt: null,
  respondedAt: null,
  doneAt: null,
  applicationDate: null,
  dueOn: null,
  outcome: null,
  appealedAt: null,
  boardOutcome: null,
  boardRuledAt: null,
};

const idField =
  (field: string) =>
  (event: RecordEvent): string =>
    String(event.data[field]);

const today = (now: Date): IsoDate => copenhagenDateOf(now);

/** The domain's flags into the common shape: ids and codes kept, the rest in `details`. */
function asDutyFlags<
  F extends {
    code: string;
    dueDate: IsoDate;
    severity: 'warning' | 'overdue';
    rule: string;
    eventIds: readonly string[];
  },
>(
  kind: DutyKindName,
  recordId: string,
  flags: readonly F[],
  idKeys: readonly string[],
): DutyFlag[] {
  return flags.map((flag) => {
    const { code, dueDate, severity, rule, eventIds, ...rest } = flag;
    const details: Record<string, unknown> = { ...rest };
    for (const key of idKeys) delete details[key];
    return { kind, recordId, code, dueDate, severity, rule, eventIds, details };
  });
}

export const inquiryDuty: DutyKind<NonNullable<ReturnType<typeof foldInquiryFacts>>> = {
  kind: 'inquiry',
  eventTypes: INQUIRY_EVENT_TYPES,
  stream: inquiryStream,
  recordIdOf: idField('inquiryId'),
  fold: (id, events, from) => foldInquiryFacts(id, identifiedEvents(events, isInquiryEvent), from),
  flags: (facts, now, policy) =>
    asDutyFlags('inquiry', facts.inquiryId, inquiryFlags(facts, now, policy.inquiries), [
      'inquiryId',
    ]),
  columns: (facts) => {
    const responses = [facts.acknowledged?.at, facts.answered?.at].filter(
      (at): at is string => at !== undefined,
    );
    return {
      ...NO_COLUMNS,
      departmentId: facts.departmentId,
      caseId: facts.caseId,
      personId: facts.personId,
      receivedAt: facts.received.at,
      respondedAt: responses.sort()[0] ?? null,
      doneAt: facts.answered?.at ?? null,
      dueOn: facts.promise?.answerPromisedBy ?? null,
    };
  },
};

export const applicationDuty: DutyKind<NonNullable<ReturnType<typeof foldApplicationFacts>>> = {
  kind: 'application',
  eventTypes: APPLICATION_EVENT_TYPES,
  stream: applicationStream,
  recordIdOf: idField('applicationId'),
  fold: (id, events, from) =>
    foldApplicationFacts(id, identifiedEvents(events, isApplicationEvent), from),
  flags: (facts, now, policy) =>
    asDutyFlags(
      'application',
      facts.applicationId,
      applicationFlags(facts, today(now), policy.applications),
      ['applicationId'],
    ),
  columns: (facts) => {
    const first = facts.decisions[0];
    const appealed = facts.decisions.find((decision) => decision.appealed !== null);
    const ruled = facts.decisions.find((decision) => decision.ruled !== null);
    return {
      ...NO_COLUMNS,
      departmentId: facts.departmentId,
      caseId: facts.caseId,
      personId: facts.personId,
      caseType: facts.caseType,
      receivedAt: facts.received.at,
      doneAt: first?.at ?? null,
      applicationDate: facts.applicationDate,
      dueOn: facts.deadline,
      outcome: first?.outcome ?? null,
      appealedAt: appealed?.appealed?.at ?? null,
      boardOutcome: ruled?.ruled?.outcome ?? null,
      boardRuledAt: ruled?.ruled?.at ?? null,
    };
  },
};

export const complaintDuty: DutyKind<NonNullable<ReturnType<typeof foldComplaintFacts>>> = {
  kind: 'complaint',
  eventTypes: COMPLAINT_EVENT_TYPES,
  stream: complaintStream,
  recordIdOf: idField('complaintId'),
  fold: (id, events, from) =>
    foldComplaintFacts(id, identifiedEvents(events, isComplaintEvent), from),
  flags: (facts, now, policy) =>
    asDutyFlags(
      'complaint',
      facts.complaintId,
      complaintFlags(facts, today(now), policy.complaints),
      ['complaintId'],
    ),
  columns: (facts, policy) => ({
    ...NO_COLUMNS,
    departmentId: facts.departmentId,
    caseId: facts.caseId,
    personId: facts.personId,
    caseType: facts.about,
    receivedAt: facts.received.at,
    doneAt: facts.resolved?.at ?? null,
    dueOn: complaintAnswerDueDate(facts, policy.complaints),
    outcome: facts.resolved?.outcome ?? null,
  }),
};

export const fileAccessDuty: DutyKind<NonNullable<ReturnType<typeof foldFileAccessFacts>>> = {
  kind: 'file-access',
  eventTypes: FILE_ACCESS_EVENT_TYPES,
  stream: fileAccessStream,
  recordIdOf: idField('requestId'),
  fold: (id, events, from) =>
    foldFileAccessFacts(id, identifiedEvents(events, isFileAccessEvent), from),
  flags: (facts, now, policy) =>
    asDutyFlags(
      'file-access',
      facts.requestId,
      fileAccessFlags(facts, today(now), policy.fileAccess),
      ['requestId'],
    ),
  columns: (facts, policy) => ({
    ...NO_COLUMNS,
    departmentId: facts.departmentId,
    caseId: facts.caseId,
    personId: facts.personId,
    receivedAt: facts.received.at,
    doneAt: facts.answered?.at ?? null,
    dueOn: fileAccessDeadline(facts.received.at, policy.fileAccess),
    outcome: facts.answered?.outcome ?? null,
  }),
};

export const journalDuty: DutyKind<ReturnType<typeof foldJournalFacts>> = {
  kind: 'journal',
  eventTypes: JOURNAL_EVENT_TYPES,
  stream: journalStream,
  recordIdOf: idField('caseId'),
  fold: (id, events, from) =>
    events.length === 0 && !from
      ? null
      : foldJournalFacts(id, identifiedEvents(events, isJournalEvent), from),
  flags: (facts, now, policy) =>
    asDutyFlags('journal', facts.caseId, journalFlags(facts, today(now), policy.journal), [
      'caseId',
    ]),
  outstanding: (facts, policy) => journalHasOpenDuty(facts, policy.journal),
  // The journal's department is its case's: the projector fills it in.
  columns: (facts) => ({ ...NO_COLUMNS, caseId: facts.caseId }),
};

/** A coordination meeting's agreements are followed up like duties (AGREEMENT_OVERDUE). */
export const meetingDuty: DutyKind<ReturnType<typeof foldMeetingFacts>> = {
  kind: 'meeting',
  eventTypes: MEETING_EVENT_TYPES,
  stream: meetingStream,
  recordIdOf: idField('meetingId'),
  fold: (id, events, from) => {
    const facts = foldMeetingFacts(id, identifiedEvents(events, isMeetingEvent), from);
    return facts.planned === null ? null : facts;
  },
  keepsEvents: true,
  flags: (facts, now) =>
    asDutyFlags('meeting', facts.meetingId, agreementFlags(facts, today(now)), ['meetingId']),
  columns: (facts) => ({
    ...NO_COLUMNS,
    departmentId: facts.planned?.chairDepartmentId ?? null,
    receivedAt: facts.planned?.plannedAt ?? null,
    dueOn: facts.planned?.date ?? null,
    doneAt: facts.approved?.approvedAt ?? null,
  }),
};

/** A case referred to the weekly visitation meeting, waiting to be routed (VISITATION_WAITING). */
export const visitationDuty: DutyKind<ReturnType<typeof foldReferralFacts>> = {
  kind: 'visitation',
  eventTypes: VISITATION_EVENT_TYPES,
  stream: visitationStream,
  recordIdOf: idField('referralId'),
  fold: (id, events, from) => {
    const facts = foldReferralFacts(id, identifiedEvents(events, isVisitationEvent), from);
    return facts.referred === null ? null : facts;
  },
  flags: (facts, now, policy) =>
    asDutyFlags(
      'visitation',
      facts.referralId,
      referralFlags(facts, today(now), policy.visitation),
      ['referralId'],
    ),
  columns: (facts) => ({
    ...NO_COLUMNS,
    departmentId: facts.referred?.departmentId ?? null,
    caseId: facts.referred?.caseId ?? null,
    personId: facts.referred?.personId ?? null,
    receivedAt: facts.referred?.referredAt ?? null,
    doneAt: facts.routed?.routedAt ?? facts.withdrawn?.withdrawnAt ?? null,
    outcome: facts.routed?.destination ?? (facts.withdrawn ? 'withdrawn' : null),
  }),
};

export const DUTIES: Readonly<Record<DutyKindName, DutyKind<never>>> = {
  inquiry: inquiryDuty as DutyKind<never>,
  application: applicationDuty as DutyKind<never>,
  complaint: complaintDuty as DutyKind<never>,
  'file-access': fileAccessDuty as DutyKind<never>,
  journal: journalDuty as DutyKind<never>,
  meeting: meetingDuty as DutyKind<never>,
  visitation: visitationDuty as DutyKind<never>,
};

const DUTY_OF_EVENT_TYPE: ReadonlyMap<string, DutyKind<never>> = new Map(
  Object.values(DUTIES).flatMap((duty) => [...duty.eventTypes].map((type) => [type, duty])),
);

/** Asked for every event of the log a rebuild reads: one lookup, not a search of the kinds. */
export function dutyOfEvent(type: string): DutyKind<never> | null {
  return DUTY_OF_EVENT_TYPE.get(type) ?? null;
}

/** Far enough ahead that every deadline has passed: a record with flags then still has a duty open. */
export const END_OF_TIME = new Date('9000-01-01T00:00:00Z');

/** Whether a record still has a duty open (its flags at END_OF_TIME), as the projection keeps it. */
export function isOutstanding<Facts>(
  duty: DutyKind<Facts>,
  facts: Facts,
  policy: CaseworkPolicy,
): boolean {
  return duty.outstanding
    ? duty.outstanding(facts, policy)
    : duty.flags(facts, END_OF_TIME, policy).length > 0;
}

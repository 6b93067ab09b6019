/**
 * Complaint figures and the one deadline flag, computed at read time against `today` (a Danish
 * calendar date passed in, never read here). The answer deadline for complaints is municipal
 * policy, not law: it is optional configuration.
 */
import type { ContactChannel } from '../cases/case.events';
import { calendarDaysBetween, dateParts, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { addWorkingDays, type WorkingDayOptions } from '../shared/danish-holidays';
import { assertNever } from '../shared/decider';
import type {
  ComplaintOutcome,
  ComplaintTopic,
  IdentifiedComplaintEvent,
} from './complaint.events';

export const COMPLAINT_FLAG_CODES = ['COMPLAINT_OVERDUE'] as const;
export type ComplaintFlagCode = (typeof COMPLAINT_FLAG_CODES)[number];

export type ComplaintFlagSeverity = 'warning' | 'overdue';

export interface ComplaintRules {
  /**
   * Answer a complaint within this many working days after the day of receipt (local policy).
   * Absent: no deadline, no flag.
   */
  readonly answerWithinWorkingDays?: number;
  readonly calendar?: WorkingDayOptions;
}

export const DEFAULT_COMPLAINT_RULES: ComplaintRules = { answerWithinWorkingDays: 20 };

export const COMPLAINT_RULE_TEXTS: { readonly [C in ComplaintFlagCode]: string } = {
  COMPLAINT_OVERDUE:
    'Municipal policy (not law): complaints are answered within the set number of working days',
};

/** A fact with the event that recorded it. */
export interface ComplaintFact {
  readonly eventId: string;
  readonly at: string;
}

/**
 * What the figures and flags are computed from. The live projection builds it from its tables,
 * the as-of history with `foldComplaintFacts`; both the same way.
 */
export interface ComplaintFacts {
  readonly complaintId: string;
  readonly departmentId: string;
  readonly caseId: string | null;
  readonly personId: string | null;
  readonly about: ComplaintTopic;
  readonly channel: ContactChannel;
  readonly received: ComplaintFact;
  readonly resolved: (ComplaintFact & { readonly outcome: ComplaintOutcome }) | null;
}

export interface ComplaintFlag {
  readonly code: ComplaintFlagCode;
  readonly complaintId: string;
  /** The last day on which the answer is on time ('YYYY-MM-DD'). */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: ComplaintFlagSeverity;
  /** The events the flag rests on, sorted. */
  readonly eventIds: readonly string[];
}

/**
 * Folds one complaint stream (in order, with event ids); null before it is registered. From
 * `from` when given, the facts of the events before these.
 */
export function foldComplaintFacts(
  complaintId: string,
  events: readonly IdentifiedComplaintEvent[],
  from: ComplaintFacts | null = null,
): ComplaintFacts | null {
  let facts = from;
  for (const event of events) {
    switch (event.type) {
      case 'ComplaintRegistered':
        facts = {
          complaintId,
          departmentId: event.data.departmentId,
          caseId: event.data.caseId,
          personId: event.data.personId,
          about: event.data.about,
          channel: event.data.channel,
          received: { eventId: event.id, at: event.data.receivedAt },
          resolved: null,
        };
        break;
      case 'ComplaintResolved':
        if (facts !== null) {
          facts = {
            ...facts,
            resolved: { eventId: event.id, at: event.data.resolvedAt, outcome: event.data.outcome },
          };
        }
        break;
      default:
        return assertNever(event);
    }
  }
  return facts;
}

/**
 * Calendar days from the Danish date of receipt to the Danish date of resolution (0 when
 * resolved the same day); null while open.
 */
export function complaintProcessingDays(facts: ComplaintFacts): number | null {
  if (facts.resolved === null) return null;
  return calendarDaysBetween(danishDate(facts.received.at), danishDate(facts.resolved.at));
}

/** The last day to answer on time, or null when the rules set no deadline. */
export function complaintAnswerDueDate(
  facts: ComplaintFacts,
  rules: ComplaintRules = DEFAULT_COMPLAINT_RULES,
): IsoDate | null {
  const days = checkedDays(rules);
  if (days === null) return null;
  return addWorkingDays(danishDate(facts.received.at), days, rules.calendar);
}

/** The open flags of a complaint on `today`: COMPLAINT_OVERDUE once past the due date. */
export function complaintFlags(
  facts: ComplaintFacts,
  today: IsoDate,
  rules: ComplaintRules = DEFAULT_COMPLAINT_RULES,
): ComplaintFlag[] {
  dateParts(today);
  const dueDate = complaintAnswerDueDate(facts, rules);
  if (dueDate === null || facts.resolved !== null || today <= dueDate) return [];
  return [
    {
      code: 'COMPLAINT_OVERDUE',
      complaintId: facts.complaintId,
      dueDate,
      rule: COMPLAINT_RULE_TEXTS.COMPLAINT_OVERDUE,
      severity: 'overdue',
      eventIds: [facts.received.eventId],
    },
  ];
}

function checkedDays(rules: ComplaintRules): number | null {
  const days = rules.answerWithinWorkingDays;
  if (days === undefined) return null;
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new RangeError('Complaint rules are whole, non-negative numbers');
  }
  return days;
}

function danishDate(instant: string): IsoDate {
  return copenhagenDateOf(new Date(instant));
}

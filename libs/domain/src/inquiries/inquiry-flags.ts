/**
 * Deadlines of one citizen inquiry, computed at read time against `now` (an instant passed in,
 * never read here): the acknowledgement limit is counted in hours, so a calendar day is not
 * precise enough. Both the live projection (facts from its tables) and the as-of history
 * (`foldInquiryFacts`) compute flags from the same facts.
 */
import type { ContactChannel } from '../cases/case.events';
import { type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf, endOfCopenhagenDay } from '../shared/copenhagen-time';
import { assertNever } from '../shared/decider';
import type { IdentifiedInquiryEvent } from './inquiry.events';

export const INQUIRY_FLAG_CODES = ['ACK_OVERDUE', 'ANSWER_OVERDUE'] as const;
export type InquiryFlagCode = (typeof INQUIRY_FLAG_CODES)[number];

export type InquiryFlagSeverity = 'warning' | 'overdue';

export interface InquiryRules {
  /** Hours after receipt within which the citizen must be acknowledged (local policy). */
  readonly acknowledgeWithinHours: number;
}

/** Holbæk: acknowledge within 48 hours and say when the answer will come. */
export const DEFAULT_INQUIRY_RULES: InquiryRules = { acknowledgeWithinHours: 48 };

export const INQUIRY_RULE_TEXTS: { readonly [C in InquiryFlagCode]: string } = {
  ACK_OVERDUE:
    'Local policy (Holbæk): acknowledge an inquiry within the set hours and say when the answer will come',
  ANSWER_OVERDUE: 'Local policy (Holbæk): answer by the date promised to the citizen',
};

/** A fact with the event that recorded it. */
export interface InquiryFact {
  readonly eventId: string;
  readonly at: string;
}

export interface InquiryFacts {
  readonly inquiryId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseId: string | null;
  readonly channel: ContactChannel;
  readonly received: InquiryFact;
  readonly acknowledged: (InquiryFact & { readonly channel: ContactChannel }) | null;
  /** The latest promised answer date and the event that set it (acknowledgement or postponement). */
  readonly promise: { readonly eventId: string; readonly answerPromisedBy: IsoDate } | null;
  /** The date promised in the acknowledgement (for figures on postponements). */
  readonly firstPromisedBy: IsoDate | null;
  readonly postponements: number;
  readonly answered: (InquiryFact & { readonly channel: ContactChannel }) | null;
}

export interface InquiryFlag {
  readonly code: InquiryFlagCode;
  readonly inquiryId: string;
  /** The last Danish calendar day on which the step is on time. */
  readonly dueDate: IsoDate;
  /** The last instant on time (ISO, UTC): receipt + the hours, or the end of the promised day. */
  readonly dueAt: string;
  readonly rule: string;
  readonly severity: InquiryFlagSeverity;
  /** The events the flag rests on, sorted. */
  readonly eventIds: readonly string[];
}

const MS_PER_HOUR = 3_600_000;

/** The last instant on which an acknowledgement is on time: receipt + the hours (elapsed time). */
export function inquiryAckDeadline(receivedAt: Date, rules: InquiryRules): Date {
  checkRules(rules);
  return new Date(receivedAt.getTime() + rules.acknowledgeWithinHours * MS_PER_HOUR);
}

/**
 * Folds one inquiry stream (in order, with event ids) into facts; null when the stream holds no
 * InquiryReceived (e.g. as of a time before the receipt). From `from` when given, the facts of
 * the events before these.
 */
export function foldInquiryFacts(
  inquiryId: string,
  events: readonly IdentifiedInquiryEvent[],
  from: InquiryFacts | null = null,
): InquiryFacts | null {
  let facts: InquiryFacts | null = from;
  for (const event of events) {
    const eventId = event.id;
    if (event.type === 'InquiryReceived') {
      facts = {
        inquiryId,
        personId: event.data.personId,
        departmentId: event.data.departmentId,
        caseId: event.data.caseId,
        channel: event.data.channel,
        received: { eventId, at: event.data.receivedAt },
        acknowledged: null,
        promise: null,
        firstPromisedBy: null,
        postponements: 0,
        answered: null,
      };
      continue;
    }
    if (facts === null) continue;
    switch (event.type) {
      case 'InquiryAcknowledged':
        facts = {
          ...facts,
          acknowledged: { eventId, at: event.data.acknowledgedAt, channel: event.data.channel },
          promise: { eventId, answerPromisedBy: event.data.answerPromisedBy },
          firstPromisedBy: event.data.answerPromisedBy,
        };
        break;
      case 'InquiryAnswerPostponed':
        facts = {
          ...facts,
          promise: { eventId, answerPromisedBy: event.data.answerPromisedBy },
          postponements: facts.postponements + 1,
        };
        break;
      case 'InquiryAnswered':
        facts = {
          ...facts,
          answered: { eventId, at: event.data.answeredAt, channel: event.data.channel },
        };
        break;
      default:
        return assertNever(event);
    }
  }
  return facts;
}

/**
 * The open flags of an inquiry at `now`, by due time. ACK_OVERDUE: neither acknowledged nor
 * answered once the hours have passed (an answer is the acknowledgement; a late acknowledgement
 * clears the flag, see `acknowledgedInTime` for figures). ANSWER_OVERDUE: acknowledged, not
 * answered, and the Danish date of `now` is after the latest promised date.
 */
export function inquiryFlags(
  facts: InquiryFacts,
  now: Date,
  rules: InquiryRules = DEFAULT_INQUIRY_RULES,
): InquiryFlag[] {
  const today = copenhagenDateOf(now);
  const flags: InquiryFlag[] = [];
  if (facts.answered !== null) return flags;

  if (facts.acknowledged === null) {
    const dueAt = inquiryAckDeadline(new Date(facts.received.at), rules);
    if (now.getTime() > dueAt.getTime()) {
      flags.push({
        code: 'ACK_OVERDUE',
        inquiryId: facts.inquiryId,
        dueDate: copenhagenDateOf(dueAt),
        dueAt: dueAt.toISOString(),
        rule: INQUIRY_RULE_TEXTS.ACK_OVERDUE,
        severity: 'overdue',
        eventIds: [facts.received.eventId],
      });
    }
  } else if (facts.promise !== null && today > facts.promise.answerPromisedBy) {
    const promisedBy = facts.promise.answerPromisedBy;
    flags.push({
      code: 'ANSWER_OVERDUE',
      inquiryId: facts.inquiryId,
      dueDate: promisedBy,
      dueAt: endOfCopenhagenDay(promisedBy).toISOString(),
      rule: INQUIRY_RULE_TEXTS.ANSWER_OVERDUE,
      severity: 'overdue',
      eventIds: [...new Set([facts.acknowledged.eventId, facts.promise.eventId])].sort(),
    });
  }
  return flags;
}

/**
 * Whether the citizen got an acknowledgement (or the answer itself, whichever came first) within
 * the hours; null while neither has happened.
 */
export function acknowledgedInTime(facts: InquiryFacts, rules: InquiryRules): boolean | null {
  const times = [facts.acknowledged?.at, facts.answered?.at]
    .filter((at): at is string => at !== undefined)
    .map((at) => new Date(at).getTime());
  if (times.length === 0) return null;
  const deadline = inquiryAckDeadline(new Date(facts.received.at), rules);
  return Math.min(...times) <= deadline.getTime();
}

/**
 * Whether the answer came by the date promised (the latest promise, postponements included);
 * null while unanswered or when no date was promised (answered without acknowledgement).
 */
export function answeredByPromise(facts: InquiryFacts): boolean | null {
  if (facts.answered === null || facts.promise === null) return null;
  return copenhagenDateOf(new Date(facts.answered.at)) <= facts.promise.answerPromisedBy;
}

function checkRules(rules: InquiryRules): void {
  const hours = rules.acknowledgeWithinHours;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
    throw new RangeError('acknowledgeWithinHours is a non-negative number');
  }
}

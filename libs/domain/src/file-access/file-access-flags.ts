/**
 * The answer deadline of a request for access to one's file (Offentlighedsloven § 36,
 * Forvaltningsloven § 16): answer within 7 working days after the day of receipt, or tell the
 * requester before then why it takes longer and when the answer can be expected. Computed at
 * read time against `today` (a Danish calendar date passed in, never read here).
 */
import type { ContactChannel } from '../cases/case.events';
import { dateParts, type IsoDate } from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { addWorkingDays, type WorkingDayOptions } from '../shared/danish-holidays';
import { assertNever } from '../shared/decider';
import { receivedOn, type PostalDelay } from '../shared/letters';
import type {
  FileAccessDelayReason,
  FileAccessOutcome,
  IdentifiedFileAccessEvent,
} from './file-access.events';

export const FILE_ACCESS_FLAG_CODES = ['FILE_ACCESS_OVERDUE'] as const;
export type FileAccessFlagCode = (typeof FILE_ACCESS_FLAG_CODES)[number];

export type FileAccessFlagSeverity = 'warning' | 'overdue';

export interface FileAccessRules {
  /** Working days after the day of receipt (the law's 7; the day of receipt is not counted). */
  readonly answerWithinWorkingDays: number;
  readonly calendar?: WorkingDayOptions;
  /**
   * When set, a delay letter sent by physical post (channel 'letter': citizens exempt from
   * Digital Post) counts from the day it is received, so it must leave earlier. When absent,
   * the Danish date it was sent counts.
   */
  readonly postal?: PostalDelay;
}

export const DEFAULT_FILE_ACCESS_RULES: FileAccessRules = { answerWithinWorkingDays: 7 };

export const FILE_ACCESS_RULE_TEXTS: { readonly [C in FileAccessFlagCode]: string } = {
  FILE_ACCESS_OVERDUE:
    'Offentlighedsloven § 36 / Forvaltningsloven § 16: answer within 7 working days, or tell ' +
    'the requester in time why not and when the answer can be expected',
};

/** A fact with the event that recorded it. */
export interface FileAccessFact {
  readonly eventId: string;
  readonly at: string;
}

export interface FileAccessDelayLetterFact extends FileAccessFact {
  readonly channel: ContactChannel;
  readonly reason: FileAccessDelayReason;
  readonly expectedBy: IsoDate;
}

/**
 * What the flags are computed from. The live projection builds it from its tables, the as-of
 * history with `foldFileAccessFacts`; both the same way.
 */
export interface FileAccessFacts {
  readonly requestId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseId: string | null;
  readonly channel: ContactChannel;
  readonly received: FileAccessFact;
  /** In the order sent. */
  readonly delayLetters: readonly FileAccessDelayLetterFact[];
  readonly answered:
    | (FileAccessFact & { readonly outcome: FileAccessOutcome; readonly channel: ContactChannel })
    | null;
}

export interface FileAccessFlag {
  readonly code: FileAccessFlagCode;
  readonly requestId: string;
  /** The last day on which the answer is on time ('YYYY-MM-DD'). */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: FileAccessFlagSeverity;
  /** The receipt and the delay letters that moved the due date, sorted. */
  readonly eventIds: readonly string[];
}

/**
 * Folds one request's stream (in order, with event ids); null before it is received. From `from`
 * when given, the facts of the events before these.
 */
export function foldFileAccessFacts(
  requestId: string,
  events: readonly IdentifiedFileAccessEvent[],
  from: FileAccessFacts | null = null,
): FileAccessFacts | null {
  let facts = from;
  for (const event of events) {
    switch (event.type) {
      case 'FileAccessRequested':
        facts = {
          requestId,
          personId: event.data.personId,
          departmentId: event.data.departmentId,
          caseId: event.data.caseId,
          channel: event.data.channel,
          received: { eventId: event.id, at: event.data.receivedAt },
          delayLetters: [],
          answered: null,
        };
        break;
      case 'FileAccessDelayLetterSent':
        if (facts !== null) {
          facts = {
            ...facts,
            delayLetters: [
              ...facts.delayLetters,
              {
                eventId: event.id,
                at: event.data.sentAt,
                channel: event.data.channel,
                reason: event.data.reason,
                expectedBy: event.data.expectedBy,
              },
            ],
          };
        }
        break;
      case 'FileAccessAnswered':
        if (facts !== null) {
          facts = {
            ...facts,
            answered: {
              eventId: event.id,
              at: event.data.answeredAt,
              outcome: event.data.outcome,
              channel: event.data.channel,
            },
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
 * The normal deadline: the `answerWithinWorkingDays`-th working day after the Danish date of
 * receipt (a request received on a Saturday counts from Monday's first working day on).
 */
export function fileAccessDeadline(
  receivedAt: string,
  rules: FileAccessRules = DEFAULT_FILE_ACCESS_RULES,
): IsoDate {
  checkRules(rules);
  return addWorkingDays(danishDate(receivedAt), rules.answerWithinWorkingDays, rules.calendar);
}

/** The day a delay letter counts as given: sent, or received when sent by post (see rules). */
export function delayLetterCountsOn(
  letter: Pick<FileAccessDelayLetterFact, 'at' | 'channel'>,
  rules: FileAccessRules = DEFAULT_FILE_ACCESS_RULES,
): IsoDate {
  const sentOn = danishDate(letter.at);
  return rules.postal === undefined ? sentOn : receivedOn(sentOn, letter.channel, rules.postal);
}

/**
 * The last day the answer is on time: the normal deadline, moved to a delay letter's expected
 * date when that letter counts on or before the due date in force (so a second letter before
 * the first letter's date moves it again; a late letter moves nothing). With the events that
 * set it.
 */
export function fileAccessAnswerDue(
  facts: FileAccessFacts,
  rules: FileAccessRules = DEFAULT_FILE_ACCESS_RULES,
): { readonly dueDate: IsoDate; readonly eventIds: readonly string[] } {
  let dueDate = fileAccessDeadline(facts.received.at, rules);
  const eventIds = [facts.received.eventId];
  for (const letter of facts.delayLetters) {
    if (delayLetterCountsOn(letter, rules) <= dueDate && letter.expectedBy > dueDate) {
      dueDate = letter.expectedBy;
      eventIds.push(letter.eventId);
    }
  }
  return { dueDate, eventIds: eventIds.sort() };
}

/**
 * Whether the answer came on time: on or before the due date (the normal deadline, or the
 * expected date of a delay letter given in time). The Danish date the answer was given counts;
 * null while unanswered.
 */
export function fileAccessAnsweredInTime(
  facts: FileAccessFacts,
  rules: FileAccessRules = DEFAULT_FILE_ACCESS_RULES,
): boolean | null {
  if (facts.answered === null) return null;
  return danishDate(facts.answered.at) <= fileAccessAnswerDue(facts, rules).dueDate;
}

/** FILE_ACCESS_OVERDUE while unanswered and `today` is after the due date. */
export function fileAccessFlags(
  facts: FileAccessFacts,
  today: IsoDate,
  rules: FileAccessRules = DEFAULT_FILE_ACCESS_RULES,
): FileAccessFlag[] {
  dateParts(today);
  const { dueDate, eventIds } = fileAccessAnswerDue(facts, rules);
  if (facts.answered !== null || today <= dueDate) return [];
  return [
    {
      code: 'FILE_ACCESS_OVERDUE',
      requestId: facts.requestId,
      dueDate,
      rule: FILE_ACCESS_RULE_TEXTS.FILE_ACCESS_OVERDUE,
      severity: 'overdue',
      eventIds,
    },
  ];
}

function checkRules(rules: FileAccessRules): void {
  const days = rules.answerWithinWorkingDays;
  const delivery = rules.postal?.deliveryDays ?? 0;
  if (![days, delivery].every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError('File-access rules are whole, non-negative numbers');
  }
}

function danishDate(instant: string): IsoDate {
  return copenhagenDateOf(new Date(instant));
}

/**
 * Deadlines and gaps of one application, computed at read time against `today` (a Danish
 * calendar date passed in, never read here). Both the live projection (facts from its tables)
 * and the as-of history (`foldApplicationFacts`) compute flags from the same facts; the postal
 * delay is a rule, so whether a notice arrived in time is judged here, not stored.
 */
import type { ContactChannel } from '../cases/case.events';
import {
  addCalendarDays,
  calendarDaysBetween,
  dateParts,
  type IsoDate,
} from '../shared/calendar-dates';
import { copenhagenDateOf } from '../shared/copenhagen-time';
import { assertNever } from '../shared/decider';
import { DEFAULT_POSTAL_DELAY, type PostalDelay } from '../shared/letters';
import type {
  BoardRulingOutcome,
  DecisionChecklist,
  DecisionItem,
  DecisionOutcome,
  DelayReason,
  IdentifiedApplicationEvent,
  PublishedDeadline,
  ReassessmentOutcome,
} from './application.events';
import { decisionStands, missingDecisionItems } from './decision-checklist';
import {
  lastDayToSendDelayNotice,
  noticeReceivedOn,
  processingDeadline,
} from './processing-deadline';

export const APPLICATION_FLAG_CODES = [
  'DEADLINE_APPROACHING',
  'OVERDUE_WITHOUT_NOTICE',
  'OVERDUE',
  'DECISION_INCOMPLETE',
  'APOLOGY_MISSING',
] as const;
export type ApplicationFlagCode = (typeof APPLICATION_FLAG_CODES)[number];

export type ApplicationFlagSeverity = 'warning' | 'overdue';

export interface ApplicationRules {
  /** Warn this many calendar days before the last day to send a delay notice (policy). */
  readonly deadlineWarningDays: number;
  /** How long physical post takes to count as received (guidance; configurable). */
  readonly postal: PostalDelay;
}

export const DEFAULT_APPLICATION_RULES: ApplicationRules = {
  deadlineWarningDays: 14,
  postal: DEFAULT_POSTAL_DELAY,
};

export const APPLICATION_RULE_TEXTS: { readonly [C in ApplicationFlagCode]: string } = {
  DEADLINE_APPROACHING: 'Retssikkerhedsloven § 3 stk. 2',
  OVERDUE_WITHOUT_NOTICE: 'Retssikkerhedsloven § 3 stk. 2',
  OVERDUE: 'Retssikkerhedsloven § 3 stk. 2',
  DECISION_INCOMPLETE: 'Forvaltningsloven §§ 19, 22, 24, 25',
  APOLOGY_MISSING:
    'Local policy (Holbæk): an apology with the notice when the appeals board changes a decision',
};

/** A fact with the event that recorded it. */
export interface ApplicationFact {
  readonly eventId: string;
  readonly at: string;
}

export interface DelayNoticeFact extends ApplicationFact {
  readonly channel: ContactChannel;
  readonly expectedDecisionBy: IsoDate;
  readonly reason: DelayReason;
}

export interface DecisionFacts extends ApplicationFact {
  readonly decisionId: string;
  readonly outcome: DecisionOutcome;
  readonly checklist: DecisionChecklist;
  readonly supplements: readonly (ApplicationFact & {
    readonly supplied: readonly DecisionItem[];
  })[];
  readonly appealed: ApplicationFact | null;
  readonly reassessed: (ApplicationFact & { readonly outcome: ReassessmentOutcome }) | null;
  readonly forwarded: ApplicationFact | null;
  readonly ruled: (ApplicationFact & { readonly outcome: BoardRulingOutcome }) | null;
  readonly apology: ApplicationFact | null;
}

export interface ApplicationFacts {
  readonly applicationId: string;
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  readonly received: ApplicationFact;
  readonly applicationDate: IsoDate;
  readonly publishedDeadline: PublishedDeadline;
  readonly exemptFromDigitalPost: boolean;
  /** `processingDeadline(applicationDate, publishedDeadline)`, kept for queries. */
  readonly deadline: IsoDate;
  /** In the order sent. */
  readonly delayNotices: readonly DelayNoticeFact[];
  /** In the order issued. */
  readonly decisions: readonly DecisionFacts[];
  /** The ruling that sent the case back, while the new decision is awaited. */
  readonly awaitingNewDecisionSince: ApplicationFact | null;
}

export interface ApplicationFlag {
  readonly code: ApplicationFlagCode;
  readonly applicationId: string;
  /** The decision the flag is about (DECISION_INCOMPLETE, APOLOGY_MISSING), else null. */
  readonly decisionId: string | null;
  /** The last day on which the step is on time ('YYYY-MM-DD'). */
  readonly dueDate: IsoDate;
  readonly rule: string;
  readonly severity: ApplicationFlagSeverity;
  /** The events the flag rests on, sorted. */
  readonly eventIds: readonly string[];
  /** DECISION_INCOMPLETE: what the decision lacks, in DECISION_ITEMS order; else empty. */
  readonly missing: readonly DecisionItem[];
}

/**
 * Folds one application stream (in order, with event ids) into facts; null when the stream holds
 * no ApplicationReceived (e.g. as of a time before the receipt). From `from` when given, the facts
 * of the events before these.
 */
export function foldApplicationFacts(
  applicationId: string,
  events: readonly IdentifiedApplicationEvent[],
  from: ApplicationFacts | null = null,
): ApplicationFacts | null {
  let facts: ApplicationFacts | null = from;
  const onDecision = (
    current: ApplicationFacts,
    decisionId: string,
    update: (decision: DecisionFacts) => DecisionFacts,
  ): ApplicationFacts => ({
    ...current,
    decisions: current.decisions.map((decision) =>
      decision.decisionId === decisionId ? update(decision) : decision,
    ),
  });
  for (const event of events) {
    const eventId = event.id;
    if (event.type === 'ApplicationReceived') {
      const { data } = event;
      facts = {
        applicationId,
        caseId: data.caseId,
        personId: data.personId,
        departmentId: data.departmentId,
        caseType: data.caseType,
        received: { eventId, at: data.receivedAt },
        applicationDate: data.applicationDate,
        publishedDeadline: data.publishedDeadline,
        exemptFromDigitalPost: data.exemptFromDigitalPost,
        deadline: processingDeadline(data.applicationDate, data.publishedDeadline),
        delayNotices: [],
        decisions: [],
        awaitingNewDecisionSince: null,
      };
      continue;
    }
    if (facts === null) continue;
    switch (event.type) {
      case 'DelayNoticeSent':
        facts = {
          ...facts,
          delayNotices: [
            ...facts.delayNotices,
            {
              eventId,
              at: event.data.sentAt,
              channel: event.data.channel,
              expectedDecisionBy: event.data.expectedDecisionBy,
              reason: event.data.reason,
            },
          ],
        };
        break;
      case 'DecisionIssued':
        facts = {
          ...facts,
          decisions: [
            ...facts.decisions,
            {
              eventId,
              at: event.data.decidedAt,
              decisionId: event.data.decisionId,
              outcome: event.data.outcome,
              checklist: event.data.checklist,
              supplements: [],
              appealed: null,
              reassessed: null,
              forwarded: null,
              ruled: null,
              apology: null,
            },
          ],
          awaitingNewDecisionSince: null,
        };
        break;
      case 'DecisionSupplemented': {
        const supplement = { eventId, at: event.data.suppliedAt, supplied: event.data.supplied };
        facts = onDecision(facts, event.data.decisionId, (decision) => ({
          ...decision,
          supplements: [...decision.supplements, supplement],
        }));
        break;
      }
      case 'DecisionAppealed': {
        const appealed = { eventId, at: event.data.appealedAt };
        facts = onDecision(facts, event.data.decisionId, (decision) => ({ ...decision, appealed }));
        break;
      }
      case 'AppealReassessed': {
        const reassessed = { eventId, at: event.data.reassessedAt, outcome: event.data.outcome };
        facts = onDecision(facts, event.data.decisionId, (d) => ({ ...d, reassessed }));
        break;
      }
      case 'AppealForwardedToBoard': {
        const forwarded = { eventId, at: event.data.forwardedAt };
        facts = onDecision(facts, event.data.decisionId, (d) => ({ ...d, forwarded }));
        break;
      }
      case 'AppealBoardRuled': {
        const ruled = { eventId, at: event.data.ruledAt, outcome: event.data.outcome };
        facts = onDecision(facts, event.data.decisionId, (d) => ({ ...d, ruled }));
        if (event.data.outcome === 'sent-back') {
          facts = { ...facts, awaitingNewDecisionSince: { eventId, at: event.data.ruledAt } };
        }
        break;
      }
      case 'ApologySent': {
        const apology = { eventId, at: event.data.sentAt };
        facts = onDecision(facts, event.data.decisionId, (d) => ({ ...d, apology }));
        break;
      }
      default:
        return assertNever(event);
    }
  }
  return facts;
}

export interface JudgedDelayNotice {
  readonly eventId: string;
  /** The Danish day the notice counts as received (later by physical post). */
  readonly receivedOn: IsoDate;
  /** The date it had to be received by: the deadline, or the date the last timely notice gave. */
  readonly extends: IsoDate;
  /** Received on or before `extends`: only then does its date replace it. */
  readonly timely: boolean;
}

export interface DelayNoticeJudgement {
  readonly notices: readonly JudgedDelayNotice[];
  /** The deadline, or the date of the latest timely notice. */
  readonly expectedDecisionBy: IsoDate;
}

/**
 * Judges the delay notices in order: each must count as received on or before the date it
 * extends (§ 3 stk. 2: notice before the deadline runs out); a late one extends nothing.
 */
export function judgeDelayNotices(
  facts: ApplicationFacts,
  postal: PostalDelay = DEFAULT_POSTAL_DELAY,
): DelayNoticeJudgement {
  let expectedDecisionBy = facts.deadline;
  const notices: JudgedDelayNotice[] = [];
  for (const notice of facts.delayNotices) {
    const received = noticeReceivedOn(notice.at, notice.channel, postal);
    const timely = received <= expectedDecisionBy;
    notices.push({
      eventId: notice.eventId,
      receivedOn: received,
      extends: expectedDecisionBy,
      timely,
    });
    if (timely) expectedDecisionBy = notice.expectedDecisionBy;
  }
  return { notices, expectedDecisionBy };
}

/**
 * The open flags of an application on `today`, most urgent first (by due date, then overdue
 * before warning, then code, then decision id).
 *
 * Undecided: DEADLINE_APPROACHING from `deadlineWarningDays` before the last day a delay notice
 * can be sent in time until the deadline itself, while no notice arrived in time;
 * OVERDUE_WITHOUT_NOTICE after the deadline without one; OVERDUE after the date the latest
 * timely notice gave. After the first decision none of these: a case the board sent back has
 * no published deadline for the new decision. Per decision: DECISION_INCOMPLETE while items
 * are missing and the decision stands (not changed or sent back on appeal); APOLOGY_MISSING
 * after a ruling 'changed' or 'sent-back' without an apology.
 */
export function applicationFlags(
  facts: ApplicationFacts,
  today: IsoDate,
  rules: ApplicationRules = DEFAULT_APPLICATION_RULES,
): ApplicationFlag[] {
  checkRules(rules);
  dateParts(today);
  const flags: ApplicationFlag[] = [];
  const raise = (
    code: ApplicationFlagCode,
    dueDate: IsoDate,
    severity: ApplicationFlagSeverity,
    eventIds: readonly string[],
    decisionId: string | null = null,
    missing: readonly DecisionItem[] = [],
  ): void => {
    flags.push({
      code,
      applicationId: facts.applicationId,
      decisionId,
      dueDate,
      rule: APPLICATION_RULE_TEXTS[code],
      severity,
      eventIds: [...new Set(eventIds)].sort(),
      missing,
    });
  };

  if (facts.decisions.length === 0) {
    const judged = judgeDelayNotices(facts, rules.postal);
    const restsOn = [facts.received.eventId, ...facts.delayNotices.map((n) => n.eventId)];
    if (!judged.notices.some((notice) => notice.timely)) {
      if (today > facts.deadline) {
        raise('OVERDUE_WITHOUT_NOTICE', facts.deadline, 'overdue', restsOn);
      } else {
        const lastSend = lastDayToSendDelayNotice(
          facts.deadline,
          facts.exemptFromDigitalPost,
          rules.postal,
        );
        if (today >= addCalendarDays(lastSend, -rules.deadlineWarningDays)) {
          raise('DEADLINE_APPROACHING', lastSend, 'warning', restsOn);
        }
      }
    } else if (today > judged.expectedDecisionBy) {
      raise('OVERDUE', judged.expectedDecisionBy, 'overdue', restsOn);
    }
  }

  for (const decision of facts.decisions) {
    const supplied = decision.supplements.flatMap((supplement) => supplement.supplied);
    const missing = missingDecisionItems(decision, supplied);
    const stands = decisionStands(
      decision.reassessed?.outcome ?? null,
      decision.ruled?.outcome ?? null,
    );
    if (stands && missing.length > 0) {
      raise(
        'DECISION_INCOMPLETE',
        copenhagenDateOf(new Date(decision.at)),
        'overdue',
        [decision.eventId, ...decision.supplements.map((supplement) => supplement.eventId)],
        decision.decisionId,
        missing,
      );
    }
    const ruled = decision.ruled;
    if (ruled !== null && ruled.outcome !== 'upheld' && decision.apology === null) {
      raise(
        'APOLOGY_MISSING',
        copenhagenDateOf(new Date(ruled.at)),
        'overdue',
        [ruled.eventId],
        decision.decisionId,
      );
    }
  }

  const rank = (severity: ApplicationFlagSeverity): number => (severity === 'overdue' ? 0 : 1);
  return flags.sort(
    (a, b) =>
      compare(a.dueDate, b.dueDate) ||
      rank(a.severity) - rank(b.severity) ||
      compare(a.code, b.code) ||
      compare(a.decisionId ?? '', b.decisionId ?? ''),
  );
}

/**
 * Whether the first decision came on or before the published deadline (its Danish date), for
 * deadline-compliance figures; null while undecided. Delay notices do not move the deadline.
 */
export function decidedWithinDeadline(facts: ApplicationFacts): boolean | null {
  const first = facts.decisions[0];
  if (first === undefined) return null;
  return copenhagenDateOf(new Date(first.at)) <= facts.deadline;
}

/** Calendar days from the application date to the first decision's Danish date; null if none. */
export function processingDays(facts: ApplicationFacts): number | null {
  const first = facts.decisions[0];
  if (first === undefined) return null;
  return calendarDaysBetween(facts.applicationDate, copenhagenDateOf(new Date(first.at)));
}

function checkRules(rules: ApplicationRules): void {
  const numbers: readonly number[] = [rules.deadlineWarningDays, rules.postal.deliveryDays];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError('Application rules are whole, non-negative numbers');
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

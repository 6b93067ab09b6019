// A case's duty records over its life, as events: the inquiries (received, acknowledged,
// answered), the applications (received, a notice of delay now and then, decided) and the
// journal (contacts and documents). Without them a generated log is only households, cases and
// assignments, some 13 events a family, while the domain's municipality has about a hundred
// (a million events for 10,000 families) and the national installation about two hundred: the
// duty records are most of a real log, and most of the casework and alert projectors' work.
//
// Typed against the domain's events, made with the generator's seeded random, in each stream's
// order of time; the steps are plausible, not checked by the deciders (test data, like the rest
// of the generated log).
import { randomUUID } from 'node:crypto';
import {
  applicationStream,
  inquiryStream,
  journalStream,
  type ApplicationReceived,
  type ContactChannel,
  type ContactJournaled,
  type DecisionIssued,
  type DelayNoticeSent,
  type DocumentJournaled,
  type InquiryAcknowledged,
  type InquiryAnswered,
  type InquiryReceived,
} from '@tovholder/domain';

/** What a case's records need to know of it. */
export interface RecordedCase {
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  /** Epoch ms. */
  readonly opened: number;
}

export interface CaseRecordStream {
  readonly streamId: string;
  readonly events: readonly { readonly type: string; readonly data: object; readonly at: string }[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/**
 * Per case at `recordsPerCase` 1 (about 24 events): two inquiries, one application, ten contacts
 * and four documents in the journal. With a case's own three events and a household's five,
 * four cases a family make the domain's municipal ~100 events a family.
 */
const PER_CASE = { inquiries: 2, applications: 1, contacts: 10, documents: 4 };
const INQUIRY_CHANNELS: readonly ContactChannel[] = ['phone', 'digital-post', 'e-mail'];

const isoTime = (time: number): string => new Date(time).toISOString();
const isoDate = (time: number): string => isoTime(time).slice(0, 10);

/** A whole count with `mean` as its mean: the floor, plus one with the fraction's chance. */
function countAround(mean: number, random: () => number): number {
  const whole = Math.floor(mean);
  return whole + (random() < mean - whole ? 1 : 0);
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] ?? (items[0] as T);
}

/** The streams of one case's records, each with its events in order of time. */
export function caseRecordStreams(
  recorded: RecordedCase,
  recordsPerCase: number,
  random: () => number,
  now: number,
): CaseRecordStream[] {
  const life = Math.max(DAY_MS, now - recorded.opened - HOUR_MS);
  const during = () => recorded.opened + random() * life;
  const streams: CaseRecordStream[] = [];
  for (let n = countAround(PER_CASE.inquiries * recordsPerCase, random); n > 0; n -= 1) {
    streams.push(inquiry(recorded, during(), random, now));
  }
  for (let n = countAround(PER_CASE.applications * recordsPerCase, random); n > 0; n -= 1) {
    streams.push(application(recorded, during(), random, now));
  }
  const journal: { time: number; type: string; data: object }[] = [];
  for (let n = countAround(PER_CASE.contacts * recordsPerCase, random); n > 0; n -= 1) {
    const time = during();
    const contact: ContactJournaled = {
      type: 'ContactJournaled',
      data: {
        caseId: recorded.caseId,
        entryId: randomUUID(),
        occurredAt: isoTime(time),
        journaledAt: isoTime(time + random() * HOUR_MS),
        channel: pick(INQUIRY_CHANNELS, random),
        direction: random() < 0.5 ? 'from-citizen' : 'to-citizen',
        subject: 'follow-up',
        containsPersonalData: random() < 0.3,
        noteId: null,
      },
    };
    journal.push({ time, ...contact });
  }
  for (let n = countAround(PER_CASE.documents * recordsPerCase, random); n > 0; n -= 1) {
    const time = during();
    const document: DocumentJournaled = {
      type: 'DocumentJournaled',
      data: {
        caseId: recorded.caseId,
        entryId: randomUUID(),
        documentDate: isoDate(time),
        kind: random() < 0.5 ? 'letter' : 'statement',
        subject: 'case-document',
        journaledAt: isoTime(time),
      },
    };
    journal.push({ time, ...document });
  }
  if (journal.length > 0) {
    journal.sort((a, b) => a.time - b.time);
    streams.push({
      streamId: journalStream(recorded.caseId),
      events: journal.map(({ time, type, data }) => ({ type, data, at: isoTime(time) })),
    });
  }
  return streams;
}

/** Received; acknowledged within two days (nine in ten); answered within three weeks. */
function inquiry(
  recorded: RecordedCase,
  received: number,
  random: () => number,
  now: number,
): CaseRecordStream {
  const inquiryId = randomUUID();
  const channel = pick(INQUIRY_CHANNELS, random);
  const events: CaseRecordStream['events'][number][] = [];
  const receivedEvent: InquiryReceived = {
    type: 'InquiryReceived',
    data: {
      inquiryId,
      personId: recorded.personId,
      departmentId: recorded.departmentId,
      caseId: recorded.caseId,
      channel,
      receivedAt: isoTime(received),
    },
  };
  events.push({ ...receivedEvent, at: receivedEvent.data.receivedAt });
  const acknowledged = received + (random() < 0.9 ? random() * 40 : 40 + random() * 60) * HOUR_MS;
  if (acknowledged < now) {
    const answerBy = acknowledged + (5 + random() * 15) * DAY_MS;
    const acknowledgedEvent: InquiryAcknowledged = {
      type: 'InquiryAcknowledged',
      data: {
        inquiryId,
        channel,
        acknowledgedAt: isoTime(acknowledged),
        answerPromisedBy: isoDate(answerBy),
      },
    };
    events.push({ ...acknowledgedEvent, at: acknowledgedEvent.data.acknowledgedAt });
    const answered = acknowledged + random() * (answerBy - acknowledged + 3 * DAY_MS);
    if (answered < now) {
      const answeredEvent: InquiryAnswered = {
        type: 'InquiryAnswered',
        data: { inquiryId, channel, answeredAt: isoTime(answered) },
      };
      events.push({ ...answeredEvent, at: answeredEvent.data.answeredAt });
    }
  }
  return { streamId: inquiryStream(inquiryId), events };
}

/** Received; a notice of delay for one in six; decided within the published eight weeks mostly. */
function application(
  recorded: RecordedCase,
  received: number,
  random: () => number,
  now: number,
): CaseRecordStream {
  const applicationId = randomUUID();
  const events: CaseRecordStream['events'][number][] = [];
  const receivedEvent: ApplicationReceived = {
    type: 'ApplicationReceived',
    data: {
      applicationId,
      caseId: recorded.caseId,
      personId: recorded.personId,
      departmentId: recorded.departmentId,
      caseType: recorded.caseType,
      applicationDate: isoDate(received),
      publishedDeadline: { amount: 8, unit: 'weeks' },
      exemptFromDigitalPost: random() < 0.05,
      receivedAt: isoTime(received),
    },
  };
  events.push({ ...receivedEvent, at: receivedEvent.data.receivedAt });
  let decided = received + (7 + random() * 49) * DAY_MS;
  if (random() < 1 / 6) {
    const sent = received + (30 + random() * 20) * DAY_MS;
    if (sent < now) {
      const notice: DelayNoticeSent = {
        type: 'DelayNoticeSent',
        data: {
          applicationId,
          channel: 'digital-post',
          sentAt: isoTime(sent),
          expectedDecisionBy: isoDate(sent + 30 * DAY_MS),
          reason: 'awaiting-other-authority',
        },
      };
      events.push({ ...notice, at: notice.data.sentAt });
      decided = sent + random() * 30 * DAY_MS;
    }
  }
  if (decided < now) {
    const decision: DecisionIssued = {
      type: 'DecisionIssued',
      data: {
        applicationId,
        decisionId: randomUUID(),
        outcome: random() < 0.7 ? 'granted' : 'refused',
        decidedAt: isoTime(decided),
        channel: 'digital-post',
        checklist: {
          reasonsGiven: true,
          hearing: 'done',
          hearingNotNeededReason: null,
          appealGuidanceIncluded: true,
          consent: 'not-needed',
        },
      },
    };
    events.push({ ...decision, at: decision.data.decidedAt });
  }
  return { streamId: applicationStream(applicationId), events };
}

import { specFor } from '../shared/given-when-then';
import type { InquiryCommand } from './inquiry.commands';
import { INQUIRY_ERRORS, inquiryDecider } from './inquiry.decider';
import { INQUIRY_EVENT_TYPES, inquiryStream, type InquiryEvent } from './inquiry.events';

const inquiryId = 'inq-1';
// Thursday 2 April 2026 (Maundy Thursday), 10:00 Danish summer time.
const receivedAt = '2026-04-02T08:00:00.000Z';
const now = new Date('2026-04-03T10:00:00.000Z');

const received: InquiryEvent = {
  type: 'InquiryReceived',
  data: {
    inquiryId,
    personId: 'p-1',
    departmentId: 'dep-children',
    caseId: 'case-1',
    channel: 'phone',
    receivedAt,
  },
};
const acknowledged: InquiryEvent = {
  type: 'InquiryAcknowledged',
  data: {
    inquiryId,
    channel: 'digital-post',
    acknowledgedAt: '2026-04-02T12:00:00.000Z',
    answerPromisedBy: '2026-04-10',
  },
};
const postponed: InquiryEvent = {
  type: 'InquiryAnswerPostponed',
  data: {
    inquiryId,
    answerPromisedBy: '2026-04-17',
    reason: 'awaiting-other-authority',
    postponedAt: '2026-04-08T09:00:00.000Z',
  },
};
const answered: InquiryEvent = {
  type: 'InquiryAnswered',
  data: { inquiryId, channel: 'digital-post', answeredAt: '2026-04-09T09:00:00.000Z' },
};

const spec = specFor(inquiryDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly InquiryEvent[], command: InquiryCommand, code: string): void {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

const record = {
  type: 'RecordInquiry',
  inquiryId,
  personId: 'p-1',
  departmentId: 'dep-children',
  caseId: 'case-1',
  channel: 'phone',
  receivedAt: new Date(receivedAt),
  now,
} as const;
const acknowledge = {
  type: 'AcknowledgeInquiry',
  inquiryId,
  channel: 'digital-post',
  answerPromisedBy: '2026-04-10',
  acknowledgedAt: new Date('2026-04-02T12:00:00.000Z'),
  now,
} as const;
const postpone = {
  type: 'PostponeInquiryAnswer',
  inquiryId,
  answerPromisedBy: '2026-04-17',
  reason: 'awaiting-other-authority',
  postponedAt: new Date('2026-04-08T09:00:00.000Z'),
  now: new Date('2026-04-08T10:00:00.000Z'),
} as const;
const answer = {
  type: 'AnswerInquiry',
  inquiryId,
  channel: 'digital-post',
  answeredAt: new Date('2026-04-09T09:00:00.000Z'),
  now: new Date('2026-04-09T10:00:00.000Z'),
} as const;

describe('inquiry decider', () => {
  it('lives on the stream inquiry-<inquiryId> and lists its event types', () => {
    expect(inquiryStream('inq-1')).toBe('inquiry-inq-1');
    expect([...INQUIRY_EVENT_TYPES].sort()).toEqual([
      'InquiryAcknowledged',
      'InquiryAnswerPostponed',
      'InquiryAnswered',
      'InquiryReceived',
    ]);
  });

  describe('RecordInquiry', () => {
    it('records the inquiry with ids only', () => {
      spec.given([]).when(record).then([received]);
    });

    it('defaults the receipt to now; an inquiry need not belong to a case', () => {
      spec
        .given([])
        .when({ ...record, receivedAt: undefined, caseId: null, channel: 'e-mail' })
        .then([
          {
            type: 'InquiryReceived',
            data: {
              ...received.data,
              caseId: null,
              channel: 'e-mail',
              receivedAt: now.toISOString(),
            },
          },
        ]);
    });

    it('refuses a second record, a receipt in the future, missing ids and unknown channels', () => {
      refuses([received], record, INQUIRY_ERRORS.alreadyExists);
      refuses(
        [],
        { ...record, receivedAt: new Date(now.getTime() + 1) },
        INQUIRY_ERRORS.inTheFuture,
      );
      refuses([], { ...record, personId: ' ' }, INQUIRY_ERRORS.missingId);
      refuses([], { ...record, caseId: '' }, INQUIRY_ERRORS.missingId);
      refuses([], { ...record, channel: 'pigeon' as 'phone' }, INQUIRY_ERRORS.unknownChannel);
      refuses([], { ...record, receivedAt: new Date('nope') }, INQUIRY_ERRORS.invalidTime);
    });
  });

  describe('AcknowledgeInquiry', () => {
    it('acknowledges with a promised answer date', () => {
      spec.given([received]).when(acknowledge).then([acknowledged]);
    });

    it('may promise the answer for the same Danish day, judged in Danish time', () => {
      // 23:30 UTC on 2 April is already 3 April in Denmark: a promise for 2 April is past.
      const lateEvening = new Date('2026-04-02T22:30:00.000Z');
      refuses(
        [received],
        { ...acknowledge, acknowledgedAt: lateEvening, answerPromisedBy: '2026-04-02' },
        INQUIRY_ERRORS.promiseInThePast,
      );
      spec
        .given([received])
        .when({ ...acknowledge, acknowledgedAt: lateEvening, answerPromisedBy: '2026-04-03' })
        .then([
          {
            type: 'InquiryAcknowledged',
            data: {
              ...acknowledged.data,
              acknowledgedAt: lateEvening.toISOString(),
              answerPromisedBy: '2026-04-03',
            },
          },
        ]);
    });

    it('refuses an unknown inquiry, a second acknowledgement and one after the answer', () => {
      refuses([], acknowledge, INQUIRY_ERRORS.notFound);
      refuses([received, acknowledged], acknowledge, INQUIRY_ERRORS.alreadyAcknowledged);
      refuses([received, answered], acknowledge, INQUIRY_ERRORS.alreadyAnswered);
    });

    it('refuses an acknowledgement before the receipt or in the future, and bad dates', () => {
      refuses(
        [received],
        { ...acknowledge, acknowledgedAt: new Date('2026-04-02T07:59:59.999Z') },
        INQUIRY_ERRORS.beforeReceipt,
      );
      refuses(
        [received],
        { ...acknowledge, acknowledgedAt: new Date(now.getTime() + 1000) },
        INQUIRY_ERRORS.inTheFuture,
      );
      refuses(
        [received],
        { ...acknowledge, answerPromisedBy: '2026-02-30' },
        INQUIRY_ERRORS.invalidDate,
      );
      refuses(
        [received],
        { ...acknowledge, answerPromisedBy: '2026-04-01' },
        INQUIRY_ERRORS.promiseInThePast,
      );
    });
  });

  describe('PostponeInquiryAnswer', () => {
    it('promises a later date with a reason code', () => {
      spec.given([received, acknowledged]).when(postpone).then([postponed]);
    });

    it('can postpone again, each time later', () => {
      spec
        .given([received, acknowledged, postponed])
        .when({ ...postpone, answerPromisedBy: '2026-04-24', reason: 'complex-inquiry' })
        .then([
          {
            type: 'InquiryAnswerPostponed',
            data: {
              ...postponed.data,
              answerPromisedBy: '2026-04-24',
              reason: 'complex-inquiry',
            },
          },
        ]);
      refuses(
        [received, acknowledged, postponed],
        { ...postpone, answerPromisedBy: '2026-04-17' },
        INQUIRY_ERRORS.promiseNotLater,
      );
    });

    it('needs an acknowledgement (with its promise) and an unanswered inquiry', () => {
      refuses([], postpone, INQUIRY_ERRORS.notFound);
      refuses([received], postpone, INQUIRY_ERRORS.notAcknowledged);
      refuses([received, acknowledged, answered], postpone, INQUIRY_ERRORS.alreadyAnswered);
    });

    it('refuses the same or an earlier date, a date in the past and an unknown reason', () => {
      refuses(
        [received, acknowledged],
        { ...postpone, answerPromisedBy: '2026-04-10' },
        INQUIRY_ERRORS.promiseNotLater,
      );
      // Told on 20 April (after the first promise lapsed): a new date of 15 April is past.
      refuses(
        [received, acknowledged],
        {
          ...postpone,
          answerPromisedBy: '2026-04-15',
          postponedAt: new Date('2026-04-20T08:00:00.000Z'),
          now: new Date('2026-04-20T08:00:00.000Z'),
        },
        INQUIRY_ERRORS.promiseInThePast,
      );
      refuses(
        [received, acknowledged],
        { ...postpone, reason: 'busy' as 'other' },
        INQUIRY_ERRORS.unknownReason,
      );
    });

    it('refuses a postponement dated before the acknowledgement', () => {
      refuses(
        [received, acknowledged],
        { ...postpone, postponedAt: new Date('2026-04-02T11:00:00.000Z') },
        INQUIRY_ERRORS.beforePreviousStep,
      );
    });
  });

  describe('AnswerInquiry', () => {
    it('answers an acknowledged or a postponed inquiry', () => {
      spec.given([received, acknowledged]).when(answer).then([answered]);
      spec
        .given([received, acknowledged, postponed])
        .when(answer)
        .then([
          {
            type: 'InquiryAnswered',
            data: { ...answered.data, answeredAt: '2026-04-09T09:00:00.000Z' },
          },
        ]);
    });

    it('answers without an acknowledgement (the answer is the acknowledgement)', () => {
      spec
        .given([received])
        .when({ ...answer, answeredAt: undefined, now: new Date('2026-04-02T09:00:00.000Z') })
        .then([
          {
            type: 'InquiryAnswered',
            data: { ...answered.data, answeredAt: '2026-04-02T09:00:00.000Z' },
          },
        ]);
    });

    it('answers once, not before receipt, not before the last step, not in the future', () => {
      refuses([], answer, INQUIRY_ERRORS.notFound);
      refuses([received, answered], answer, INQUIRY_ERRORS.alreadyAnswered);
      refuses(
        [received],
        { ...answer, answeredAt: new Date('2026-04-01T08:00:00.000Z') },
        INQUIRY_ERRORS.beforeReceipt,
      );
      refuses(
        [received, acknowledged, postponed],
        { ...answer, answeredAt: new Date('2026-04-07T08:00:00.000Z') },
        INQUIRY_ERRORS.beforePreviousStep,
      );
      refuses(
        [received],
        { ...answer, answeredAt: new Date('2026-04-09T10:00:00.001Z') },
        INQUIRY_ERRORS.inTheFuture,
      );
    });
  });

  it('exercises every error code', () => {
    expect([...testedCodes].sort()).toEqual(Object.values(INQUIRY_ERRORS).sort());
  });
});

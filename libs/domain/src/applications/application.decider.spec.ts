import { specFor } from '../shared/given-when-then';
import type { ApplicationCommand } from './application.commands';
import { APPLICATION_ERRORS, applicationDecider } from './application.decider';
import {
  APPLICATION_EVENT_TYPES,
  applicationStream,
  type ApplicationEvent,
  type DecisionChecklist,
} from './application.events';

const applicationId = 'app-1';
const decisionId = 'dec-1';
// Application date Monday 2 March 2026, 8 weeks → deadline Monday 27 April 2026.
const now = new Date('2026-03-04T09:00:00.000Z');
const t = (iso: string) => new Date(iso);

const complete: DecisionChecklist = {
  reasonsGiven: true,
  hearing: 'done',
  hearingNotNeededReason: null,
  appealGuidanceIncluded: true,
  consent: 'obtained',
};
const incomplete: DecisionChecklist = {
  reasonsGiven: false,
  hearing: 'not-done',
  hearingNotNeededReason: null,
  appealGuidanceIncluded: false,
  consent: 'obtained',
};

const received: ApplicationEvent = {
  type: 'ApplicationReceived',
  data: {
    applicationId,
    caseId: 'case-1',
    personId: 'p-1',
    departmentId: 'dep-disability',
    caseType: 'disability-aids',
    applicationDate: '2026-03-02',
    publishedDeadline: { amount: 8, unit: 'weeks' },
    exemptFromDigitalPost: false,
    receivedAt: now.toISOString(),
  },
};
const receivedExempt: ApplicationEvent = {
  type: 'ApplicationReceived',
  data: { ...received.data, exemptFromDigitalPost: true },
};
const noticeSent: ApplicationEvent = {
  type: 'DelayNoticeSent',
  data: {
    applicationId,
    channel: 'digital-post',
    sentAt: '2026-04-20T08:00:00.000Z',
    expectedDecisionBy: '2026-05-25',
    reason: 'awaiting-specialist-assessment',
  },
};
const decided = (
  outcome: 'granted' | 'partly-granted' | 'refused' | 'dismissed' = 'refused',
  checklist: DecisionChecklist = incomplete,
  id = decisionId,
  decidedAt = '2026-04-24T10:00:00.000Z',
): ApplicationEvent => ({
  type: 'DecisionIssued',
  data: { applicationId, decisionId: id, outcome, decidedAt, channel: 'digital-post', checklist },
});
const decision = decided();
const appealed: ApplicationEvent = {
  type: 'DecisionAppealed',
  data: { applicationId, decisionId, appealedAt: '2026-05-04T08:00:00.000Z' },
};
const reassessed = (outcome: 'upheld' | 'changed'): ApplicationEvent => ({
  type: 'AppealReassessed',
  data: { applicationId, decisionId, outcome, reassessedAt: '2026-05-20T08:00:00.000Z' },
});
const forwarded: ApplicationEvent = {
  type: 'AppealForwardedToBoard',
  data: { applicationId, decisionId, forwardedAt: '2026-05-21T08:00:00.000Z' },
};
const ruled = (outcome: 'upheld' | 'changed' | 'sent-back'): ApplicationEvent => ({
  type: 'AppealBoardRuled',
  data: { applicationId, decisionId, outcome, ruledAt: '2026-09-01T08:00:00.000Z' },
});
const atBoard = [received, decision, appealed, reassessed('upheld'), forwarded];

const spec = specFor(applicationDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly ApplicationEvent[], command: ApplicationCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

const receive = {
  type: 'ReceiveApplication',
  applicationId,
  caseId: 'case-1',
  personId: 'p-1',
  departmentId: 'dep-disability',
  caseType: 'disability-aids',
  applicationDate: '2026-03-02',
  publishedDeadline: { amount: 8, unit: 'weeks' },
  exemptFromDigitalPost: false,
  now,
} as const;
const sendNotice = {
  type: 'SendDelayNotice',
  applicationId,
  channel: 'digital-post',
  expectedDecisionBy: '2026-05-25',
  reason: 'awaiting-specialist-assessment',
  sentAt: t('2026-04-20T08:00:00.000Z'),
  now: t('2026-04-20T09:00:00.000Z'),
} as const;
const issue = {
  type: 'IssueDecision',
  applicationId,
  decisionId,
  outcome: 'refused',
  channel: 'digital-post',
  checklist: incomplete,
  decidedAt: t('2026-04-24T10:00:00.000Z'),
  now: t('2026-04-24T11:00:00.000Z'),
} as const;
const supplement = {
  type: 'SupplementDecision',
  applicationId,
  decisionId,
  supplied: ['appeal-guidance', 'reasons'],
  channel: 'letter',
  suppliedAt: t('2026-04-28T08:00:00.000Z'),
  now: t('2026-04-28T09:00:00.000Z'),
} as const;
const appeal = {
  type: 'AppealDecision',
  applicationId,
  decisionId,
  appealedAt: t('2026-05-04T08:00:00.000Z'),
  now: t('2026-05-04T09:00:00.000Z'),
} as const;
const reassess = {
  type: 'ReassessAppeal',
  applicationId,
  decisionId,
  outcome: 'upheld',
  reassessedAt: t('2026-05-20T08:00:00.000Z'),
  now: t('2026-05-20T09:00:00.000Z'),
} as const;
const forward = {
  type: 'ForwardAppeal',
  applicationId,
  decisionId,
  forwardedAt: t('2026-05-21T08:00:00.000Z'),
  now: t('2026-05-21T09:00:00.000Z'),
} as const;
const rule = {
  type: 'RecordBoardRuling',
  applicationId,
  decisionId,
  outcome: 'changed',
  ruledAt: t('2026-09-01T08:00:00.000Z'),
  now: t('2026-09-01T09:00:00.000Z'),
} as const;
const apologise = {
  type: 'SendApology',
  applicationId,
  decisionId,
  channel: 'digital-post',
  sentAt: t('2026-09-02T08:00:00.000Z'),
  now: t('2026-09-02T09:00:00.000Z'),
} as const;

describe('application decider', () => {
  it('lives on the stream application-<applicationId> and lists its event types', () => {
    expect(applicationStream('app-1')).toBe('application-app-1');
    expect(APPLICATION_EVENT_TYPES.size).toBe(9);
    expect(APPLICATION_EVENT_TYPES.has('AppealBoardRuled')).toBe(true);
  });

  describe('ReceiveApplication', () => {
    it('records the application with the published deadline and Digital Post snapshots', () => {
      spec.given([]).when(receive).then([received]);
    });

    it('takes an application dated today in Danish time, not tomorrow', () => {
      // 23:30 UTC on 1 March is 00:30 on 2 March in Denmark.
      const justAfterMidnight = t('2026-03-01T23:30:00.000Z');
      spec
        .given([])
        .when({ ...receive, now: justAfterMidnight })
        .then([
          {
            type: 'ApplicationReceived',
            data: { ...received.data, receivedAt: justAfterMidnight.toISOString() },
          },
        ]);
      refuses(
        [],
        { ...receive, now: t('2026-03-01T22:30:00.000Z') },
        APPLICATION_ERRORS.applicationDateInTheFuture,
      );
    });

    it('refuses a second receipt, bad dates, bad deadlines and missing ids', () => {
      refuses([received], receive, APPLICATION_ERRORS.alreadyExists);
      refuses([], { ...receive, applicationDate: '2026-02-29' }, APPLICATION_ERRORS.invalidDate);
      refuses(
        [],
        { ...receive, publishedDeadline: { amount: 0, unit: 'weeks' } },
        APPLICATION_ERRORS.invalidPublishedDeadline,
      );
      refuses(
        [],
        { ...receive, publishedDeadline: { amount: 2, unit: 'years' as 'weeks' } },
        APPLICATION_ERRORS.invalidPublishedDeadline,
      );
      refuses([], { ...receive, caseType: '' }, APPLICATION_ERRORS.missingId);
      refuses([], { ...receive, now: t('invalid') }, APPLICATION_ERRORS.invalidTime);
    });
  });

  describe('SendDelayNotice', () => {
    it('records a notice with a later expected date and a reason code', () => {
      spec.given([received]).when(sendNotice).then([noticeSent]);
    });

    it('records a notice that will arrive late: the flags judge it, not the decider', () => {
      spec
        .given([receivedExempt])
        .when({
          ...sendNotice,
          channel: 'letter',
          sentAt: t('2026-04-27T08:00:00.000Z'),
          now: t('2026-04-27T09:00:00.000Z'),
        })
        .then([
          {
            type: 'DelayNoticeSent',
            data: { ...noticeSent.data, channel: 'letter', sentAt: '2026-04-27T08:00:00.000Z' },
          },
        ]);
    });

    it('each notice gives a later date than the deadline or the notice before', () => {
      refuses(
        [received],
        { ...sendNotice, expectedDecisionBy: '2026-04-27' },
        APPLICATION_ERRORS.expectedDateNotLater,
      );
      refuses(
        [received, noticeSent],
        { ...sendNotice, expectedDecisionBy: '2026-05-25' },
        APPLICATION_ERRORS.expectedDateNotLater,
      );
      spec
        .given([received, noticeSent])
        .when({ ...sendNotice, expectedDecisionBy: '2026-06-15', reason: 'capacity' })
        .then([
          {
            type: 'DelayNoticeSent',
            data: { ...noticeSent.data, expectedDecisionBy: '2026-06-15', reason: 'capacity' },
          },
        ]);
    });

    it('refuses an expected date before the day of sending, and a malformed one', () => {
      refuses(
        [received],
        {
          ...sendNotice,
          expectedDecisionBy: '2026-05-01',
          sentAt: t('2026-05-04T08:00:00.000Z'),
          now: t('2026-05-04T08:00:00.000Z'),
        },
        APPLICATION_ERRORS.expectedDateInThePast,
      );
      refuses(
        [received],
        { ...sendNotice, expectedDecisionBy: '25-05-2026' },
        APPLICATION_ERRORS.invalidDate,
      );
    });

    it('goes in writing, never plain e-mail, and never Digital Post to an exempt citizen', () => {
      refuses(
        [received],
        { ...sendNotice, channel: 'phone' },
        APPLICATION_ERRORS.channelNotAllowed,
      );
      refuses(
        [received],
        { ...sendNotice, channel: 'e-mail' },
        APPLICATION_ERRORS.channelNotAllowed,
      );
      refuses(
        [received],
        { ...sendNotice, channel: 'fax' as 'letter' },
        APPLICATION_ERRORS.unknownChannel,
      );
      refuses([receivedExempt], sendNotice, APPLICATION_ERRORS.exemptFromDigitalPost);
    });

    it('only before the decision, for a known application, with a known reason', () => {
      refuses([], sendNotice, APPLICATION_ERRORS.notFound);
      refuses([received, decision], sendNotice, APPLICATION_ERRORS.alreadyDecided);
      refuses(
        [received],
        { ...sendNotice, reason: 'busy' as 'capacity' },
        APPLICATION_ERRORS.unknownReason,
      );
    });

    it('is not dated before the application date, the previous notice, or in the future', () => {
      refuses(
        [received],
        { ...sendNotice, sentAt: t('2026-03-01T12:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
      refuses(
        [received, noticeSent],
        { ...sendNotice, expectedDecisionBy: '2026-06-15', sentAt: t('2026-04-19T08:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
      refuses(
        [received],
        { ...sendNotice, sentAt: t('2026-04-20T09:00:00.001Z') },
        APPLICATION_ERRORS.inTheFuture,
      );
    });
  });

  describe('IssueDecision', () => {
    it('records the decision with its checklist', () => {
      spec.given([received]).when(issue).then([decision]);
      spec.given([received, noticeSent]).when(issue).then([decision]);
    });

    it('needs a reason when no hearing was needed, and none otherwise', () => {
      const notNeeded = { ...complete, hearing: 'not-needed' } as const;
      refuses(
        [received],
        { ...issue, checklist: notNeeded },
        APPLICATION_ERRORS.hearingReasonRequired,
      );
      refuses(
        [received],
        { ...issue, checklist: { ...complete, hearingNotNeededReason: 'urgent' } },
        APPLICATION_ERRORS.invalidChecklist,
      );
      refuses(
        [received],
        { ...issue, checklist: { ...notNeeded, hearingNotNeededReason: 'convenient' as 'other' } },
        APPLICATION_ERRORS.invalidChecklist,
      );
      const withReason = { ...notNeeded, hearingNotNeededReason: 'entirely-in-favour' } as const;
      spec
        .given([received])
        .when({ ...issue, outcome: 'granted', checklist: withReason })
        .then([decided('granted', withReason)]);
    });

    it('one decision; another only after the appeals board sent the case back', () => {
      refuses(
        [received, decision],
        { ...issue, decisionId: 'dec-2' },
        APPLICATION_ERRORS.alreadyDecided,
      );
      refuses([received, decision], issue, APPLICATION_ERRORS.decisionIdReused);
      refuses(
        [...atBoard, ruled('changed')],
        { ...issue, decisionId: 'dec-2' },
        APPLICATION_ERRORS.alreadyDecided,
      );
      refuses(
        [received, decision, appealed, reassessed('changed')],
        { ...issue, decisionId: 'dec-2' },
        APPLICATION_ERRORS.alreadyDecided,
      );
      const newDecision = {
        ...issue,
        decisionId: 'dec-2',
        outcome: 'granted',
        checklist: complete,
        decidedAt: t('2026-09-15T08:00:00.000Z'),
        now: t('2026-09-15T09:00:00.000Z'),
      } as const;
      spec
        .given([...atBoard, ruled('sent-back')])
        .when(newDecision)
        .then([decided('granted', complete, 'dec-2', '2026-09-15T08:00:00.000Z')]);
      refuses(
        [...atBoard, ruled('sent-back')],
        { ...newDecision, decidedAt: t('2026-08-31T08:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
      refuses(
        [...atBoard, ruled('sent-back'), decided('granted', complete, 'dec-2')],
        { ...newDecision, decisionId: 'dec-3' },
        APPLICATION_ERRORS.alreadyDecided,
      );
    });

    it('refuses unknown outcomes, bad channels, dates before the application, and no id', () => {
      refuses([], issue, APPLICATION_ERRORS.notFound);
      refuses(
        [received],
        { ...issue, outcome: 'maybe' as 'refused' },
        APPLICATION_ERRORS.unknownOutcome,
      );
      refuses([received], { ...issue, channel: 'meeting' }, APPLICATION_ERRORS.channelNotAllowed);
      refuses([receivedExempt], issue, APPLICATION_ERRORS.exemptFromDigitalPost);
      refuses(
        [received],
        { ...issue, decidedAt: t('2026-03-01T22:59:59.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
      refuses([received], { ...issue, decisionId: '' }, APPLICATION_ERRORS.missingId);
    });
  });

  describe('SupplementDecision', () => {
    it('supplies missing items, in canonical order', () => {
      spec
        .given([received, decision])
        .when(supplement)
        .then([
          {
            type: 'DecisionSupplemented',
            data: {
              applicationId,
              decisionId,
              supplied: ['reasons', 'appeal-guidance'],
              suppliedAt: '2026-04-28T08:00:00.000Z',
              channel: 'letter',
            },
          },
        ]);
    });

    it('refuses an item that is not missing, or already supplied', () => {
      refuses(
        [received, decision],
        { ...supplement, supplied: ['consent'] },
        APPLICATION_ERRORS.itemNotMissing,
      );
      const supplied: ApplicationEvent = {
        type: 'DecisionSupplemented',
        data: {
          applicationId,
          decisionId,
          supplied: ['reasons'],
          suppliedAt: '2026-04-27T08:00:00.000Z',
          channel: 'letter',
        },
      };
      refuses(
        [received, decision, supplied],
        { ...supplement, supplied: ['reasons'] },
        APPLICATION_ERRORS.itemNotMissing,
      );
      spec
        .given([received, decision, supplied])
        .when({ ...supplement, supplied: ['hearing'] })
        .then([
          {
            type: 'DecisionSupplemented',
            data: {
              ...supplied.data,
              supplied: ['hearing'],
              suppliedAt: '2026-04-28T08:00:00.000Z',
            },
          },
        ]);
    });

    it('nothing to supplement in a decision changed or sent back on appeal', () => {
      for (const replaced of [
        [received, decision, appealed, reassessed('changed')],
        [...atBoard, ruled('changed')],
        [...atBoard, ruled('sent-back')],
      ]) {
        refuses(replaced, supplement, APPLICATION_ERRORS.decisionReplaced);
      }
      spec
        .given([...atBoard, ruled('upheld')])
        .when(supplement)
        .then([
          {
            type: 'DecisionSupplemented',
            data: {
              applicationId,
              decisionId,
              supplied: ['reasons', 'appeal-guidance'],
              suppliedAt: '2026-04-28T08:00:00.000Z',
              channel: 'letter',
            },
          },
        ]);
    });

    it('a full grant lacks no reasons to supply', () => {
      refuses(
        [received, decided('granted', incomplete)],
        { ...supplement, supplied: ['reasons'] },
        APPLICATION_ERRORS.itemNotMissing,
      );
    });

    it('refuses nothing, unknown items, an unknown decision, and a date before the decision', () => {
      refuses(
        [received, decision],
        { ...supplement, supplied: [] },
        APPLICATION_ERRORS.nothingSupplied,
      );
      refuses(
        [received, decision],
        { ...supplement, supplied: ['signature' as 'reasons'] },
        APPLICATION_ERRORS.unknownItem,
      );
      refuses([received], supplement, APPLICATION_ERRORS.decisionNotFound);
      refuses(
        [received, decision],
        { ...supplement, suppliedAt: t('2026-04-24T09:59:59.999Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
      refuses(
        [received, decision],
        { ...supplement, channel: 'sms' },
        APPLICATION_ERRORS.channelNotAllowed,
      );
    });
  });

  describe('appeals', () => {
    it('appealed → reassessed upheld → forwarded → ruled → apology', () => {
      spec.given([received, decision]).when(appeal).then([appealed]);
      spec
        .given([received, decision, appealed])
        .when(reassess)
        .then([reassessed('upheld')]);
      spec
        .given([received, decision, appealed, reassessed('upheld')])
        .when(forward)
        .then([forwarded]);
      spec
        .given(atBoard)
        .when(rule)
        .then([ruled('changed')]);
      spec
        .given([...atBoard, ruled('changed')])
        .when(apologise)
        .then([
          {
            type: 'ApologySent',
            data: {
              applicationId,
              decisionId,
              channel: 'digital-post',
              sentAt: '2026-09-02T08:00:00.000Z',
            },
          },
        ]);
    });

    it('appeals a decision once, and not before it was made', () => {
      refuses([received], appeal, APPLICATION_ERRORS.decisionNotFound);
      refuses([received, decision, appealed], appeal, APPLICATION_ERRORS.alreadyAppealed);
      refuses(
        [received, decision],
        { ...appeal, appealedAt: t('2026-04-24T09:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
    });

    it('reassesses an appeal once; a full change ends it, so nothing is forwarded', () => {
      refuses([received, decision], reassess, APPLICATION_ERRORS.notAppealed);
      refuses(
        [received, decision, appealed, reassessed('upheld')],
        reassess,
        APPLICATION_ERRORS.alreadyReassessed,
      );
      refuses(
        [received, decision, appealed],
        { ...reassess, outcome: 'partly' as 'upheld' },
        APPLICATION_ERRORS.unknownOutcome,
      );
      refuses(
        [received, decision, appealed, reassessed('changed')],
        forward,
        APPLICATION_ERRORS.notUpheldOnReassessment,
      );
      refuses([received, decision, appealed], forward, APPLICATION_ERRORS.notUpheldOnReassessment);
      refuses(
        [received, decision, appealed],
        { ...reassess, reassessedAt: t('2026-05-04T07:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
    });

    it('forwards once; the board rules once on a forwarded appeal', () => {
      refuses(atBoard, forward, APPLICATION_ERRORS.alreadyForwarded);
      refuses(
        [received, decision, appealed, reassessed('upheld')],
        rule,
        APPLICATION_ERRORS.notForwarded,
      );
      refuses([...atBoard, ruled('upheld')], rule, APPLICATION_ERRORS.alreadyRuled);
      refuses(
        atBoard,
        { ...rule, outcome: 'annulled' as 'changed' },
        APPLICATION_ERRORS.unknownOutcome,
      );
      refuses(
        atBoard,
        { ...rule, ruledAt: t('2026-05-21T07:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
    });

    it('an apology only after a ruling that changed or sent back, and only once', () => {
      refuses([received, decision], apologise, APPLICATION_ERRORS.noApologyDue);
      refuses(atBoard, apologise, APPLICATION_ERRORS.noApologyDue);
      refuses([...atBoard, ruled('upheld')], apologise, APPLICATION_ERRORS.noApologyDue);
      const apology: ApplicationEvent = {
        type: 'ApologySent',
        data: {
          applicationId,
          decisionId,
          channel: 'digital-post',
          sentAt: '2026-09-02T08:00:00.000Z',
        },
      };
      spec
        .given([...atBoard, ruled('sent-back')])
        .when(apologise)
        .then([apology]);
      refuses(
        [...atBoard, ruled('sent-back'), apology],
        apologise,
        APPLICATION_ERRORS.alreadyApologised,
      );
      refuses(
        [...atBoard, ruled('changed')],
        { ...apologise, sentAt: t('2026-08-31T08:00:00.000Z') },
        APPLICATION_ERRORS.beforePreviousStep,
      );
    });
  });

  it('exercises every error code', () => {
    expect([...testedCodes].sort()).toEqual(Object.values(APPLICATION_ERRORS).sort());
  });
});

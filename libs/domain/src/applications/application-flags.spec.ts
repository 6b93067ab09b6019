import {
  DEFAULT_APPLICATION_RULES,
  applicationFlags,
  decidedWithinDeadline,
  foldApplicationFacts,
  judgeDelayNotices,
  processingDays,
  type ApplicationFacts,
  type ApplicationFlagCode,
} from './application-flags';
import type {
  DecisionChecklist,
  DecisionItem,
  IdentifiedApplicationEvent,
  PublishedDeadline,
} from './application.events';

const applicationId = 'app-1';
const decisionId = 'dec-1';

const received = (
  applicationDate: string,
  publishedDeadline: PublishedDeadline,
  exemptFromDigitalPost = false,
): IdentifiedApplicationEvent => ({
  id: 'e-received',
  type: 'ApplicationReceived',
  data: {
    applicationId,
    caseId: 'case-1',
    personId: 'p-1',
    departmentId: 'dep-1',
    caseType: 'disability-aids',
    applicationDate,
    publishedDeadline,
    exemptFromDigitalPost,
    receivedAt: `${applicationDate}T10:00:00.000Z`,
  },
});
const notice = (
  id: string,
  sentAt: string,
  channel: 'letter' | 'digital-post',
  expectedDecisionBy: string,
): IdentifiedApplicationEvent => ({
  id,
  type: 'DelayNoticeSent',
  data: { applicationId, channel, sentAt, expectedDecisionBy, reason: 'complex-case' },
});
const complete: DecisionChecklist = {
  reasonsGiven: true,
  hearing: 'done',
  hearingNotNeededReason: null,
  appealGuidanceIncluded: true,
  consent: 'obtained',
};
const decided = (
  decidedAt: string,
  checklist: DecisionChecklist = complete,
  id = decisionId,
  eventId = 'e-decision',
): IdentifiedApplicationEvent => ({
  id: eventId,
  type: 'DecisionIssued',
  data: {
    applicationId,
    decisionId: id,
    outcome: 'refused',
    decidedAt,
    channel: 'letter',
    checklist,
  },
});
const supplemented = (id: string, supplied: DecisionItem[]): IdentifiedApplicationEvent => ({
  id,
  type: 'DecisionSupplemented',
  data: {
    applicationId,
    decisionId,
    supplied,
    suppliedAt: '2026-05-01T08:00:00.000Z',
    channel: 'letter',
  },
});
const appealChain: IdentifiedApplicationEvent[] = [
  {
    id: 'e-appeal',
    type: 'DecisionAppealed',
    data: { applicationId, decisionId, appealedAt: '2026-05-04T08:00:00.000Z' },
  },
  {
    id: 'e-reassess',
    type: 'AppealReassessed',
    data: {
      applicationId,
      decisionId,
      outcome: 'upheld',
      reassessedAt: '2026-05-20T08:00:00.000Z',
    },
  },
  {
    id: 'e-forward',
    type: 'AppealForwardedToBoard',
    data: { applicationId, decisionId, forwardedAt: '2026-05-21T08:00:00.000Z' },
  },
];
const ruled = (outcome: 'upheld' | 'changed' | 'sent-back'): IdentifiedApplicationEvent => ({
  id: 'e-ruling',
  type: 'AppealBoardRuled',
  // 00:30 on 1 September in Denmark.
  data: { applicationId, decisionId, outcome, ruledAt: '2026-08-31T22:30:00.000Z' },
});
const apology: IdentifiedApplicationEvent = {
  id: 'e-apology',
  type: 'ApologySent',
  data: { applicationId, decisionId, channel: 'letter', sentAt: '2026-09-02T08:00:00.000Z' },
};

function facts(events: IdentifiedApplicationEvent[]): ApplicationFacts {
  const folded = foldApplicationFacts(applicationId, events);
  if (folded === null) throw new Error('no application');
  return folded;
}

/** code → severity/dueDate of the flags raised on `today`. */
function raised(f: ApplicationFacts, today: string, rules = DEFAULT_APPLICATION_RULES) {
  return Object.fromEntries(
    applicationFlags(f, today, rules).map((flag) => [
      flag.code,
      `${flag.severity} ${flag.dueDate}`,
    ]),
  ) as Partial<Record<ApplicationFlagCode, string>>;
}

// 8 weeks from Monday 2 March 2026: deadline Monday 27 April.
const eightWeeks = received('2026-03-02', { amount: 8, unit: 'weeks' });
const eightWeeksExempt = received('2026-03-02', { amount: 8, unit: 'weeks' }, true);
// 4 weeks from Monday 9 March 2026: deadline Easter Monday 6 April.
const easter = received('2026-03-09', { amount: 4, unit: 'weeks' });
const easterExempt = received('2026-03-09', { amount: 4, unit: 'weeks' }, true);

describe('foldApplicationFacts', () => {
  it('is null without a receipt, and keeps the deadline computed from the snapshot', () => {
    expect(foldApplicationFacts(applicationId, [])).toBeNull();
    expect(facts([eightWeeks]).deadline).toBe('2026-04-27');
    expect(facts([easter]).deadline).toBe('2026-04-06');
  });

  it('tracks a case sent back until the new decision', () => {
    const sentBack = [
      eightWeeks,
      decided('2026-04-24T08:00:00.000Z'),
      ...appealChain,
      ruled('sent-back'),
    ];
    expect(facts(sentBack).awaitingNewDecisionSince).toEqual({
      eventId: 'e-ruling',
      at: '2026-08-31T22:30:00.000Z',
    });
    const redecided = [
      ...sentBack,
      decided('2026-09-20T08:00:00.000Z', complete, 'dec-2', 'e-dec-2'),
    ];
    expect(facts(redecided).awaitingNewDecisionSince).toBeNull();
    expect(facts(redecided).decisions.map((d) => d.decisionId)).toEqual(['dec-1', 'dec-2']);
  });
});

describe('applicationFlags: the processing deadline', () => {
  describe('DEADLINE_APPROACHING', () => {
    it('warns from 14 days before the last day to send a notice until the deadline', () => {
      const f = facts([eightWeeks]);
      expect(applicationFlags(f, '2026-04-12')).toEqual([]);
      expect(applicationFlags(f, '2026-04-13')).toEqual([
        {
          code: 'DEADLINE_APPROACHING',
          applicationId,
          decisionId: null,
          dueDate: '2026-04-27',
          rule: 'Retssikkerhedsloven § 3 stk. 2',
          severity: 'warning',
          eventIds: ['e-received'],
          missing: [],
        },
      ]);
      expect(raised(f, '2026-04-27')).toEqual({ DEADLINE_APPROACHING: 'warning 2026-04-27' });
    });

    it('for a citizen exempt from Digital Post, the last day to send is 5 delivery days earlier', () => {
      const f = facts([eightWeeksExempt]);
      expect(raised(f, '2026-04-05')).toEqual({});
      expect(raised(f, '2026-04-06')).toEqual({ DEADLINE_APPROACHING: 'warning 2026-04-20' });
      // Past the last day to post, the decision can still come in time: the warning stays.
      expect(raised(f, '2026-04-24')).toEqual({ DEADLINE_APPROACHING: 'warning 2026-04-20' });
    });

    it('across Easter 2026, the last letter leaves on 25 March for a deadline on Easter Monday', () => {
      expect(raised(facts([easter]), '2026-03-22')).toEqual({});
      expect(raised(facts([easter]), '2026-03-23')).toEqual({
        DEADLINE_APPROACHING: 'warning 2026-04-06',
      });
      expect(raised(facts([easterExempt]), '2026-03-10')).toEqual({});
      expect(raised(facts([easterExempt]), '2026-03-11')).toEqual({
        DEADLINE_APPROACHING: 'warning 2026-03-25',
      });
    });

    it('across Christmas 2026, with the configured warning window and postal calendar', () => {
      // 4 weeks from 27 November: Christmas Day. By letter: posted 17 December → received 24th.
      const christmas = facts([received('2026-11-27', { amount: 4, unit: 'weeks' }, true)]);
      expect(raised(christmas, '2026-12-10')).toEqual({
        DEADLINE_APPROACHING: 'warning 2026-12-17',
      });
      const closedChristmasEve = {
        deadlineWarningDays: 3,
        postal: { deliveryDays: 5, calendar: { alsoClosedEveryYear: ['12-24'] } },
      };
      expect(raised(christmas, '2026-12-12', closedChristmasEve)).toEqual({});
      expect(raised(christmas, '2026-12-13', closedChristmasEve)).toEqual({
        DEADLINE_APPROACHING: 'warning 2026-12-16',
      });
    });

    it('clears with a timely notice, and with a decision', () => {
      const told = notice('e-n1', '2026-04-14T08:00:00.000Z', 'digital-post', '2026-05-25');
      expect(raised(facts([eightWeeks, told]), '2026-04-20')).toEqual({});
      expect(
        raised(facts([eightWeeks, decided('2026-04-14T08:00:00.000Z')]), '2026-04-20'),
      ).toEqual({});
    });
  });

  describe('OVERDUE_WITHOUT_NOTICE', () => {
    it('is raised the day after the deadline without a notice', () => {
      expect(applicationFlags(facts([eightWeeks]), '2026-04-28')).toEqual([
        {
          code: 'OVERDUE_WITHOUT_NOTICE',
          applicationId,
          decisionId: null,
          dueDate: '2026-04-27',
          rule: 'Retssikkerhedsloven § 3 stk. 2',
          severity: 'overdue',
          eventIds: ['e-received'],
          missing: [],
        },
      ]);
    });

    it('exempt citizen: a letter posted after the last day arrives after Easter Monday: too late', () => {
      // Posted Thursday 26 March: Fri 27, Mon 30, Tue 31, Wed 1, (Easter) Tue 7 April.
      const late = notice('e-late', '2026-03-26T09:00:00.000Z', 'letter', '2026-05-04');
      const f = facts([easterExempt, late]);
      expect(judgeDelayNotices(f).notices).toEqual([
        { eventId: 'e-late', receivedOn: '2026-04-07', extends: '2026-04-06', timely: false },
      ]);
      expect(raised(f, '2026-04-06')).toEqual({ DEADLINE_APPROACHING: 'warning 2026-03-25' });
      expect(applicationFlags(f, '2026-04-07')).toEqual([
        expect.objectContaining({
          code: 'OVERDUE_WITHOUT_NOTICE',
          dueDate: '2026-04-06',
          eventIds: ['e-late', 'e-received'],
        }),
      ]);
    });

    it('exempt citizen: a letter posted on the last day arrives in time', () => {
      const inTime = notice('e-in-time', '2026-03-25T09:00:00.000Z', 'letter', '2026-05-04');
      const f = facts([easterExempt, inTime]);
      expect(judgeDelayNotices(f).notices[0]).toMatchObject({
        receivedOn: '2026-04-01',
        timely: true,
      });
      expect(raised(f, '2026-04-07')).toEqual({});
      expect(raised(f, '2026-05-05')).toEqual({ OVERDUE: 'overdue 2026-05-04' });
    });

    it('Digital Post on the deadline itself is in time, until Danish midnight', () => {
      // 23:30 on Easter Monday in Denmark (CEST) is 21:30 UTC.
      const lastMinute = notice('e-n', '2026-04-06T21:30:00.000Z', 'digital-post', '2026-05-04');
      expect(raised(facts([easter, lastMinute]), '2026-04-07')).toEqual({});
      // 00:30 on 7 April in Denmark: a day late.
      const afterMidnight = notice('e-n', '2026-04-06T22:30:00.000Z', 'digital-post', '2026-05-04');
      expect(raised(facts([easter, afterMidnight]), '2026-04-07')).toEqual({
        OVERDUE_WITHOUT_NOTICE: 'overdue 2026-04-06',
      });
    });

    it('clears with a decision, even a late one', () => {
      expect(
        raised(facts([eightWeeks, decided('2026-05-10T08:00:00.000Z')]), '2026-05-11'),
      ).toEqual({});
    });
  });

  describe('OVERDUE (the citizen was told, and the new date passed too)', () => {
    const told = notice('e-n1', '2026-04-20T08:00:00.000Z', 'digital-post', '2026-05-25');

    it('is raised after the date the timely notice gave', () => {
      expect(raised(facts([eightWeeks, told]), '2026-05-25')).toEqual({});
      expect(applicationFlags(facts([eightWeeks, told]), '2026-05-26')).toEqual([
        expect.objectContaining({
          code: 'OVERDUE',
          dueDate: '2026-05-25',
          severity: 'overdue',
          eventIds: ['e-n1', 'e-received'],
        }),
      ]);
    });

    it('a second timely notice moves the date; a late one does not', () => {
      const second = notice('e-n2', '2026-05-20T08:00:00.000Z', 'digital-post', '2026-06-15');
      expect(raised(facts([eightWeeks, told, second]), '2026-06-15')).toEqual({});
      expect(raised(facts([eightWeeks, told, second]), '2026-06-16')).toEqual({
        OVERDUE: 'overdue 2026-06-15',
      });
      const tooLate = notice('e-n2', '2026-05-27T08:00:00.000Z', 'digital-post', '2026-06-15');
      expect(raised(facts([eightWeeks, told, tooLate]), '2026-06-01')).toEqual({
        OVERDUE: 'overdue 2026-05-25',
      });
    });
  });
});

describe('applicationFlags: decisions and appeals', () => {
  const incomplete: DecisionChecklist = {
    reasonsGiven: false,
    hearing: 'not-done',
    hearingNotNeededReason: null,
    appealGuidanceIncluded: false,
    consent: 'missing',
  };
  // 23:30 on 24 April in Denmark.
  const lateEvening = '2026-04-24T21:30:00.000Z';

  it('DECISION_INCOMPLETE names what is missing, due on the Danish decision date', () => {
    expect(
      applicationFlags(facts([eightWeeks, decided(lateEvening, incomplete)]), '2026-04-25'),
    ).toEqual([
      {
        code: 'DECISION_INCOMPLETE',
        applicationId,
        decisionId,
        dueDate: '2026-04-24',
        rule: 'Forvaltningsloven §§ 19, 22, 24, 25',
        severity: 'overdue',
        eventIds: ['e-decision'],
        missing: ['reasons', 'hearing', 'appeal-guidance', 'consent'],
      },
    ]);
  });

  it('supplements shrink the list and finally clear the flag', () => {
    const partly = [
      eightWeeks,
      decided(lateEvening, incomplete),
      supplemented('e-s1', ['reasons', 'consent']),
    ];
    expect(applicationFlags(facts(partly), '2026-05-02')).toEqual([
      expect.objectContaining({
        code: 'DECISION_INCOMPLETE',
        missing: ['hearing', 'appeal-guidance'],
        eventIds: ['e-decision', 'e-s1'],
      }),
    ]);
    const all = [...partly, supplemented('e-s2', ['hearing', 'appeal-guidance'])];
    expect(applicationFlags(facts(all), '2026-05-02')).toEqual([]);
  });

  it('DECISION_INCOMPLETE goes when the decision is replaced on appeal', () => {
    const base = [eightWeeks, decided(lateEvening, incomplete), ...appealChain];
    expect(raised(facts([...base, ruled('upheld')]), '2026-09-10')).toEqual({
      DECISION_INCOMPLETE: 'overdue 2026-04-24',
    });
    expect(raised(facts([...base, ruled('changed'), apology]), '2026-09-10')).toEqual({});
    const changedOnReassessment = [
      eightWeeks,
      decided(lateEvening, incomplete),
      appealChain[0]!,
      {
        id: 'e-reassess',
        type: 'AppealReassessed',
        data: {
          applicationId,
          decisionId,
          outcome: 'changed',
          reassessedAt: '2026-05-20T08:00:00.000Z',
        },
      } as const,
    ];
    expect(raised(facts(changedOnReassessment), '2026-09-10')).toEqual({});
  });

  it('APOLOGY_MISSING after the board changed or sent back, until the apology', () => {
    const base = [eightWeeks, decided('2026-04-24T08:00:00.000Z'), ...appealChain];
    expect(applicationFlags(facts([...base, ruled('upheld')]), '2026-09-10')).toEqual([]);
    for (const outcome of ['changed', 'sent-back'] as const) {
      expect(applicationFlags(facts([...base, ruled(outcome)]), '2026-09-10')).toEqual([
        {
          code: 'APOLOGY_MISSING',
          applicationId,
          decisionId,
          dueDate: '2026-09-01',
          rule: expect.stringContaining('Holbæk'),
          severity: 'overdue',
          eventIds: ['e-ruling'],
          missing: [],
        },
      ]);
      expect(applicationFlags(facts([...base, ruled(outcome), apology]), '2026-09-10')).toEqual([]);
    }
  });

  it('a case sent back has no deadline flags while the new decision is awaited', () => {
    const sentBack = [
      eightWeeks,
      decided('2026-04-24T08:00:00.000Z'),
      ...appealChain,
      ruled('sent-back'),
      apology,
    ];
    expect(applicationFlags(facts(sentBack), '2027-06-01')).toEqual([]);
  });

  it('flags each decision on its own, sorted by due date', () => {
    const events = [
      eightWeeks,
      decided('2026-04-24T08:00:00.000Z'),
      ...appealChain,
      ruled('sent-back'),
      decided('2026-09-20T08:00:00.000Z', incomplete, 'dec-2', 'e-dec-2'),
    ];
    expect(
      applicationFlags(facts(events), '2026-09-21').map((flag) => [flag.code, flag.decisionId]),
    ).toEqual([
      ['APOLOGY_MISSING', 'dec-1'],
      ['DECISION_INCOMPLETE', 'dec-2'],
    ]);
  });

  it('rejects nonsense rules', () => {
    expect(() =>
      applicationFlags(facts([eightWeeks]), '2026-04-01', {
        ...DEFAULT_APPLICATION_RULES,
        deadlineWarningDays: -1,
      }),
    ).toThrow(RangeError);
  });
});

describe('figures', () => {
  it('decidedWithinDeadline compares the Danish date of the first decision with the deadline', () => {
    expect(decidedWithinDeadline(facts([eightWeeks]))).toBeNull();
    // 23:30 CEST on 27 April: on time; 00:30 on 28 April: late.
    expect(decidedWithinDeadline(facts([eightWeeks, decided('2026-04-27T21:30:00.000Z')]))).toBe(
      true,
    );
    expect(decidedWithinDeadline(facts([eightWeeks, decided('2026-04-27T22:30:00.000Z')]))).toBe(
      false,
    );
  });

  it('a delay notice does not make a late decision count as within the deadline', () => {
    const told = notice('e-n1', '2026-04-20T08:00:00.000Z', 'digital-post', '2026-05-25');
    expect(
      decidedWithinDeadline(facts([eightWeeks, told, decided('2026-05-20T08:00:00.000Z')])),
    ).toBe(false);
  });

  it('processingDays counts calendar days to the first decision', () => {
    expect(processingDays(facts([eightWeeks]))).toBeNull();
    expect(processingDays(facts([eightWeeks, decided('2026-04-27T08:00:00.000Z')]))).toBe(56);
    const sentBack = [
      eightWeeks,
      decided('2026-03-02T09:00:00.000Z'),
      ...appealChain,
      ruled('sent-back'),
      decided('2026-09-20T08:00:00.000Z', complete, 'dec-2', 'e-dec-2'),
    ];
    expect(processingDays(facts(sentBack))).toBe(0);
  });
});

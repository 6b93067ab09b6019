import {
  activeCaseworker,
  deactivatedCaseworker,
  unknownCaseworker,
} from '../caseworkers/caseworker-facts.fixtures';
import { CASEWORKER_ERRORS } from '../caseworkers/caseworker.decider';
import { fold } from '../shared/decider';
import { specFor } from '../shared/given-when-then';
import type { TransitionCommand } from './transition.commands';
import { TRANSITION_ERRORS, transitionDecider } from './transition.decider';
import {
  TRANSITION_EVENT_TYPES,
  transitionStream,
  type TransitionEvent,
} from './transition.events';

const personId = 'p-1';
const now = new Date('2024-09-02T08:00:00.000Z');
const at = now.toISOString();
const earlier = new Date('2024-08-26T12:00:00.000Z');
const later = new Date('2024-09-03T08:00:00.000Z');
const anna = activeCaseworker('cw-anna');
const bo = activeCaseworker('cw-bo');
const gone = deactivatedCaseworker('cw-gone');
const nobody = unknownCaseworker('cw-x');

const due: TransitionEvent = {
  type: 'TransitionPreparationDue',
  data: {
    personId,
    birthDate: '2008-06-15',
    sixteenthBirthday: '2024-06-15',
    triggerCaseIds: ['case-1'],
    dueAt: '2024-06-15T03:00:00.000Z',
  },
};
const started: TransitionEvent = {
  type: 'TransitionPreparationStarted',
  data: {
    personId,
    byCaseworkerId: 'cw-anna',
    inDialogueWith: ['young-person', 'parents'],
    startedAt: '2024-07-01T09:00:00.000Z',
  },
};
const placedTrack: TransitionEvent = {
  type: 'TransitionTrackChosen',
  data: { personId, track: 'placed-out-of-home-adult-approval', chosenAt: at },
};
const adultCaseworker: TransitionEvent = {
  type: 'AdultCaseworkerAssigned',
  data: { personId, caseworkerId: 'cw-bo', departmentId: 'chp', assignedAt: at },
};
const adultDecision: TransitionEvent = {
  type: 'AdultDecisionIssued',
  data: { personId, decisionId: 'd-1', effectiveFrom: '2026-06-15', issuedAt: at },
};
const aftercareDecision: TransitionEvent = {
  type: 'AftercareDecisionIssued',
  data: { personId, decisionId: 'a-1', effectiveFrom: '2026-06-15', issuedAt: at },
};
const handedOver: TransitionEvent = {
  type: 'HandoverCompleted',
  data: { personId, completedAt: at },
};
const closed: TransitionEvent = {
  type: 'TransitionClosed',
  data: { personId, reason: 'moved-away', closedAt: at },
};
const ready = [due, started, adultCaseworker, adultDecision];

const spec = specFor(transitionDecider);
const testedCodes = new Set<string>();

/** thenThrows, remembering the code so the last test can check every code was exercised. */
function refuses(past: readonly TransitionEvent[], command: TransitionCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

const recordDue = (
  overrides: Partial<Extract<TransitionCommand, { type: 'RecordPreparationDue' }>> = {},
) =>
  ({
    type: 'RecordPreparationDue',
    personId,
    birthDate: '2008-06-15',
    triggerCaseIds: ['case-1'],
    now: new Date('2024-06-15T03:00:00.000Z'),
    ...overrides,
  }) as const;

const start = {
  type: 'StartPreparation',
  personId,
  by: anna,
  inDialogueWith: ['young-person'],
  now,
} as const;

/** Every command that needs a started preparation, valid otherwise. */
const workCommands: TransitionCommand[] = [
  { type: 'ChooseTrack', personId, track: 'residential-home-vum', now },
  { type: 'AssignAdultCaseworker', personId, caseworker: bo, departmentId: 'chp', now },
  { type: 'StartAdultAssessment', personId, now },
  { type: 'RecordYouthPlan', personId, now },
  { type: 'IssueAdultDecision', personId, decisionId: 'd-9', effectiveFrom: '2026-06-15', now },
  { type: 'IssueAftercareDecision', personId, decisionId: 'a-9', effectiveFrom: '2026-06-15', now },
  { type: 'CompleteHandover', personId, now },
];

describe('transition decider: preparing the transition to adult services', () => {
  it('lives on the stream transition-<personId>', () => {
    expect(transitionStream('p-1')).toBe('transition-p-1');
  });

  describe('RecordPreparationDue (the scheduler, at the 16th birthday)', () => {
    it('records the due preparation with the 16th birthday and sorted trigger cases', () => {
      spec
        .given([])
        .when(recordDue({ triggerCaseIds: ['case-2', 'case-1', 'case-2'] }))
        .then([
          {
            type: 'TransitionPreparationDue',
            data: {
              personId,
              birthDate: '2008-06-15',
              sixteenthBirthday: '2024-06-15',
              triggerCaseIds: ['case-1', 'case-2'],
              dueAt: '2024-06-15T03:00:00.000Z',
            },
          },
        ]);
    });

    it('is idempotent: a second one for the person records nothing', () => {
      spec.given([due]).when(recordDue()).then([]);
      spec
        .given([due, started])
        .when(recordDue({ now: new Date('2024-07-02T03:00:00.000Z') }))
        .then([]);
    });

    it('a catch-up after missed runs records the birthday, not the day of the run', () => {
      spec
        .given([])
        .when(recordDue({ now: new Date('2024-06-20T03:00:00.000Z') }))
        .then([
          {
            type: 'TransitionPreparationDue',
            data: { ...due.data, dueAt: '2024-06-20T03:00:00.000Z' },
          },
        ]);
    });

    it('joins a preparation a caseworker started early; the stream learns the birthday', () => {
      const early: TransitionEvent = { ...started, data: { ...started.data, startedAt: at } };
      spec.given([early]).when(recordDue()).then([due]);
      expect(fold(transitionDecider, [early]).sixteenthBirthday).toBeNull();
      expect(fold(transitionDecider, [early, due]).sixteenthBirthday).toBe('2024-06-15');
    });

    it('records nothing on a closed transition, so scheduler runs never fail on one', () => {
      const closedEarly: TransitionEvent = { ...started, data: { ...started.data } };
      spec.given([closedEarly, closed]).when(recordDue()).then([]);
    });

    it('uses the Danish date of `now`: 00:30 in Copenhagen on the birthday is the birthday', () => {
      spec
        .given([])
        .when(recordDue({ now: new Date('2024-06-14T22:30:00.000Z') }))
        .then([
          {
            type: 'TransitionPreparationDue',
            data: { ...due.data, dueAt: '2024-06-14T22:30:00.000Z' },
          },
        ]);
      refuses(
        [],
        recordDue({ now: new Date('2024-06-14T21:30:00.000Z') }),
        TRANSITION_ERRORS.notYetSixteen,
      );
    });

    it('refuses a bad birth date, a person not yet 16 and a due without trigger cases', () => {
      refuses([], recordDue({ birthDate: '2008-02-30' }), TRANSITION_ERRORS.invalidBirthDate);
      refuses([], recordDue({ birthDate: '15-06-2008' }), TRANSITION_ERRORS.invalidBirthDate);
      refuses([], recordDue({ birthDate: '2008-06-16' }), TRANSITION_ERRORS.notYetSixteen);
      refuses([], recordDue({ triggerCaseIds: [] }), TRANSITION_ERRORS.noTriggerCases);
      refuses([], recordDue({ triggerCaseIds: ['case-1', ' '] }), TRANSITION_ERRORS.missingId);
      refuses([], recordDue({ now: new Date('not a time') }), TRANSITION_ERRORS.invalidTime);
    });

    it('leap-day births are due on 29 February: 16 years after a leap year is one (here)', () => {
      spec
        .given([])
        .when(recordDue({ birthDate: '2008-02-29', now: new Date('2024-02-29T06:00:00.000Z') }))
        .then([
          {
            type: 'TransitionPreparationDue',
            data: {
              personId,
              birthDate: '2008-02-29',
              sixteenthBirthday: '2024-02-29',
              triggerCaseIds: ['case-1'],
              dueAt: '2024-02-29T06:00:00.000Z',
            },
          },
        ]);
    });
  });

  describe('StartPreparation', () => {
    it('starts once the preparation is due, in dialogue with the young person/parents', () => {
      spec
        .given([due])
        .when({ ...start, inDialogueWith: ['parents', 'young-person', 'parents'] })
        .then([
          {
            type: 'TransitionPreparationStarted',
            data: {
              personId,
              byCaseworkerId: 'cw-anna',
              inDialogueWith: ['young-person', 'parents'],
              startedAt: at,
            },
          },
        ]);
    });

    it('may begin a transition before the due event (a caseworker starting early)', () => {
      spec
        .given([])
        .when({ ...start, startedAt: earlier })
        .then([
          {
            type: 'TransitionPreparationStarted',
            data: {
              personId,
              byCaseworkerId: 'cw-anna',
              inDialogueWith: ['young-person'],
              startedAt: earlier.toISOString(),
            },
          },
        ]);
    });

    it('starts only once', () => {
      refuses([due, started], start, TRANSITION_ERRORS.alreadyStarted);
      refuses([started], start, TRANSITION_ERRORS.alreadyStarted);
    });

    it('refuses an inactive or unknown caseworker', () => {
      refuses([due], { ...start, by: gone }, CASEWORKER_ERRORS.inactive);
      refuses([due], { ...start, by: nobody }, CASEWORKER_ERRORS.notFound);
    });

    it('needs a dialogue party, and only known ones', () => {
      refuses([due], { ...start, inDialogueWith: [] }, TRANSITION_ERRORS.noDialogueParty);
      refuses(
        [due],
        { ...start, inDialogueWith: ['teacher' as 'parents'] },
        TRANSITION_ERRORS.unknownDialogueParty,
      );
    });

    it('refuses a start in the future or on a closed transition', () => {
      refuses([due], { ...start, startedAt: later }, TRANSITION_ERRORS.inTheFuture);
      refuses([due, closed], start, TRANSITION_ERRORS.closed);
    });
  });

  describe('commands that need a started preparation', () => {
    it.each(workCommands.map((command) => [command.type, command] as const))(
      '%s: refused on no transition, an unstarted one and a closed one',
      (_type, command) => {
        refuses([], command, TRANSITION_ERRORS.notFound);
        refuses([due], command, TRANSITION_ERRORS.notStarted);
        refuses([...ready, closed], command, TRANSITION_ERRORS.closed);
      },
    );

    it.each(workCommands.map((command) => [command.type, command] as const))(
      '%s: refused when said to have happened in the future',
      (_type, command) => {
        const field = {
          ChooseTrack: 'chosenAt',
          AssignAdultCaseworker: 'assignedAt',
          StartAdultAssessment: 'startedAt',
          RecordYouthPlan: 'recordedAt',
          IssueAdultDecision: 'issuedAt',
          IssueAftercareDecision: 'issuedAt',
          CompleteHandover: 'completedAt',
        }[command.type as string];
        const past = [...ready, adultCaseworker];
        refuses(
          command.type === 'AssignAdultCaseworker' ? [due, started] : past,
          { ...command, [field ?? 'x']: later },
          TRANSITION_ERRORS.inTheFuture,
        );
        testedCodes.add(TRANSITION_ERRORS.inTheFuture);
      },
    );
  });

  describe('ChooseTrack', () => {
    it('records the track, with a trimmed note when given', () => {
      spec
        .given([due, started])
        .when({
          type: 'ChooseTrack',
          personId,
          track: 'disability-pension-jobcenter',
          note: '  clear case  ',
          chosenAt: earlier,
          now,
        })
        .then([
          {
            type: 'TransitionTrackChosen',
            data: {
              personId,
              track: 'disability-pension-jobcenter',
              note: 'clear case',
              chosenAt: earlier.toISOString(),
            },
          },
        ]);
    });

    it('the same track again records nothing; another track is a change', () => {
      spec
        .given([due, started, placedTrack])
        .when({ type: 'ChooseTrack', personId, track: 'placed-out-of-home-adult-approval', now })
        .then([]);
      spec
        .given([due, started, placedTrack])
        .when({ type: 'ChooseTrack', personId, track: 'residential-home-vum', now })
        .then([
          {
            type: 'TransitionTrackChosen',
            data: { personId, track: 'residential-home-vum', chosenAt: at },
          },
        ]);
    });

    it("'other' needs a note; a note never holds something like a CPR number", () => {
      const choose = { type: 'ChooseTrack', personId, track: 'other', now } as const;
      refuses([due, started], choose, TRANSITION_ERRORS.noteRequired);
      refuses([due, started], { ...choose, note: '   ' }, TRANSITION_ERRORS.noteRequired);
      refuses(
        [due, started],
        { ...choose, note: 'see 150608-1234' },
        TRANSITION_ERRORS.noteMayContainCpr,
      );
      refuses(
        [due, started],
        { ...choose, note: 'see 1506081234' },
        TRANSITION_ERRORS.noteMayContainCpr,
      );
      spec
        .given([due, started])
        .when({ ...choose, note: 'education abroad, phone 12345678' })
        .then([
          {
            type: 'TransitionTrackChosen',
            data: {
              personId,
              track: 'other',
              note: 'education abroad, phone 12345678',
              chosenAt: at,
            },
          },
        ]);
    });

    it('refuses an unknown track', () => {
      refuses(
        [due, started],
        { type: 'ChooseTrack', personId, track: 'school' as 'other', note: 'x', now },
        TRANSITION_ERRORS.unknownTrack,
      );
    });
  });

  describe('AssignAdultCaseworker', () => {
    const assign = {
      type: 'AssignAdultCaseworker',
      personId,
      caseworker: bo,
      departmentId: 'chp',
      now,
    } as const;

    it('assigns an active adult-side caseworker; the same one again records nothing', () => {
      spec.given([due, started]).when(assign).then([adultCaseworker]);
      spec.given([due, started, adultCaseworker]).when(assign).then([]);
    });

    it('another caseworker replaces the first', () => {
      spec
        .given([due, started, adultCaseworker])
        .when({ ...assign, caseworker: anna, departmentId: 'jobcenter' })
        .then([
          {
            type: 'AdultCaseworkerAssigned',
            data: { personId, caseworkerId: 'cw-anna', departmentId: 'jobcenter', assignedAt: at },
          },
        ]);
    });

    it('refuses an inactive or unknown caseworker and a missing department', () => {
      refuses([due, started], { ...assign, caseworker: gone }, CASEWORKER_ERRORS.inactive);
      refuses([due, started], { ...assign, caseworker: nobody }, CASEWORKER_ERRORS.notFound);
      refuses([due, started], { ...assign, departmentId: '' }, TRANSITION_ERRORS.missingId);
    });
  });

  describe('StartAdultAssessment', () => {
    const assess = { type: 'StartAdultAssessment', personId, now } as const;

    it('starts once, on the adult side', () => {
      spec
        .given([due, started, adultCaseworker])
        .when(assess)
        .then([{ type: 'AdultAssessmentStarted', data: { personId, startedAt: at } }]);
      refuses(
        [
          due,
          started,
          adultCaseworker,
          { type: 'AdultAssessmentStarted', data: { personId, startedAt: at } },
        ],
        assess,
        TRANSITION_ERRORS.adultAssessmentAlreadyStarted,
      );
      refuses([due, started], assess, TRANSITION_ERRORS.noAdultCaseworker);
    });
  });

  describe('RecordYouthPlan', () => {
    it('records a youth plan, and a revised one again', () => {
      const recorded: TransitionEvent = {
        type: 'YouthPlanRecorded',
        data: { personId, recordedAt: earlier.toISOString() },
      };
      const command = { type: 'RecordYouthPlan', personId, recordedAt: earlier, now } as const;
      spec.given([due, started]).when(command).then([recorded]);
      spec.given([due, started, recorded]).when(command).then([recorded]);
    });
  });

  describe('IssueAdultDecision and IssueAftercareDecision', () => {
    it('record a decision with its effective date', () => {
      spec
        .given([due, started])
        .when({
          type: 'IssueAdultDecision',
          personId,
          decisionId: 'd-1',
          effectiveFrom: '2026-06-15',
          now,
        })
        .then([adultDecision]);
      spec
        .given([due, started])
        .when({
          type: 'IssueAftercareDecision',
          personId,
          decisionId: 'a-1',
          effectiveFrom: '2026-06-15',
          now,
        })
        .then([aftercareDecision]);
    });

    it('the same decision again records nothing; a changed decision gets a new id', () => {
      spec
        .given([due, started, adultDecision])
        .when({
          type: 'IssueAdultDecision',
          personId,
          decisionId: 'd-1',
          effectiveFrom: '2026-06-15',
          now,
        })
        .then([]);
      spec
        .given([due, started, aftercareDecision])
        .when({
          type: 'IssueAftercareDecision',
          personId,
          decisionId: 'a-1',
          effectiveFrom: '2026-06-15',
          now,
        })
        .then([]);
      spec
        .given([due, started, adultDecision])
        .when({
          type: 'IssueAdultDecision',
          personId,
          decisionId: 'd-2',
          effectiveFrom: '2026-07-01',
          now,
        })
        .then([
          {
            type: 'AdultDecisionIssued',
            data: { personId, decisionId: 'd-2', effectiveFrom: '2026-07-01', issuedAt: at },
          },
        ]);
      refuses(
        [due, started, adultDecision],
        {
          type: 'IssueAdultDecision',
          personId,
          decisionId: 'd-1',
          effectiveFrom: '2026-07-01',
          now,
        },
        TRANSITION_ERRORS.decisionIdReused,
      );
      refuses(
        [due, started, aftercareDecision],
        {
          type: 'IssueAftercareDecision',
          personId,
          decisionId: 'a-1',
          effectiveFrom: '2026-07-01',
          now,
        },
        TRANSITION_ERRORS.decisionIdReused,
      );
    });

    it('an adult decision id and an aftercare decision id do not collide', () => {
      spec
        .given([due, started, adultDecision])
        .when({
          type: 'IssueAftercareDecision',
          personId,
          decisionId: 'd-1',
          effectiveFrom: '2026-08-01',
          now,
        })
        .then([
          {
            type: 'AftercareDecisionIssued',
            data: { personId, decisionId: 'd-1', effectiveFrom: '2026-08-01', issuedAt: at },
          },
        ]);
    });

    it('refuse an effective date that is not a real ISO date, and a missing id', () => {
      for (const effectiveFrom of ['2026-02-29', '2026-6-15', '15-06-2026', '2026-06-15T00:00']) {
        refuses(
          [due, started],
          { type: 'IssueAdultDecision', personId, decisionId: 'd-1', effectiveFrom, now },
          TRANSITION_ERRORS.invalidEffectiveDate,
        );
        refuses(
          [due, started],
          { type: 'IssueAftercareDecision', personId, decisionId: 'a-1', effectiveFrom, now },
          TRANSITION_ERRORS.invalidEffectiveDate,
        );
      }
      refuses(
        [due, started],
        { type: 'IssueAdultDecision', personId, decisionId: ' ', effectiveFrom: '2026-06-15', now },
        TRANSITION_ERRORS.missingId,
      );
    });
  });

  describe('CompleteHandover', () => {
    const handover = { type: 'CompleteHandover', personId, now } as const;

    it('completes with an adult caseworker and an adult decision', () => {
      spec.given(ready).when(handover).then([handedOver]);
    });

    it('needs an adult caseworker and an adult decision', () => {
      refuses([due, started, adultDecision], handover, TRANSITION_ERRORS.noAdultCaseworker);
      refuses([due, started, adultCaseworker], handover, TRANSITION_ERRORS.noAdultDecision);
    });

    it('on the placed-youth track, also the decision on support after 18 (§ 111)', () => {
      refuses([...ready, placedTrack], handover, TRANSITION_ERRORS.noAftercareDecision);
      spec
        .given([...ready, placedTrack, aftercareDecision])
        .when(handover)
        .then([handedOver]);
    });

    it('happens once', () => {
      refuses([...ready, handedOver], handover, TRANSITION_ERRORS.alreadyHandedOver);
    });
  });

  describe('CloseTransition', () => {
    const close = { type: 'CloseTransition', personId, reason: 'moved-away', now } as const;

    it('closes a due transition that never started, e.g. when the person moved away', () => {
      spec.given([due]).when(close).then([closed]);
    });

    it("closes as 'completed' only after the handover", () => {
      refuses(ready, { ...close, reason: 'completed' }, TRANSITION_ERRORS.handoverNotCompleted);
      spec
        .given([...ready, handedOver])
        .when({ ...close, reason: 'completed', closedAt: earlier })
        .then([
          {
            type: 'TransitionClosed',
            data: { personId, reason: 'completed', closedAt: earlier.toISOString() },
          },
        ]);
    });

    it("'other' needs a note", () => {
      refuses([due], { ...close, reason: 'other' }, TRANSITION_ERRORS.noteRequired);
      spec
        .given([due])
        .when({ ...close, reason: 'other', note: 'adoption abroad' })
        .then([
          {
            type: 'TransitionClosed',
            data: { personId, reason: 'other', note: 'adoption abroad', closedAt: at },
          },
        ]);
    });

    it('refuses no transition, a second close, an unknown reason, a time in the future', () => {
      refuses([], close, TRANSITION_ERRORS.notFound);
      refuses([due, closed], close, TRANSITION_ERRORS.closed);
      refuses(
        [due],
        { ...close, reason: 'bored' as 'other' },
        TRANSITION_ERRORS.unknownCloseReason,
      );
      refuses([due], { ...close, closedAt: later }, TRANSITION_ERRORS.inTheFuture);
      refuses([due], { ...close, closedAt: new Date(Number.NaN) }, TRANSITION_ERRORS.invalidTime);
    });
  });

  describe('the state', () => {
    it('folds the whole story', () => {
      const state = fold(transitionDecider, [
        due,
        started,
        placedTrack,
        adultCaseworker,
        { type: 'AdultAssessmentStarted', data: { personId, startedAt: at } },
        { type: 'YouthPlanRecorded', data: { personId, recordedAt: at } },
        adultDecision,
        aftercareDecision,
        handedOver,
        { type: 'TransitionClosed', data: { personId, reason: 'completed', closedAt: at } },
      ]);
      expect(state).toEqual({
        exists: true,
        sixteenthBirthday: '2024-06-15',
        startedAt: '2024-07-01T09:00:00.000Z',
        track: 'placed-out-of-home-adult-approval',
        trackNote: null,
        adultCaseworkerId: 'cw-bo',
        adultAssessmentStartedAt: at,
        youthPlanRecordedAt: at,
        adultDecisions: new Map([['d-1', '2026-06-15']]),
        aftercareDecisions: new Map([['a-1', '2026-06-15']]),
        handoverCompletedAt: at,
        closed: { reason: 'completed', closedAt: at },
      });
    });

    it('knows every event type it produces', () => {
      expect([...TRANSITION_EVENT_TYPES].sort()).toEqual(
        [
          'AdultAssessmentStarted',
          'AdultCaseworkerAssigned',
          'AdultDecisionIssued',
          'AftercareDecisionIssued',
          'HandoverCompleted',
          'TransitionClosed',
          'TransitionPreparationDue',
          'TransitionPreparationStarted',
          'TransitionTrackChosen',
          'YouthPlanRecorded',
        ].sort(),
      );
    });
  });

  it('every error code has been exercised above', () => {
    expect([...testedCodes].filter((code) => code.startsWith('TRANSITION.')).sort()).toEqual(
      Object.values(TRANSITION_ERRORS).sort(),
    );
  });
});

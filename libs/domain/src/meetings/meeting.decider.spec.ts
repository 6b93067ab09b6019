import {
  activeCaseworker,
  deactivatedCaseworker,
  unknownCaseworker,
} from '../caseworkers/caseworker-facts.fixtures';
import { CASEWORKER_ERRORS, type CaseworkerFacts } from '../caseworkers/caseworker.decider';
import { CUSTOMARY_CLOSED_DAYS } from '../shared/danish-holidays';
import { fold } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { specFor } from '../shared/given-when-then';
import { SHORT_TEXT_MAX_LENGTH } from '../shared/free-text';
import type { MeetingCommand } from './meeting.commands';
import { MEETING_ERRORS, meetingDecider } from './meeting.decider';
import {
  MEETING_EVENT_TYPES,
  meetingStream,
  type AgendaItem,
  type MeetingEvent,
} from './meeting.events';

const meetingId = 'm-1';
// The meeting is on Tuesday 7 April 2026, the day after Easter Monday. Its cut-off is the end
// (Danish time, CET) of Thursday 26 March: five working days back over Easter.
const date = '2026-04-07';
const cutOff = '2026-03-26T22:59:59.999Z';
const planNow = new Date('2026-03-02T09:00:00.000Z');
const freezeNow = new Date('2026-03-27T07:00:00.000Z');
const meetingNow = new Date('2026-04-07T10:00:00.000Z');
const afterNow = new Date('2026-04-08T08:00:00.000Z');
const otherItemId = 'other:0b6c3f4e-2a51-4c1e-9d3a-7f2e8b9c1d00';

const anna = activeCaseworker('cw-anna');
const gone = deactivatedCaseworker('cw-gone');
const nobody = unknownCaseworker('cw-x');

const familyItem: AgendaItem = {
  itemId: 'primary-contact-missing:f-1',
  section: 'primary-contact-missing',
  subject: { kind: 'family', id: 'f-1' },
  familyId: 'f-1',
  personId: null,
  dueDate: '2026-02-10',
  flagCodes: [],
  isNew: true,
  departmentIds: ['cbu', 'chp'],
};
const youngItem: AgendaItem = {
  itemId: 'transition-flags:p-7',
  section: 'transition-flags',
  subject: { kind: 'young-person', id: 'p-7' },
  familyId: 'f-2',
  personId: 'p-7',
  dueDate: '2026-03-15',
  flagCodes: ['NOT_STARTED'],
  isNew: false,
  departmentIds: ['chp'],
};

const planned: MeetingEvent = {
  type: 'MeetingPlanned',
  data: {
    meetingId,
    date,
    chairDepartmentId: 'cbu',
    departmentIds: ['cbu', 'chp', 'jobcenter', 'uu'],
    agendaCutOffAt: cutOff,
    plannedAt: planNow.toISOString(),
  },
};
const frozen: MeetingEvent = {
  type: 'AgendaFrozen',
  data: {
    meetingId,
    frozenAt: freezeNow.toISOString(),
    early: false,
    previousMeetingId: 'm-0',
    items: [familyItem, youngItem],
  },
};
const minutes: MeetingEvent = {
  type: 'ItemMinutesRecorded',
  data: {
    meetingId,
    itemId: familyItem.itemId,
    outcome: 'CHP takes the primary contact',
    decisions: ['Primary contact from CHP'],
    recordedAt: meetingNow.toISOString(),
  },
};
const agreement: MeetingEvent = {
  type: 'AgreementMade',
  data: {
    meetingId,
    agreementId: 'a-1',
    itemId: familyItem.itemId,
    what: 'Assign a primary contact',
    owner: { kind: 'department', departmentId: 'chp' },
    dueDate: '2026-04-21',
    familyId: 'f-1',
    personId: null,
    madeAt: meetingNow.toISOString(),
  },
};
const approved: MeetingEvent = {
  type: 'MinutesApproved',
  data: { meetingId, approvedAt: afterNow.toISOString(), approvedBy: 'cw-anna' },
};
const completed: MeetingEvent = {
  type: 'AgreementCompleted',
  data: { meetingId, agreementId: 'a-1', completedAt: afterNow.toISOString() },
};
const cancelled: MeetingEvent = {
  type: 'AgreementCancelled',
  data: {
    meetingId,
    agreementId: 'a-1',
    reason: 'Family moved',
    cancelledAt: afterNow.toISOString(),
  },
};

const spec = specFor(meetingDecider);
const testedCodes = new Set<string>();

/** thenThrows, remembering the code so the last test can check every code was exercised. */
function refuses(past: readonly MeetingEvent[], command: MeetingCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

/** The refusal's details (to check they name the field and never echo the text). */
function refusalOf(past: readonly MeetingEvent[], command: MeetingCommand): DomainError {
  try {
    meetingDecider.decide(command, fold(meetingDecider, past));
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('Expected a refusal');
}

type Of<T extends MeetingCommand['type']> = Extract<MeetingCommand, { type: T }>;

const plan = (overrides: Partial<Of<'PlanMeeting'>> = {}): Of<'PlanMeeting'> => ({
  type: 'PlanMeeting',
  meetingId,
  date,
  chairDepartmentId: 'cbu',
  departmentIds: ['uu', 'chp', 'jobcenter', 'chp'],
  agendaCutOffAt: new Date(cutOff),
  now: planNow,
  ...overrides,
});
const freeze = (overrides: Partial<Of<'FreezeAgenda'>> = {}): Of<'FreezeAgenda'> => ({
  type: 'FreezeAgenda',
  meetingId,
  previousMeetingId: 'm-0',
  items: [familyItem, youngItem],
  now: freezeNow,
  ...overrides,
});
const record = (overrides: Partial<Of<'RecordItemMinutes'>> = {}): Of<'RecordItemMinutes'> => ({
  type: 'RecordItemMinutes',
  meetingId,
  itemId: familyItem.itemId,
  outcome: '  CHP takes the primary contact ',
  decisions: ['Primary contact from CHP'],
  now: meetingNow,
  ...overrides,
});
const agree = (overrides: Partial<Of<'MakeAgreement'>> = {}): Of<'MakeAgreement'> => ({
  type: 'MakeAgreement',
  meetingId,
  agreementId: 'a-1',
  itemId: familyItem.itemId,
  what: 'Assign a primary contact',
  owner: { kind: 'department', departmentId: 'chp' },
  dueDate: '2026-04-21',
  now: meetingNow,
  ...overrides,
});
const approve = (overrides: Partial<Of<'ApproveMinutes'>> = {}): Of<'ApproveMinutes'> => ({
  type: 'ApproveMinutes',
  meetingId,
  by: anna,
  now: afterNow,
  ...overrides,
});
const correct = (overrides: Partial<Of<'CorrectMinutes'>> = {}): Of<'CorrectMinutes'> => ({
  type: 'CorrectMinutes',
  meetingId,
  itemId: familyItem.itemId,
  outcome: 'CHP and CBU share the primary contact until 1 May',
  decisions: ['Primary contact from CHP from 1 May'],
  reason: 'The chair recalled the decision differently',
  now: afterNow,
  ...overrides,
});
const complete = (overrides: Partial<Of<'CompleteAgreement'>> = {}): Of<'CompleteAgreement'> => ({
  type: 'CompleteAgreement',
  meetingId,
  agreementId: 'a-1',
  now: afterNow,
  ...overrides,
});
const cancel = (overrides: Partial<Of<'CancelAgreement'>> = {}): Of<'CancelAgreement'> => ({
  type: 'CancelAgreement',
  meetingId,
  agreementId: 'a-1',
  reason: 'Family moved',
  now: afterNow,
  ...overrides,
});

describe('meeting decider: the monthly coordination meeting', () => {
  it('lives on the stream meeting-<meetingId>', () => {
    expect(meetingStream('m-1')).toBe('meeting-m-1');
  });

  describe('PlanMeeting', () => {
    it('records the plan with sorted departments that include the chair', () => {
      spec.given([]).when(plan()).then([planned]);
    });

    it('refuses a second plan, missing ids and no departments', () => {
      refuses([planned], plan(), MEETING_ERRORS.alreadyPlanned);
      refuses([], plan({ chairDepartmentId: ' ' }), MEETING_ERRORS.missingId);
      refuses([], plan({ meetingId: '' }), MEETING_ERRORS.missingId);
      refuses([], plan({ departmentIds: ['chp', ''] }), MEETING_ERRORS.missingId);
      refuses([], plan({ departmentIds: [] }), MEETING_ERRORS.noDepartments);
    });

    it('refuses a date that is not a real day', () => {
      refuses([], plan({ date: '2026-02-30' }), MEETING_ERRORS.invalidDate);
      refuses([], plan({ date: '07-04-2026' }), MEETING_ERRORS.invalidDate);
    });

    it('refuses a day in the past by the Danish date of now: 00:30 in Copenhagen is tomorrow', () => {
      const monday = '2026-02-02';
      const cutOffMonday = new Date('2026-02-02T10:00:00.000Z');
      refuses(
        [],
        plan({
          date: monday,
          agendaCutOffAt: cutOffMonday,
          now: new Date('2026-02-02T23:30:00.000Z'),
        }),
        MEETING_ERRORS.dateInThePast,
      );
      // 23:30 in Copenhagen on the day itself: still today.
      expect(
        meetingDecider.decide(
          plan({
            date: monday,
            agendaCutOffAt: cutOffMonday,
            now: new Date('2026-02-02T22:30:00.000Z'),
          }),
          meetingDecider.initialState,
        ),
      ).toHaveLength(1);
    });

    it('refuses weekends and Danish public holidays: Easter, Ascension, Whitsun, Christmas', () => {
      const on = (day: string) =>
        plan({ date: day, agendaCutOffAt: new Date(`${day}T06:00:00.000Z`) });
      for (const day of [
        '2026-04-02', // Maundy Thursday
        '2026-04-03', // Good Friday
        '2026-04-04', // Saturday
        '2026-04-06', // Easter Monday
        '2026-05-14', // Ascension Day
        '2026-05-25', // Whit Monday
        '2026-12-25', // Christmas Day
        '2027-01-01', // New Year's Day
      ]) {
        refuses([], on(day), MEETING_ERRORS.notAWorkingDay);
      }
      expect(meetingDecider.decide(on('2026-04-01'), meetingDecider.initialState)).toHaveLength(1);
      // Christmas Eve is no holiday by law, but a municipality may close on it.
      expect(meetingDecider.decide(on('2026-12-24'), meetingDecider.initialState)).toHaveLength(1);
      refuses(
        [],
        { ...on('2026-12-24'), calendar: { alsoClosedEveryYear: CUSTOMARY_CLOSED_DAYS } },
        MEETING_ERRORS.notAWorkingDay,
      );
    });

    it('refuses a cut-off after the end of the meeting day in Danish time (CET and CEST)', () => {
      // Friday 27 March 2026 (CET, UTC+1) ends at 22:59:59.999Z.
      const friday = (cut: string) => plan({ date: '2026-03-27', agendaCutOffAt: new Date(cut) });
      expect(
        meetingDecider.decide(friday('2026-03-27T22:59:59.999Z'), meetingDecider.initialState),
      ).toHaveLength(1);
      refuses([], friday('2026-03-27T23:00:00.000Z'), MEETING_ERRORS.cutOffAfterMeeting);
      // Monday 30 March 2026, the day after the switch to summer time (UTC+2), ends at 21:59:59.999Z.
      const monday = (cut: string) => plan({ date: '2026-03-30', agendaCutOffAt: new Date(cut) });
      expect(
        meetingDecider.decide(monday('2026-03-30T21:59:59.999Z'), meetingDecider.initialState),
      ).toHaveLength(1);
      refuses([], monday('2026-03-30T22:00:00.000Z'), MEETING_ERRORS.cutOffAfterMeeting);
    });

    it('refuses an invalid time', () => {
      refuses([], plan({ agendaCutOffAt: new Date('nope') }), MEETING_ERRORS.invalidTime);
      refuses([], plan({ now: new Date('nope') }), MEETING_ERRORS.invalidTime);
    });
  });

  describe('FreezeAgenda', () => {
    it('freezes the composed items after the cut-off, with sorted id lists', () => {
      spec
        .given([planned])
        .when(
          freeze({
            items: [
              familyItem,
              { ...youngItem, flagCodes: ['NOT_STARTED', 'NO_ADULT_CASEWORKER', 'NOT_STARTED'] },
            ],
          }),
        )
        .then([
          {
            ...frozen,
            data: {
              ...frozen.data,
              items: [
                familyItem,
                { ...youngItem, flagCodes: ['NOT_STARTED', 'NO_ADULT_CASEWORKER'] },
              ],
            },
          },
        ]);
    });

    it('is on time at the cut-off instant itself', () => {
      spec
        .given([planned])
        .when(freeze({ now: new Date(cutOff) }))
        .then([{ ...frozen, data: { ...frozen.data, frozenAt: cutOff } }]);
    });

    it('refuses to freeze before the cut-off unless forced, and records a forced freeze as early', () => {
      const early = new Date('2026-03-26T22:59:59.998Z');
      refuses([planned], freeze({ now: early }), MEETING_ERRORS.beforeCutOff);
      spec
        .given([planned])
        .when(freeze({ now: early, force: true, previousMeetingId: null }))
        .then([
          {
            ...frozen,
            data: {
              ...frozen.data,
              frozenAt: early.toISOString(),
              early: true,
              previousMeetingId: null,
            },
          },
        ]);
    });

    it('freezes once, and only a planned meeting', () => {
      refuses([planned, frozen], freeze(), MEETING_ERRORS.agendaAlreadyFrozen);
      refuses([], freeze(), MEETING_ERRORS.notFound);
      refuses([planned], freeze({ previousMeetingId: '' }), MEETING_ERRORS.missingId);
    });

    it('refuses malformed or duplicate items', () => {
      const bad = (item: Partial<AgendaItem>) => freeze({ items: [{ ...familyItem, ...item }] });
      refuses(
        [planned],
        bad({ itemId: 'primary-contact-missing:f-2' }),
        MEETING_ERRORS.invalidAgendaItem,
      );
      refuses(
        [planned],
        bad({ section: 'transition-flags', itemId: 'transition-flags:f-1' }),
        MEETING_ERRORS.invalidAgendaItem,
      );
      refuses([planned], bad({ dueDate: '2026-13-01' }), MEETING_ERRORS.invalidAgendaItem);
      refuses([planned], bad({ departmentIds: [] }), MEETING_ERRORS.invalidAgendaItem);
      refuses(
        [planned],
        freeze({ items: [familyItem, familyItem] }),
        MEETING_ERRORS.invalidAgendaItem,
      );
      expect(
        refusalOf([planned], freeze({ items: [youngItem, familyItem, youngItem] })).details,
      ).toEqual({
        index: 2,
        problem: 'duplicate',
        itemId: youngItem.itemId,
      });
    });
  });

  describe('RecordItemMinutes', () => {
    it('records trimmed minutes for an agenda item on the meeting day', () => {
      spec.given([planned, frozen]).when(record()).then([minutes]);
    });

    it('takes an other:<uuid> item raised at the meeting', () => {
      spec
        .given([planned, frozen])
        .when(record({ itemId: otherItemId }))
        .then([{ ...minutes, data: { ...minutes.data, itemId: otherItemId } }]);
      refuses(
        [planned, frozen],
        record({ itemId: 'other:not-a-uuid' }),
        MEETING_ERRORS.unknownItem,
      );
      refuses(
        [planned, frozen],
        record({ itemId: 'transition-flags:p-99' }),
        MEETING_ERRORS.unknownItem,
      );
    });

    it('replaces earlier minutes before approval; the same minutes again record nothing', () => {
      spec.given([planned, frozen, minutes]).when(record()).then([]);
      const revised = record({ outcome: 'CBU keeps the contact', decisions: [] });
      spec
        .given([planned, frozen, minutes])
        .when(revised)
        .then([
          {
            ...minutes,
            data: { ...minutes.data, outcome: 'CBU keeps the contact', decisions: [] },
          },
        ]);
      const state = fold(meetingDecider, [planned, frozen, minutes]);
      const next = meetingDecider.decide(revised, state);
      expect(next).toHaveLength(1);
      const after = next.reduce(meetingDecider.evolve, state);
      expect(after.minutes.get(familyItem.itemId)).toEqual({
        outcome: 'CBU keeps the contact',
        decisions: [],
      });
    });

    it('needs a frozen agenda and the meeting day (Danish time)', () => {
      refuses([], record(), MEETING_ERRORS.notFound);
      refuses([planned], record(), MEETING_ERRORS.agendaNotFrozen);
      // 23:59 on Monday 6 April in Copenhagen (CEST) is still the day before.
      refuses(
        [planned, frozen],
        record({ now: new Date('2026-04-06T21:59:00.000Z') }),
        MEETING_ERRORS.notHeldYet,
      );
      spec
        .given([planned, frozen])
        .when(record({ now: new Date('2026-04-06T22:00:00.000Z') }))
        .then([{ ...minutes, data: { ...minutes.data, recordedAt: '2026-04-06T22:00:00.000Z' } }]);
    });

    it('is refused after approval', () => {
      refuses([planned, frozen, minutes, approved], record(), MEETING_ERRORS.minutesApproved);
    });

    it('refuses empty or too long texts', () => {
      refuses([planned, frozen], record({ outcome: '  ' }), MEETING_ERRORS.invalidText);
      refuses(
        [planned, frozen],
        record({ outcome: 'x'.repeat(SHORT_TEXT_MAX_LENGTH + 1) }),
        MEETING_ERRORS.invalidText,
      );
      refuses([planned, frozen], record({ decisions: ['ok', ''] }), MEETING_ERRORS.invalidText);
      const longest = 'x'.repeat(SHORT_TEXT_MAX_LENGTH);
      expect(
        meetingDecider.decide(
          record({ outcome: longest }),
          fold(meetingDecider, [planned, frozen]),
        ),
      ).toHaveLength(1);
    });

    it('refuses text that looks like a CPR number, naming the field and not echoing it', () => {
      refuses(
        [planned, frozen],
        record({ outcome: 'Re 010190-1234' }),
        MEETING_ERRORS.textMayContainCpr,
      );
      const refusal = refusalOf([planned, frozen], record({ decisions: ['ok', 'see 0101901234'] }));
      expect(refusal.code).toBe(MEETING_ERRORS.textMayContainCpr);
      expect(refusal.details).toEqual({ field: 'decisions[1]' });
      expect(JSON.stringify(refusal.details) + refusal.message).not.toContain('0101901234');
      // Dates and phone-like numbers are not CPR numbers.
      expect(
        meetingDecider.decide(
          record({ outcome: 'Meet again 2026-05-05; call 12345678' }),
          fold(meetingDecider, [planned, frozen]),
        ),
      ).toHaveLength(1);
    });
  });

  describe('MakeAgreement', () => {
    it('records the agreement with the family and person copied from the agenda item', () => {
      spec.given([planned, frozen]).when(agree()).then([agreement]);
      spec
        .given([planned, frozen])
        .when(agree({ itemId: youngItem.itemId, owner: { kind: 'caseworker', caseworker: anna } }))
        .then([
          {
            ...agreement,
            data: {
              ...agreement.data,
              itemId: youngItem.itemId,
              owner: { kind: 'caseworker', caseworkerId: 'cw-anna' },
              familyId: 'f-2',
              personId: 'p-7',
            },
          },
        ]);
    });

    it('an agreement on an other item belongs to no family', () => {
      spec
        .given([planned, frozen])
        .when(agree({ itemId: otherItemId }))
        .then([{ ...agreement, data: { ...agreement.data, itemId: otherItemId, familyId: null } }]);
    });

    it('a retry records nothing; the id with other content is refused', () => {
      spec.given([planned, frozen, agreement]).when(agree()).then([]);
      refuses(
        [planned, frozen, agreement],
        agree({ dueDate: '2026-04-22' }),
        MEETING_ERRORS.agreementIdReused,
      );
    });

    it('needs an active caseworker or a department as owner', () => {
      const byCaseworker = (caseworker: CaseworkerFacts) =>
        agree({ owner: { kind: 'caseworker', caseworker } });
      refuses([planned, frozen], byCaseworker(gone), CASEWORKER_ERRORS.inactive);
      refuses([planned, frozen], byCaseworker(nobody), CASEWORKER_ERRORS.notFound);
      refuses(
        [planned, frozen],
        agree({ owner: { kind: 'team', departmentId: 'chp' } as never }),
        MEETING_ERRORS.invalidOwner,
      );
      refuses(
        [planned, frozen],
        agree({ owner: { kind: 'department', departmentId: '' } }),
        MEETING_ERRORS.missingId,
      );
    });

    it('refuses a bad due date and one before the meeting day', () => {
      refuses([planned, frozen], agree({ dueDate: '2026-04-31' }), MEETING_ERRORS.invalidDueDate);
      refuses(
        [planned, frozen],
        agree({ dueDate: '2026-04-06' }),
        MEETING_ERRORS.dueDateBeforeMeeting,
      );
      spec
        .given([planned, frozen])
        .when(agree({ dueDate: date }))
        .then([{ ...agreement, data: { ...agreement.data, dueDate: date } }]);
    });

    it('refuses a CPR-like text, an unknown item, a missing id, no agenda and approved minutes', () => {
      refuses(
        [planned, frozen],
        agree({ what: 'Call about 010190 1234' }),
        MEETING_ERRORS.textMayContainCpr,
      );
      refuses(
        [planned, frozen],
        agree({ itemId: 'open-agreements:a-0' }),
        MEETING_ERRORS.unknownItem,
      );
      refuses([planned, frozen], agree({ agreementId: ' ' }), MEETING_ERRORS.missingId);
      refuses([planned], agree(), MEETING_ERRORS.agendaNotFrozen);
      refuses([planned, frozen, approved], agree(), MEETING_ERRORS.minutesApproved);
      refuses(
        [planned, frozen],
        agree({ now: new Date('2026-04-06T10:00:00.000Z') }),
        MEETING_ERRORS.notHeldYet,
      );
    });
  });

  describe('ApproveMinutes', () => {
    it('approves once, by an active caseworker, after the meeting', () => {
      spec.given([planned, frozen, minutes]).when(approve()).then([approved]);
      refuses([planned, frozen, minutes, approved], approve(), MEETING_ERRORS.minutesApproved);
      refuses([planned, frozen], approve({ by: gone }), CASEWORKER_ERRORS.inactive);
    });

    it('needs a frozen agenda and the meeting day', () => {
      refuses([planned], approve(), MEETING_ERRORS.agendaNotFrozen);
      refuses([planned, frozen], approve({ now: freezeNow }), MEETING_ERRORS.notHeldYet);
      refuses([], approve(), MEETING_ERRORS.notFound);
    });
  });

  describe('CorrectMinutes', () => {
    const corrected: MeetingEvent = {
      type: 'MinutesCorrected',
      data: {
        meetingId,
        itemId: familyItem.itemId,
        outcome: 'CHP and CBU share the primary contact until 1 May',
        decisions: ['Primary contact from CHP from 1 May'],
        reason: 'The chair recalled the decision differently',
        correctedAt: afterNow.toISOString(),
      },
    };

    it('is the only way to change approved minutes: a new event beside the original', () => {
      spec.given([planned, frozen, minutes, approved]).when(correct()).then([corrected]);
      const state = fold(meetingDecider, [planned, frozen, minutes, approved, corrected]);
      expect(state.minutes.get(familyItem.itemId)?.outcome).toBe(corrected.data.outcome);
    });

    it('adds minutes for an item forgotten before approval', () => {
      spec
        .given([planned, frozen, approved])
        .when(correct({ itemId: youngItem.itemId }))
        .then([{ ...corrected, data: { ...corrected.data, itemId: youngItem.itemId } }]);
    });

    it('records nothing when it changes nothing', () => {
      spec
        .given([planned, frozen, minutes, approved])
        .when(correct({ outcome: minutes.data.outcome, decisions: minutes.data.decisions }))
        .then([]);
    });

    it('is refused before approval, without a reason, with a CPR number or for an unknown item', () => {
      refuses([planned, frozen, minutes], correct(), MEETING_ERRORS.minutesNotApproved);
      refuses(
        [planned, frozen, minutes, approved],
        correct({ reason: '' }),
        MEETING_ERRORS.invalidText,
      );
      refuses(
        [planned, frozen, minutes, approved],
        correct({ reason: 'wrong person 311299-9999' }),
        MEETING_ERRORS.textMayContainCpr,
      );
      refuses(
        [planned, frozen, minutes, approved],
        correct({ itemId: 'overdue-duties:inquiry:i-1' }),
        MEETING_ERRORS.unknownItem,
      );
    });
  });

  describe('CompleteAgreement and CancelAgreement', () => {
    it('completes an open agreement, also after approval, with an optional note', () => {
      spec.given([planned, frozen, agreement]).when(complete()).then([completed]);
      spec
        .given([planned, frozen, agreement, approved])
        .when(complete({ note: '  ' }))
        .then([completed]);
      spec
        .given([planned, frozen, agreement, approved])
        .when(complete({ note: ' Contact assigned ' }))
        .then([{ ...completed, data: { ...completed.data, note: 'Contact assigned' } }]);
    });

    it('cancels an open agreement with a reason', () => {
      spec.given([planned, frozen, agreement]).when(cancel()).then([cancelled]);
      refuses([planned, frozen, agreement], cancel({ reason: ' ' }), MEETING_ERRORS.invalidText);
    });

    it('closes an agreement once', () => {
      refuses([planned, frozen, agreement, completed], complete(), MEETING_ERRORS.agreementNotOpen);
      refuses([planned, frozen, agreement, completed], cancel(), MEETING_ERRORS.agreementNotOpen);
      refuses([planned, frozen, agreement, cancelled], complete(), MEETING_ERRORS.agreementNotOpen);
      expect(refusalOf([planned, frozen, agreement, cancelled], complete()).details).toEqual({
        agreementId: 'a-1',
        status: 'cancelled',
      });
    });

    it('refuses an unknown agreement and a note with a CPR number', () => {
      refuses([planned, frozen], complete(), MEETING_ERRORS.agreementNotFound);
      refuses([planned, frozen], cancel({ agreementId: 'a-9' }), MEETING_ERRORS.agreementNotFound);
      refuses(
        [planned, frozen, agreement],
        complete({ note: '0101901234 called' }),
        MEETING_ERRORS.textMayContainCpr,
      );
      refuses([], complete(), MEETING_ERRORS.notFound);
    });
  });

  describe('effective time: `at` says when a step at or after the meeting happened', () => {
    // 00:30 on the meeting day in Copenhagen (CEST), and 23:00 the evening before.
    const meetingDayEarly = new Date('2026-04-06T22:30:00.000Z');
    const eveningBefore = new Date('2026-04-06T21:00:00.000Z');

    it('dates the event with `at`, not with the recording time', () => {
      spec
        .given([planned, frozen])
        .when(record({ at: meetingDayEarly, now: afterNow }))
        .then([
          { ...minutes, data: { ...minutes.data, recordedAt: meetingDayEarly.toISOString() } },
        ]);
      spec
        .given([planned, frozen, agreement])
        .when(complete({ at: meetingNow, now: afterNow }))
        .then([
          { ...completed, data: { ...completed.data, completedAt: meetingNow.toISOString() } },
        ]);
    });

    it('refuses a step in the future', () => {
      refuses(
        [planned, frozen],
        approve({ at: new Date(afterNow.getTime() + 1) }),
        MEETING_ERRORS.inTheFuture,
      );
    });

    it('refuses minutes, agreements and approval dated before the meeting day (Danish time)', () => {
      refuses([planned, frozen], record({ at: eveningBefore }), MEETING_ERRORS.beforeMeeting);
      refuses([planned, frozen], agree({ at: eveningBefore }), MEETING_ERRORS.beforeMeeting);
      expect(refusalOf([planned, frozen], approve({ at: eveningBefore })).details).toEqual({
        field: 'at',
        date,
      });
    });

    it('refuses a correction dated before the approval', () => {
      refuses(
        [planned, frozen, minutes, approved],
        correct({ at: meetingNow }),
        MEETING_ERRORS.beforeApproval,
      );
    });

    it('refuses completing or cancelling an agreement dated before it was made', () => {
      const beforeMade = new Date(meetingNow.getTime() - 1);
      refuses(
        [planned, frozen, agreement],
        complete({ at: beforeMade }),
        MEETING_ERRORS.beforeAgreement,
      );
      refuses(
        [planned, frozen, agreement],
        cancel({ at: beforeMade }),
        MEETING_ERRORS.beforeAgreement,
      );
    });
  });

  describe('evolve', () => {
    it('folds the whole life of a meeting', () => {
      const state = fold(meetingDecider, [
        planned,
        frozen,
        minutes,
        agreement,
        approved,
        completed,
      ]);
      expect(state).toEqual({
        planned: { date, departmentIds: ['cbu', 'chp', 'jobcenter', 'uu'], agendaCutOffAt: cutOff },
        agenda: {
          frozenAt: freezeNow.toISOString(),
          items: new Map([
            [familyItem.itemId, familyItem],
            [youngItem.itemId, youngItem],
          ]),
        },
        minutes: new Map([
          [familyItem.itemId, { outcome: minutes.data.outcome, decisions: minutes.data.decisions }],
        ]),
        agreements: new Map([
          [
            'a-1',
            {
              itemId: familyItem.itemId,
              what: 'Assign a primary contact',
              owner: { kind: 'department', departmentId: 'chp' },
              dueDate: '2026-04-21',
              status: 'done',
              madeAt: meetingNow.toISOString(),
            },
          ],
        ]),
        approvedAt: afterNow.toISOString(),
      });
    });

    it('knows every event type it produces', () => {
      expect([...MEETING_EVENT_TYPES].sort()).toEqual(
        [
          'AgendaFrozen',
          'AgreementCancelled',
          'AgreementCompleted',
          'AgreementMade',
          'ItemMinutesRecorded',
          'MeetingPlanned',
          'MinutesApproved',
          'MinutesCorrected',
        ].sort(),
      );
    });
  });

  it('every error code has been exercised above', () => {
    expect([...testedCodes].filter((code) => code.startsWith('MEETING.')).sort()).toEqual(
      Object.values(MEETING_ERRORS).sort(),
    );
  });
});

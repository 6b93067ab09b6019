import {
  activeCaseworker,
  deactivatedCaseworker,
  unknownCaseworker,
} from '../caseworkers/caseworker-facts.fixtures';
import { CASEWORKER_ERRORS } from '../caseworkers/caseworker.decider';
import { fold } from '../shared/decider';
import { specFor } from '../shared/given-when-then';
import type { VisitationCommand } from './visitation.commands';
import { VISITATION_ERRORS, visitationDecider } from './visitation.decider';
import {
  VISITATION_EVENT_TYPES,
  visitationStream,
  type VisitationEvent,
} from './visitation.events';

const referralId = 'r-1';
// Referred on Thursday 2 April 2026 (Maundy Thursday) in the evening; the next visitation
// meeting is Tuesday 7 April, after Easter.
const referredAt = '2026-04-02T16:00:00.000Z';
const referNow = new Date(referredAt);
const meetingDate = '2026-04-07';
const routeNow = new Date('2026-04-07T12:00:00.000Z');

const anna = activeCaseworker('cw-anna');
const gone = deactivatedCaseworker('cw-gone');
const nobody = unknownCaseworker('cw-x');

const referred: VisitationEvent = {
  type: 'CaseReferredToVisitation',
  data: { referralId, caseId: 'c-1', personId: 'p-1', departmentId: 'chp', referredAt },
};
const routed: VisitationEvent = {
  type: 'ReferralRouted',
  data: {
    referralId,
    destination: 'caseworker',
    caseworkerId: 'cw-anna',
    reasonCode: 'clearly-in-target-group',
    meetingDate,
    routedAt: routeNow.toISOString(),
  },
};
const withdrawn: VisitationEvent = {
  type: 'ReferralWithdrawn',
  data: { referralId, reason: 'Citizen declined', withdrawnAt: routeNow.toISOString() },
};

const spec = specFor(visitationDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly VisitationEvent[], command: VisitationCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

type Of<T extends VisitationCommand['type']> = Extract<VisitationCommand, { type: T }>;

const refer = (overrides: Partial<Of<'ReferToVisitation'>> = {}): Of<'ReferToVisitation'> => ({
  type: 'ReferToVisitation',
  referralId,
  caseId: 'c-1',
  personId: 'p-1',
  departmentId: 'chp',
  now: referNow,
  ...overrides,
});
const route = (overrides: Partial<Of<'RouteReferral'>> = {}): Of<'RouteReferral'> => ({
  type: 'RouteReferral',
  referralId,
  destination: 'caseworker',
  caseworker: anna,
  reasonCode: 'clearly-in-target-group',
  meetingDate,
  now: routeNow,
  ...overrides,
});
const withdraw = (overrides: Partial<Of<'WithdrawReferral'>> = {}): Of<'WithdrawReferral'> => ({
  type: 'WithdrawReferral',
  referralId,
  reason: ' Citizen declined ',
  now: routeNow,
  ...overrides,
});

describe('visitation decider: the weekly visitation meeting', () => {
  it('lives on the stream visitation-<referralId>', () => {
    expect(visitationStream('r-1')).toBe('visitation-r-1');
  });

  describe('ReferToVisitation', () => {
    it('records the referral; the same referral again records nothing', () => {
      spec.given([]).when(refer()).then([referred]);
      spec
        .given([referred])
        .when(refer({ now: routeNow }))
        .then([]);
    });

    it('takes an earlier referral time, never a future one', () => {
      const earlier = new Date('2026-04-01T08:00:00.000Z');
      spec
        .given([])
        .when(refer({ referredAt: earlier }))
        .then([{ ...referred, data: { ...referred.data, referredAt: earlier.toISOString() } }]);
      refuses([], refer({ referredAt: routeNow }), VISITATION_ERRORS.inTheFuture);
      refuses([], refer({ now: new Date('x') }), VISITATION_ERRORS.invalidTime);
    });

    it('refuses missing ids and the id reused for another case', () => {
      refuses([], refer({ caseId: '' }), VISITATION_ERRORS.missingId);
      refuses([], refer({ referralId: ' ' }), VISITATION_ERRORS.missingId);
      refuses([referred], refer({ caseId: 'c-2' }), VISITATION_ERRORS.alreadyReferred);
    });
  });

  describe('RouteReferral', () => {
    it('routes to a caseworker, assigned there and then', () => {
      spec.given([referred]).when(route()).then([routed]);
    });

    it('routes to the other destinations without a caseworker, with an optional note', () => {
      for (const destination of ['focus-course', 'csae-visitation', 'youth-unit'] as const) {
        spec
          .given([referred])
          .when(
            route({ destination, caseworker: null, reasonCode: 'needs-clarification', note: ' ' }),
          )
          .then([
            {
              ...routed,
              data: {
                ...routed.data,
                destination,
                caseworkerId: null,
                reasonCode: 'needs-clarification',
              },
            },
          ]);
      }
      spec
        .given([referred])
        .when(route({ reasonCode: 'other', note: ' Housing first ' }))
        .then([
          { ...routed, data: { ...routed.data, reasonCode: 'other', note: 'Housing first' } },
        ]);
    });

    it('needs an active caseworker exactly for the caseworker destination', () => {
      refuses([referred], route({ caseworker: null }), VISITATION_ERRORS.caseworkerRequired);
      refuses([referred], route({ caseworker: gone }), CASEWORKER_ERRORS.inactive);
      refuses([referred], route({ caseworker: nobody }), CASEWORKER_ERRORS.notFound);
      refuses(
        [referred],
        route({ destination: 'youth-unit', caseworker: anna }),
        VISITATION_ERRORS.caseworkerNotAllowed,
      );
    });

    it('refuses unknown destinations and reasons; reason other needs a note', () => {
      refuses(
        [referred],
        route({ destination: 'elsewhere' as never }),
        VISITATION_ERRORS.unknownDestination,
      );
      refuses(
        [referred],
        route({ reasonCode: 'because' as never }),
        VISITATION_ERRORS.unknownReason,
      );
      refuses([referred], route({ reasonCode: 'other' }), VISITATION_ERRORS.noteRequired);
    });

    it('refuses a note that is too long or looks like a CPR number', () => {
      refuses([referred], route({ note: 'x'.repeat(501) }), VISITATION_ERRORS.invalidText);
      refuses([referred], route({ note: 'cpr 010190-1234' }), VISITATION_ERRORS.textMayContainCpr);
    });

    it('routes once, and not a withdrawn or unknown referral', () => {
      refuses(
        [referred, routed],
        route({ destination: 'youth-unit', caseworker: null }),
        VISITATION_ERRORS.alreadyRouted,
      );
      refuses(
        [referred, routed],
        route({ caseworker: activeCaseworker('cw-bo') }),
        VISITATION_ERRORS.alreadyRouted,
      );
      refuses([referred, routed], route({ note: 'Another note' }), VISITATION_ERRORS.alreadyRouted);
      refuses([referred, withdrawn], route(), VISITATION_ERRORS.withdrawn);
      refuses([], route(), VISITATION_ERRORS.notFound);
    });

    it('records nothing for the same routing again, later (a retry of routing and assignment)', () => {
      const later = new Date('2026-04-08T09:00:00.000Z');
      spec
        .given([referred, routed])
        .when(route({ now: later }))
        .then([]);
      const withNote: VisitationEvent = {
        ...routed,
        data: { ...routed.data, reasonCode: 'other', note: 'Housing first' },
      };
      spec
        .given([referred, withNote])
        .when(route({ reasonCode: 'other', note: ' Housing first ', now: later }))
        .then([]);
    });

    it('refuses a bad meeting date, or one before the referral day in Danish time', () => {
      refuses(
        [referred],
        route({ meetingDate: '2026-02-29' }),
        VISITATION_ERRORS.invalidMeetingDate,
      );
      refuses([referred], route({ meetingDate: '2026-04-01' }), VISITATION_ERRORS.beforeReferral);
      // Referred at 00:30 on 31 March in Copenhagen (22:30 UTC on the 30th, summer time): a
      // meeting on 30 March was before it, one on 31 March was not.
      const lateReferral: VisitationEvent = {
        ...referred,
        data: { ...referred.data, referredAt: '2026-03-30T22:30:00.000Z' },
      };
      refuses(
        [lateReferral],
        route({ meetingDate: '2026-03-30' }),
        VISITATION_ERRORS.beforeReferral,
      );
      spec
        .given([lateReferral])
        .when(route({ meetingDate: '2026-03-31' }))
        .then([{ ...routed, data: { ...routed.data, meetingDate: '2026-03-31' } }]);
    });

    it('refuses a routing time before the referral, in the future, or before the meeting day', () => {
      refuses(
        [referred],
        route({ routedAt: new Date('2026-04-02T15:59:59.999Z'), meetingDate: '2026-04-02' }),
        VISITATION_ERRORS.beforeReferral,
      );
      refuses(
        [referred],
        route({ routedAt: new Date('2026-04-07T12:00:00.001Z') }),
        VISITATION_ERRORS.inTheFuture,
      );
      // Tuesday's meeting recorded at 23:30 on Monday, Danish time: not yet held.
      refuses(
        [referred],
        route({ routedAt: new Date('2026-04-06T21:30:00.000Z') }),
        VISITATION_ERRORS.meetingAfterRouting,
      );
      spec
        .given([referred])
        .when(route({ routedAt: new Date('2026-04-06T22:30:00.000Z') }))
        .then([{ ...routed, data: { ...routed.data, routedAt: '2026-04-06T22:30:00.000Z' } }]);
    });
  });

  describe('WithdrawReferral', () => {
    it('withdraws a waiting referral with a trimmed reason', () => {
      spec.given([referred]).when(withdraw()).then([withdrawn]);
    });

    it('refuses no reason, a CPR-like reason, and a time before the referral', () => {
      refuses([referred], withdraw({ reason: '' }), VISITATION_ERRORS.invalidText);
      refuses([referred], withdraw({ reason: '0101901234' }), VISITATION_ERRORS.textMayContainCpr);
      refuses(
        [referred],
        withdraw({ withdrawnAt: new Date('2026-04-01T00:00:00.000Z') }),
        VISITATION_ERRORS.beforeReferral,
      );
    });

    it('refuses a routed, withdrawn or unknown referral', () => {
      refuses([referred, routed], withdraw(), VISITATION_ERRORS.alreadyRouted);
      refuses([referred, withdrawn], withdraw(), VISITATION_ERRORS.withdrawn);
      refuses([], withdraw(), VISITATION_ERRORS.notFound);
    });
  });

  describe('evolve', () => {
    it('folds a referral', () => {
      expect(fold(visitationDecider, [referred, routed])).toEqual({
        referral: { caseId: 'c-1', personId: 'p-1', departmentId: 'chp', referredAt },
        routedAt: routeNow.toISOString(),
        routing: {
          destination: 'caseworker',
          caseworkerId: 'cw-anna',
          reasonCode: 'clearly-in-target-group',
          note: null,
          meetingDate,
        },
        withdrawnAt: null,
      });
    });

    it('knows every event type it produces', () => {
      expect([...VISITATION_EVENT_TYPES].sort()).toEqual(
        ['CaseReferredToVisitation', 'ReferralRouted', 'ReferralWithdrawn'].sort(),
      );
    });
  });

  it('every error code has been exercised above', () => {
    expect([...testedCodes].filter((code) => code.startsWith('VISITATION.')).sort()).toEqual(
      Object.values(VISITATION_ERRORS).sort(),
    );
  });
});

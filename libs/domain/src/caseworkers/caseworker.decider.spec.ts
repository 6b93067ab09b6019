import { specFor } from '../shared/given-when-then';
import { DomainError } from '../shared/domain-error';
import {
  CASEWORKER_ERRORS,
  caseworkerDecider,
  caseworkerFactsOf,
  requireActiveCaseworker,
} from './caseworker.decider';
import type { CaseworkerEvent } from './caseworker.events';

const now = new Date('2026-03-02T09:00:00.000Z');
const at = now.toISOString();
const caseworkerId = 'cw-1';
const registered: CaseworkerEvent = {
  type: 'CaseworkerRegistered',
  data: { caseworkerId, departmentId: 'CHP', registeredAt: at },
};
const deactivated: CaseworkerEvent = {
  type: 'CaseworkerDeactivated',
  data: { caseworkerId, reason: 'left', deactivatedAt: at },
};
const spec = specFor(caseworkerDecider);

describe('caseworker decider', () => {
  it('registers once in a department', () => {
    spec
      .given([])
      .when({ type: 'RegisterCaseworker', caseworkerId, departmentId: 'CHP', now })
      .then([registered]);
    spec
      .given([registered])
      .when({ type: 'RegisterCaseworker', caseworkerId, departmentId: 'CHP', now })
      .thenThrows(CASEWORKER_ERRORS.alreadyExists);
  });

  it('deactivates and reactivates, each only from the other state', () => {
    spec
      .given([registered])
      .when({ type: 'DeactivateCaseworker', caseworkerId, reason: 'left', now })
      .then([deactivated]);
    spec
      .given([registered, deactivated])
      .when({ type: 'DeactivateCaseworker', caseworkerId, reason: 'x', now })
      .thenThrows(CASEWORKER_ERRORS.alreadyInactive);
    spec
      .given([registered, deactivated])
      .when({ type: 'ReactivateCaseworker', caseworkerId, now })
      .then([{ type: 'CaseworkerReactivated', data: { caseworkerId, reactivatedAt: at } }]);
    spec
      .given([registered])
      .when({ type: 'ReactivateCaseworker', caseworkerId, now })
      .thenThrows(CASEWORKER_ERRORS.alreadyActive);
    spec
      .given([])
      .when({ type: 'DeactivateCaseworker', caseworkerId, reason: 'x', now })
      .thenThrows(CASEWORKER_ERRORS.notFound);
  });

  describe('effective time: `at` says when a step happened', () => {
    const earlier = new Date('2026-02-20T09:00:00.000Z');

    it('dates the event with `at`, not with the recording time', () => {
      spec
        .given([])
        .when({ type: 'RegisterCaseworker', caseworkerId, departmentId: 'CHP', at: earlier, now })
        .then([
          {
            type: 'CaseworkerRegistered',
            data: { caseworkerId, departmentId: 'CHP', registeredAt: earlier.toISOString() },
          },
        ]);
    });

    it('refuses a step in the future', () => {
      spec
        .given([registered])
        .when({
          type: 'DeactivateCaseworker',
          caseworkerId,
          reason: 'x',
          at: new Date(now.getTime() + 1),
          now,
        })
        .thenThrows(CASEWORKER_ERRORS.inTheFuture);
    });

    it("keeps the order of the caseworker's steps: none before the latest", () => {
      spec
        .given([registered])
        .when({ type: 'DeactivateCaseworker', caseworkerId, reason: 'x', at: earlier, now })
        .thenThrows(CASEWORKER_ERRORS.beforePreviousStep);
      spec
        .given([registered, deactivated])
        .when({ type: 'ReactivateCaseworker', caseworkerId, at: earlier, now })
        .thenThrows(CASEWORKER_ERRORS.beforePreviousStep);
    });
  });

  describe('whether a caseworker could take something on at a time (late recordings)', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 1, d, 9)).toISOString();
    const steps: CaseworkerEvent[] = [
      {
        type: 'CaseworkerRegistered',
        data: { caseworkerId, departmentId: 'CHP', registeredAt: day(1) },
      },
      {
        type: 'CaseworkerDeactivated',
        data: { caseworkerId, reason: 'leave', deactivatedAt: day(10) },
      },
      { type: 'CaseworkerReactivated', data: { caseworkerId, reactivatedAt: day(20) } },
      {
        type: 'CaseworkerDeactivated',
        data: { caseworkerId, reason: 'left', deactivatedAt: day(25) },
      },
    ];
    const facts = caseworkerFactsOf(
      caseworkerId,
      steps.reduce(caseworkerDecider.evolve, caseworkerDecider.initialState),
    );
    const refusal = (at: string): string | null => {
      try {
        requireActiveCaseworker(facts, at);
        return null;
      } catch (error) {
        if (error instanceof DomainError) return error.code;
        throw error;
      }
    };

    it('keeps each deactivation until its reactivation', () => {
      expect(facts).toEqual({
        caseworkerId,
        registered: true,
        inactive: [
          { from: day(10), until: day(20) },
          { from: day(25), until: null },
        ],
      });
    });

    it('accepts a step dated while they were active, though they have left since', () => {
      expect(refusal(day(5))).toBeNull();
      expect(refusal(day(20))).toBeNull(); // the instant of the reactivation
      expect(refusal(day(24))).toBeNull();
    });

    it('refuses a step dated while they were deactivated', () => {
      expect(refusal(day(10))).toBe(CASEWORKER_ERRORS.inactive);
      expect(refusal(day(15))).toBe(CASEWORKER_ERRORS.inactive);
      expect(refusal(day(26))).toBe(CASEWORKER_ERRORS.inactive);
    });

    it('refuses a caseworker nobody registered', () => {
      expect(() =>
        requireActiveCaseworker(caseworkerFactsOf('cw-x', caseworkerDecider.initialState), day(5)),
      ).toThrow(expect.objectContaining({ code: CASEWORKER_ERRORS.notFound }));
    });
  });
});

import { activeCaseworker, deactivatedCaseworker } from '../caseworkers/caseworker-facts.fixtures';
import { specFor } from '../shared/given-when-then';
import { CASE_ERRORS, caseDecider } from './case.decider';
import type { CaseEvent, CaseOpened } from './case.events';

const now = new Date('2026-03-02T09:00:00.000Z');
const at = now.toISOString();
const caseId = '5b1f5d8e-0a3c-4a57-9d5b-3d8e1c2f4a10';
const opened: CaseOpened = {
  type: 'CaseOpened',
  data: {
    caseId,
    personId: '0f6f1a52-1d7e-4b1c-8f0e-2a9b3c4d5e6f',
    departmentId: 'CBU',
    caseType: 'child-support',
    openedAt: '2026-01-10T08:00:00.000Z',
  },
};
const anna = activeCaseworker('cw-anna');
const bo = activeCaseworker('cw-bo');
const assigned: CaseEvent = {
  type: 'CaseworkerAssigned',
  data: { caseId, caseworkerId: 'cw-anna', assignedAt: at },
};
const closed: CaseEvent = { type: 'CaseClosed', data: { caseId, reason: 'x', closedAt: at } };
const changed: CaseEvent = {
  type: 'CaseworkerChanged',
  data: {
    caseId,
    fromCaseworkerId: 'cw-anna',
    toCaseworkerId: 'cw-bo',
    reason: 'leave',
    changedAt: at,
  },
};
const spec = specFor(caseDecider);

describe('case decider', () => {
  it('opens a new case with the time from the command, once', () => {
    spec
      .given([])
      .when({
        type: 'OpenCase',
        caseId,
        personId: opened.data.personId,
        departmentId: 'CBU',
        caseType: 'child-support',
        now,
      })
      .then([{ type: 'CaseOpened', data: { ...opened.data, openedAt: at } }]);
    spec
      .given([opened])
      .when({ type: 'OpenCase', caseId, personId: 'p', departmentId: 'CHP', caseType: 't', now })
      .thenThrows(CASE_ERRORS.alreadyExists);
  });

  it('assigns the first caseworker; a second needs a change so the citizen is told', () => {
    spec
      .given([opened])
      .when({ type: 'AssignCaseworker', caseId, caseworker: anna, now })
      .then([assigned]);
    spec
      .given([opened, assigned])
      .when({ type: 'AssignCaseworker', caseId, caseworker: bo, now })
      .thenThrows(CASE_ERRORS.caseworkerAlreadyAssigned);
    spec
      .given([opened, assigned])
      .when({ type: 'AssignCaseworker', caseId, caseworker: anna, now })
      .then([]);
    spec
      .given([opened])
      .when({
        type: 'AssignCaseworker',
        caseId,
        caseworker: deactivatedCaseworker('x'),
        now,
      })
      .thenThrows('CASEWORKER.INACTIVE');
  });

  it('changes caseworker with a reason, and records the citizen told when given', () => {
    spec
      .given([opened, assigned])
      .when({ type: 'ChangeCaseworker', caseId, to: bo, reason: 'leave', citizenTold: null, now })
      .then([changed]);
    const toldAt = new Date('2026-03-02T08:30:00.000Z');
    spec
      .given([opened, assigned])
      .when({
        type: 'ChangeCaseworker',
        caseId,
        to: bo,
        reason: 'leave',
        citizenTold: { channel: 'meeting', at: toldAt },
        now,
      })
      .then([
        changed,
        {
          type: 'CitizenToldOfCaseworkerChange',
          data: { caseId, caseworkerId: 'cw-bo', channel: 'meeting', toldAt: toldAt.toISOString() },
        },
      ]);
    spec
      .given([opened])
      .when({ type: 'ChangeCaseworker', caseId, to: bo, reason: 'x', citizenTold: null, now })
      .thenThrows(CASE_ERRORS.noCaseworker);
    spec
      .given([opened, assigned])
      .when({ type: 'ChangeCaseworker', caseId, to: anna, reason: 'x', citizenTold: null, now })
      .thenThrows(CASE_ERRORS.sameCaseworker);
  });

  it('records the citizen told only of an untold change, never in the future', () => {
    spec
      .given([opened, assigned])
      .when({ type: 'RecordCitizenTold', caseId, channel: 'letter', toldAt: now, now })
      .thenThrows(CASE_ERRORS.nothingToTell);
    spec
      .given([opened, assigned, changed])
      .when({ type: 'RecordCitizenTold', caseId, channel: 'letter', toldAt: now, now })
      .then([
        {
          type: 'CitizenToldOfCaseworkerChange',
          data: { caseId, caseworkerId: 'cw-bo', channel: 'letter', toldAt: at },
        },
      ]);
    spec
      .given([opened, assigned, changed])
      .when({
        type: 'RecordCitizenTold',
        caseId,
        channel: 'letter',
        toldAt: new Date('2027-01-01T00:00:00.000Z'),
        now,
      })
      .thenThrows(CASE_ERRORS.toldInFuture);
  });

  it('closes an open case with its reason; not twice, not a missing one', () => {
    spec
      .given([opened])
      .when({ type: 'CloseCase', caseId, reason: 'support ended', now })
      .then([{ type: 'CaseClosed', data: { caseId, reason: 'support ended', closedAt: at } }]);
    spec
      .given([])
      .when({ type: 'CloseCase', caseId, reason: 'x', now })
      .thenThrows(CASE_ERRORS.notFound);
    spec
      .given([opened, closed])
      .when({ type: 'CloseCase', caseId, reason: 'again', now })
      .thenThrows(CASE_ERRORS.alreadyClosed);
    spec
      .given([opened, closed])
      .when({ type: 'AssignCaseworker', caseId, caseworker: anna, now })
      .thenThrows(CASE_ERRORS.alreadyClosed);
  });

  describe('effective time: `at` says when a step happened', () => {
    const tenDaysBack = new Date('2026-02-20T09:00:00.000Z');
    const assignedAtOpening: CaseEvent = {
      type: 'CaseworkerAssigned',
      data: { caseId, caseworkerId: 'cw-anna', assignedAt: opened.data.openedAt },
    };

    it('dates the event with `at`, not with the recording time', () => {
      spec
        .given([opened, assignedAtOpening])
        .when({
          type: 'ChangeCaseworker',
          caseId,
          to: bo,
          reason: 'leave',
          citizenTold: null,
          at: tenDaysBack,
          now,
        })
        .then([
          {
            type: 'CaseworkerChanged',
            data: {
              caseId,
              fromCaseworkerId: 'cw-anna',
              toCaseworkerId: 'cw-bo',
              reason: 'leave',
              changedAt: tenDaysBack.toISOString(),
            },
          },
        ]);
    });

    it('refuses a step in the future', () => {
      spec
        .given([])
        .when({
          type: 'OpenCase',
          caseId,
          personId: 'p',
          departmentId: 'CBU',
          caseType: 't',
          at: new Date(now.getTime() + 1),
          now,
        })
        .thenThrows(CASE_ERRORS.inTheFuture);
    });

    it('refuses a caseworker step or a close dated before the case opened', () => {
      const beforeOpening = new Date('2026-01-09T08:00:00.000Z');
      spec
        .given([opened])
        .when({ type: 'AssignCaseworker', caseId, caseworker: anna, at: beforeOpening, now })
        .thenThrows(CASE_ERRORS.beforeOpened);
      spec
        .given([opened])
        .when({ type: 'CloseCase', caseId, reason: 'x', at: beforeOpening, now })
        .thenThrows(CASE_ERRORS.beforeOpened);
    });

    it('keeps the order of the steps that move the case: none before the latest', () => {
      const assignedLate: CaseEvent = {
        type: 'CaseworkerAssigned',
        data: { caseId, caseworkerId: 'cw-anna', assignedAt: '2026-02-25T09:00:00.000Z' },
      };
      spec
        .given([opened, assignedLate])
        .when({
          type: 'ChangeCaseworker',
          caseId,
          to: bo,
          reason: 'leave',
          citizenTold: null,
          at: tenDaysBack,
          now,
        })
        .thenThrows(CASE_ERRORS.beforePreviousStep);
      spec
        .given([opened, assignedLate])
        .when({ type: 'CloseCase', caseId, reason: 'x', at: tenDaysBack, now })
        .thenThrows(CASE_ERRORS.beforePreviousStep);
    });

    it('refuses telling the citizen before the change happened', () => {
      const changedLate: CaseEvent = {
        type: 'CaseworkerChanged',
        data: {
          caseId,
          fromCaseworkerId: 'cw-anna',
          toCaseworkerId: 'cw-bo',
          reason: 'leave',
          changedAt: '2026-02-25T09:00:00.000Z',
        },
      };
      spec
        .given([opened, assignedAtOpening, changedLate])
        .when({ type: 'RecordCitizenTold', caseId, channel: 'phone', toldAt: tenDaysBack, now })
        .thenThrows(CASE_ERRORS.toldBeforeChange);
    });
  });
});

import { specFor } from '../shared/given-when-then';
import { CASE_ERRORS, caseDecider } from './case.decider';
import type { CaseOpened } from './case.events';

const now = new Date('2026-03-02T09:00:00.000Z');
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
const spec = specFor(caseDecider);

describe('case decider', () => {
  it('opens a new case with the time from the command', () => {
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
      .then([{ type: 'CaseOpened', data: { ...opened.data, openedAt: now.toISOString() } }]);
  });

  it('refuses to open a case twice', () => {
    spec
      .given([opened])
      .when({ type: 'OpenCase', caseId, personId: 'p', departmentId: 'CHP', caseType: 't', now })
      .thenThrows(CASE_ERRORS.alreadyExists);
  });

  it('closes an open case with its reason', () => {
    spec
      .given([opened])
      .when({ type: 'CloseCase', caseId, reason: 'support ended', now })
      .then([
        { type: 'CaseClosed', data: { caseId, reason: 'support ended', closedAt: now.toISOString() } },
      ]);
  });

  it('refuses to close a case that does not exist', () => {
    spec.given([]).when({ type: 'CloseCase', caseId, reason: 'x', now }).thenThrows(CASE_ERRORS.notFound);
  });

  it('refuses to close a case twice', () => {
    spec
      .given([opened, { type: 'CaseClosed', data: { caseId, reason: 'x', closedAt: now.toISOString() } }])
      .when({ type: 'CloseCase', caseId, reason: 'again', now })
      .thenThrows(CASE_ERRORS.alreadyClosed);
  });
});

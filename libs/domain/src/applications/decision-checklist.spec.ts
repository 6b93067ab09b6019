import type { DecisionChecklist } from './application.events';
import { checklistProblem, missingDecisionItems } from './decision-checklist';

const complete: DecisionChecklist = {
  reasonsGiven: true,
  hearing: 'done',
  hearingNotNeededReason: null,
  appealGuidanceIncluded: true,
  consent: 'obtained',
};
const bare: DecisionChecklist = {
  reasonsGiven: false,
  hearing: 'not-done',
  hearingNotNeededReason: null,
  appealGuidanceIncluded: false,
  consent: 'missing',
};

describe('missingDecisionItems', () => {
  it('lists what a refusal lacks, in a fixed order', () => {
    expect(missingDecisionItems({ outcome: 'refused', checklist: complete })).toEqual([]);
    expect(missingDecisionItems({ outcome: 'refused', checklist: bare })).toEqual([
      'reasons',
      'hearing',
      'appeal-guidance',
      'consent',
    ]);
    expect(
      missingDecisionItems({
        outcome: 'partly-granted',
        checklist: { ...complete, consent: 'missing' },
      }),
    ).toEqual(['consent']);
  });

  it('leaves out what has been supplied', () => {
    expect(
      missingDecisionItems({ outcome: 'dismissed', checklist: bare }, ['consent', 'reasons']),
    ).toEqual(['hearing', 'appeal-guidance']);
  });

  it('a hearing found not needed is not missing', () => {
    const notNeeded = {
      ...complete,
      hearing: 'not-needed',
      hearingNotNeededReason: 'urgent',
    } as const;
    expect(missingDecisionItems({ outcome: 'refused', checklist: notNeeded })).toEqual([]);
  });

  it('a decision granting in full needs no reasons, hearing or appeal guidance; consent still', () => {
    expect(missingDecisionItems({ outcome: 'granted', checklist: bare })).toEqual(['consent']);
    expect(
      missingDecisionItems({ outcome: 'granted', checklist: { ...bare, consent: 'not-needed' } }),
    ).toEqual([]);
  });
});

describe('checklistProblem', () => {
  it('accepts a well-formed checklist', () => {
    expect(checklistProblem(complete)).toBeNull();
    expect(
      checklistProblem({ ...complete, hearing: 'not-needed', hearingNotNeededReason: 'other' }),
    ).toBeNull();
  });

  it('needs a reason exactly when no hearing was needed', () => {
    expect(checklistProblem({ ...complete, hearing: 'not-needed' })).toBe('hearingNotNeededReason');
    expect(checklistProblem({ ...complete, hearingNotNeededReason: 'urgent' })).toBe(
      'hearingNotNeededReason',
    );
  });

  it('names the first malformed field', () => {
    expect(checklistProblem({ ...complete, reasonsGiven: 'yes' as never })).toBe('reasonsGiven');
    expect(checklistProblem({ ...complete, hearing: 'maybe' as never })).toBe('hearing');
    expect(checklistProblem({ ...complete, consent: 'implied' as never })).toBe('consent');
    expect(checklistProblem({ ...complete, appealGuidanceIncluded: 1 as never })).toBe(
      'appealGuidanceIncluded',
    );
  });
});

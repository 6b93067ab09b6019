import {
  SUPERVISION_QUESTIONS,
  SUPERVISION_QUESTION_KEYS,
  reviewSummary,
  type SupervisionAnswers,
} from './supervision-questions';

const allYes: SupervisionAnswers = {
  decisionCorrect: 'yes',
  reasonsAdequate: 'yes',
  hearingDone: 'yes',
  consentObtained: 'yes',
  appealGuidanceGiven: 'yes',
  notesAdequate: 'yes',
};

describe('SUPERVISION_QUESTIONS', () => {
  it('has the six questions, each with Danish and English text', () => {
    expect(SUPERVISION_QUESTION_KEYS).toEqual([
      'decisionCorrect',
      'reasonsAdequate',
      'hearingDone',
      'consentObtained',
      'appealGuidanceGiven',
      'notesAdequate',
    ]);
    for (const question of SUPERVISION_QUESTIONS) {
      expect(question.da.length).toBeGreaterThan(10);
      expect(question.en.length).toBeGreaterThan(10);
    }
  });
});

describe('reviewSummary', () => {
  it('counts yes, no and not-relevant per question', () => {
    const summary = reviewSummary([
      { answers: allYes },
      { answers: { ...allYes, hearingDone: 'no', consentObtained: 'not-relevant' } },
      { answers: { ...allYes, hearingDone: 'no', notesAdequate: 'no' } },
    ]);
    expect(summary.reviewCount).toBe(3);
    expect(summary.questions.hearingDone).toEqual({ yes: 1, no: 2, 'not-relevant': 0 });
    expect(summary.questions.consentObtained).toEqual({ yes: 2, no: 0, 'not-relevant': 1 });
    expect(summary.questions.notesAdequate).toEqual({ yes: 2, no: 1, 'not-relevant': 0 });
    expect(summary.questions.decisionCorrect).toEqual({ yes: 3, no: 0, 'not-relevant': 0 });
  });

  it('is all zeros without reviews', () => {
    const summary = reviewSummary([]);
    expect(summary.reviewCount).toBe(0);
    for (const key of SUPERVISION_QUESTION_KEYS) {
      expect(summary.questions[key]).toEqual({ yes: 0, no: 0, 'not-relevant': 0 });
    }
  });
});

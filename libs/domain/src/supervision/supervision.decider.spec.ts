import { fold } from '../shared/decider';
import { specFor } from '../shared/given-when-then';
import { reviewSummary, type SupervisionAnswers } from './supervision-questions';
import { drawSupervisionSample } from './supervision-sample';
import type { DrawSample, RecordReview, SupervisionCommand } from './supervision.commands';
import { SUPERVISION_ERRORS, supervisionDecider } from './supervision.decider';
import {
  SUPERVISION_EVENT_TYPES,
  supervisionStream,
  type SupervisionEvent,
} from './supervision.events';

const sampleId = 's-1';
const now = new Date('2026-04-07T08:00:00.000Z');
const later = new Date(now.getTime() + 1);
const candidates = [
  { caseId: 'case-c', flagCount: 0 },
  { caseId: 'case-a', flagCount: 3 },
  { caseId: 'case-b', flagCount: 1 },
  { caseId: 'case-d', flagCount: 0 },
];

const draw: DrawSample = {
  type: 'DrawSample',
  sampleId,
  departmentId: 'dept-chp',
  candidates,
  size: 2,
  seed: 'seed-2026-04',
  drawnBy: 'mgr-1',
  now,
};
const drawnCaseIds = drawSupervisionSample(candidates, 2, 'seed-2026-04');
const drawn: SupervisionEvent = {
  type: 'SupervisionSampleDrawn',
  data: {
    sampleId,
    departmentId: 'dept-chp',
    seed: 'seed-2026-04',
    size: 2,
    caseIds: drawnCaseIds,
    drawnAt: now.toISOString(),
    drawnBy: 'mgr-1',
  },
};
const [firstCase = 'none', secondCase = 'none'] = drawnCaseIds;
const notDrawn = candidates.map((c) => c.caseId).find((id) => !drawnCaseIds.includes(id)) ?? '';

const answers: SupervisionAnswers = {
  decisionCorrect: 'yes',
  reasonsAdequate: 'no',
  hearingDone: 'yes',
  consentObtained: 'not-relevant',
  appealGuidanceGiven: 'yes',
  notesAdequate: 'no',
};
const review: RecordReview = {
  type: 'RecordReview',
  sampleId,
  caseId: firstCase,
  reviewerId: 'mgr-2',
  answers,
  now,
};
const reviewed = (caseId: string, a: SupervisionAnswers, at = now): SupervisionEvent => ({
  type: 'SupervisionReviewRecorded',
  data: { sampleId, caseId, reviewerId: 'mgr-2', answers: a, reviewedAt: at.toISOString() },
});

const spec = specFor(supervisionDecider);
const testedCodes = new Set<string>();

function refuses(past: readonly SupervisionEvent[], command: SupervisionCommand, code: string) {
  testedCodes.add(code);
  spec.given(past).when(command).thenThrows(code);
}

describe('supervision decider', () => {
  it('lives on the stream supervision-<sampleId> and names its event types', () => {
    expect(supervisionStream('s-1')).toBe('supervision-s-1');
    expect(SUPERVISION_EVENT_TYPES.size).toBe(2);
  });

  describe('DrawSample', () => {
    it('draws with the seed and records the drawn cases in draw order', () => {
      expect(drawnCaseIds).toHaveLength(2);
      spec.given([]).when(draw).then([drawn]);
    });

    it('the recorded seed redraws the same sample from the candidates in any order', () => {
      spec
        .given([])
        .when({ ...draw, candidates: [...candidates].reverse() })
        .then([drawn]);
    });

    it('with fewer candidates than the size, draws them all and records the size asked', () => {
      const few = candidates.slice(0, 1);
      spec
        .given([])
        .when({ ...draw, candidates: few, size: 5 })
        .then([{ ...drawn, data: { ...drawn.data, size: 5, caseIds: ['case-c'] } }]);
    });

    it('is drawn once', () => {
      refuses([drawn], draw, SUPERVISION_ERRORS.alreadyDrawn);
    });

    it('refuses a bad size or seed, no candidates, repeats and bad flag counts', () => {
      refuses([], { ...draw, size: 0 }, SUPERVISION_ERRORS.invalidSize);
      refuses([], { ...draw, size: 2.5 }, SUPERVISION_ERRORS.invalidSize);
      refuses([], { ...draw, seed: ' ' }, SUPERVISION_ERRORS.invalidSeed);
      refuses([], { ...draw, seed: 'x'.repeat(201) }, SUPERVISION_ERRORS.invalidSeed);
      refuses([], { ...draw, candidates: [] }, SUPERVISION_ERRORS.noCandidates);
      refuses(
        [],
        { ...draw, candidates: [...candidates, { caseId: 'case-a', flagCount: 0 }] },
        SUPERVISION_ERRORS.duplicateCandidate,
      );
      refuses(
        [],
        { ...draw, candidates: [{ caseId: 'case-a', flagCount: -1 }] },
        SUPERVISION_ERRORS.invalidFlagCount,
      );
      refuses(
        [],
        { ...draw, candidates: [{ caseId: '', flagCount: 0 }] },
        SUPERVISION_ERRORS.missingId,
      );
      refuses([], { ...draw, drawnBy: '' }, SUPERVISION_ERRORS.missingId);
      refuses([], { ...draw, now: new Date('x') }, SUPERVISION_ERRORS.invalidTime);
    });
  });

  describe('RecordReview', () => {
    it('records a review of a case in the sample', () => {
      spec
        .given([drawn])
        .when(review)
        .then([reviewed(firstCase, answers)]);
    });

    it('keeps only known answers, in the guide order', () => {
      const shuffled = {
        notesAdequate: 'no',
        appealGuidanceGiven: 'yes',
        consentObtained: 'not-relevant',
        hearingDone: 'yes',
        reasonsAdequate: 'no',
        decisionCorrect: 'yes',
      } as const;
      const [event] = supervisionDecider.decide(
        { ...review, answers: shuffled },
        fold(supervisionDecider, [drawn]),
      );
      if (event?.type !== 'SupervisionReviewRecorded') throw new Error('expected a review');
      expect(Object.keys(event.data.answers)).toEqual([
        'decisionCorrect',
        'reasonsAdequate',
        'hearingDone',
        'consentObtained',
        'appealGuidanceGiven',
        'notesAdequate',
      ]);
    });

    it('a second review of the same case is recorded and replaces the first in the state', () => {
      const revised = { ...answers, reasonsAdequate: 'yes' } as const;
      spec
        .given([drawn, reviewed(firstCase, answers)])
        .when({ ...review, answers: revised })
        .then([reviewed(firstCase, revised)]);
      const state = fold(supervisionDecider, [
        drawn,
        reviewed(firstCase, answers),
        reviewed(secondCase, answers),
        reviewed(firstCase, revised),
      ]);
      if (state.status !== 'drawn') throw new Error('expected a drawn sample');
      expect(state.reviews.size).toBe(2);
      expect(state.reviews.get(firstCase)?.answers).toEqual(revised);
      expect(reviewSummary([...state.reviews.values()]).questions.reasonsAdequate).toEqual({
        yes: 1,
        no: 1,
        'not-relevant': 0,
      });
    });

    it('refuses a review of a case not in the sample, or of an unknown sample', () => {
      refuses([drawn], { ...review, caseId: notDrawn }, SUPERVISION_ERRORS.caseNotInSample);
      refuses([], review, SUPERVISION_ERRORS.notFound);
    });

    it('refuses missing, unknown or extra answers', () => {
      const missing: Record<string, string> = { ...answers };
      delete missing.notesAdequate;
      for (const bad of [
        missing,
        { ...answers, hearingDone: 'maybe' },
        { ...answers, comment: 'yes' },
        null,
      ]) {
        refuses(
          [drawn],
          { ...review, answers: bad as unknown as SupervisionAnswers },
          SUPERVISION_ERRORS.invalidAnswers,
        );
      }
    });

    it('refuses a review before the draw, in the future, or without a reviewer', () => {
      refuses(
        [drawn],
        { ...review, reviewedAt: new Date(now.getTime() - 1), now: later },
        SUPERVISION_ERRORS.reviewedBeforeDrawn,
      );
      refuses([drawn], { ...review, reviewedAt: later }, SUPERVISION_ERRORS.inTheFuture);
      refuses([drawn], { ...review, reviewerId: ' ' }, SUPERVISION_ERRORS.missingId);
    });
  });

  it('every error code is exercised', () => {
    expect([...testedCodes].sort()).toEqual(Object.values(SUPERVISION_ERRORS).sort());
  });
});

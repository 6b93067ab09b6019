import { commandChecks, requireNotBefore } from '../shared/command-checks';
import { assertNever, type Decider } from '../shared/decider';
import { ConflictError, InvalidCommandError, NotFoundError } from '../shared/domain-error';
import {
  SUPERVISION_ANSWERS,
  SUPERVISION_QUESTION_KEYS,
  type SupervisionAnswers,
} from './supervision-questions';
import { drawSupervisionSample } from './supervision-sample';
import type { SupervisionCommand } from './supervision.commands';
import type { SupervisionEvent } from './supervision.events';

export interface SupervisionReview {
  readonly caseId: string;
  readonly reviewerId: string;
  readonly answers: SupervisionAnswers;
  readonly reviewedAt: string;
}

export type SupervisionState =
  | { readonly status: 'none' }
  | {
      readonly status: 'drawn';
      readonly departmentId: string;
      readonly caseIds: readonly string[];
      readonly drawnAt: string;
      /** caseId → the latest review of the case. */
      readonly reviews: ReadonlyMap<string, SupervisionReview>;
    };

export const SUPERVISION_ERRORS = {
  alreadyDrawn: 'SUPERVISION.ALREADY_DRAWN',
  notFound: 'SUPERVISION.NOT_FOUND',
  caseNotInSample: 'SUPERVISION.CASE_NOT_IN_SAMPLE',
  missingId: 'SUPERVISION.MISSING_ID',
  invalidSeed: 'SUPERVISION.INVALID_SEED',
  invalidSize: 'SUPERVISION.INVALID_SIZE',
  noCandidates: 'SUPERVISION.NO_CANDIDATES',
  duplicateCandidate: 'SUPERVISION.DUPLICATE_CANDIDATE',
  invalidFlagCount: 'SUPERVISION.INVALID_FLAG_COUNT',
  invalidAnswers: 'SUPERVISION.INVALID_ANSWERS',
  reviewedBeforeDrawn: 'SUPERVISION.REVIEWED_BEFORE_DRAWN',
  inTheFuture: 'SUPERVISION.IN_THE_FUTURE',
  invalidTime: 'SUPERVISION.INVALID_TIME',
} as const;

export const SUPERVISION_SEED_MAX_LENGTH = 200;

const { occurredAt, requireId } = commandChecks(SUPERVISION_ERRORS);

function checkedCandidates(command: Extract<SupervisionCommand, { type: 'DrawSample' }>): void {
  const candidates: readonly unknown[] = Array.isArray(command.candidates)
    ? command.candidates
    : [];
  if (candidates.length === 0) {
    throw new InvalidCommandError(SUPERVISION_ERRORS.noCandidates, 'There are no cases to draw');
  }
  const seen = new Set<string>();
  for (const candidate of command.candidates) {
    requireId(candidate.caseId, 'candidates.caseId');
    if (seen.has(candidate.caseId)) {
      throw new InvalidCommandError(
        SUPERVISION_ERRORS.duplicateCandidate,
        'A case appears twice among the candidates',
        { caseId: candidate.caseId },
      );
    }
    seen.add(candidate.caseId);
    if (!Number.isSafeInteger(candidate.flagCount) || candidate.flagCount < 0) {
      throw new InvalidCommandError(
        SUPERVISION_ERRORS.invalidFlagCount,
        'A flag count is a whole, non-negative number',
        { caseId: candidate.caseId },
      );
    }
  }
}

/** Exactly the guide's questions, each with a known answer, in the guide's order. */
function checkedAnswers(answers: SupervisionAnswers): SupervisionAnswers {
  const given: Readonly<Record<string, unknown>> =
    typeof answers === 'object' && answers !== null ? answers : {};
  const unknownKeys = Object.keys(given).filter(
    (key) => !(SUPERVISION_QUESTION_KEYS as readonly string[]).includes(key),
  );
  const badKeys = SUPERVISION_QUESTION_KEYS.filter(
    (key) => !(SUPERVISION_ANSWERS as readonly unknown[]).includes(given[key]),
  );
  if (unknownKeys.length > 0 || badKeys.length > 0) {
    throw new InvalidCommandError(
      SUPERVISION_ERRORS.invalidAnswers,
      "Every question of the guide needs 'yes', 'no' or 'not-relevant', and nothing else",
      { questions: [...badKeys, ...unknownKeys].join(','), allowed: SUPERVISION_ANSWERS.join(',') },
    );
  }
  return {
    decisionCorrect: answers.decisionCorrect,
    reasonsAdequate: answers.reasonsAdequate,
    hearingDone: answers.hearingDone,
    consentObtained: answers.consentObtained,
    appealGuidanceGiven: answers.appealGuidanceGiven,
    notesAdequate: answers.notesAdequate,
  };
}

/**
 * One supervision sample. Drawn once, by `drawSupervisionSample` over the candidates given,
 * so the event's seed and the same candidates reproduce it. Reviews only for cases in the
 * sample, not before the draw; a new review of a case is recorded and replaces the earlier.
 */
export const supervisionDecider: Decider<SupervisionCommand, SupervisionEvent, SupervisionState> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const sampleId = command.sampleId;
    switch (command.type) {
      case 'DrawSample': {
        if (state.status !== 'none') {
          throw new ConflictError(
            SUPERVISION_ERRORS.alreadyDrawn,
            'This sample has been drawn already',
            { sampleId },
          );
        }
        const drawnAt = occurredAt(undefined, command.now, 'now');
        if (!Number.isSafeInteger(command.size) || command.size < 1) {
          throw new InvalidCommandError(
            SUPERVISION_ERRORS.invalidSize,
            'The sample size is a whole number of at least 1',
          );
        }
        if (
          typeof command.seed !== 'string' ||
          command.seed.trim() === '' ||
          command.seed.length > SUPERVISION_SEED_MAX_LENGTH
        ) {
          throw new InvalidCommandError(
            SUPERVISION_ERRORS.invalidSeed,
            'The seed is a non-empty string of limited length',
            { maxLength: SUPERVISION_SEED_MAX_LENGTH },
          );
        }
        checkedCandidates(command);
        return [
          {
            type: 'SupervisionSampleDrawn',
            data: {
              sampleId: requireId(sampleId, 'sampleId'),
              departmentId: requireId(command.departmentId, 'departmentId'),
              seed: command.seed,
              size: command.size,
              caseIds: drawSupervisionSample(command.candidates, command.size, command.seed),
              drawnAt: drawnAt.toISOString(),
              drawnBy: requireId(command.drawnBy, 'drawnBy'),
            },
          },
        ];
      }
      case 'RecordReview': {
        if (state.status === 'none') {
          throw new NotFoundError(SUPERVISION_ERRORS.notFound, 'No sample with this id', {
            sampleId,
          });
        }
        if (!state.caseIds.includes(command.caseId)) {
          throw new ConflictError(
            SUPERVISION_ERRORS.caseNotInSample,
            'The case is not in this sample',
            { sampleId, caseId: command.caseId },
          );
        }
        const reviewerId = requireId(command.reviewerId, 'reviewerId');
        const answers = checkedAnswers(command.answers);
        const reviewed = occurredAt(command.reviewedAt, command.now, 'reviewedAt');
        const reviewedAt = requireNotBefore(reviewed, state.drawnAt, {
          code: SUPERVISION_ERRORS.reviewedBeforeDrawn,
          message: 'A case cannot be reviewed before the sample was drawn',
          details: { drawnAt: state.drawnAt },
        });
        return [
          {
            type: 'SupervisionReviewRecorded',
            data: {
              sampleId,
              caseId: command.caseId,
              reviewerId,
              answers,
              reviewedAt,
            },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SupervisionSampleDrawn':
        return {
          status: 'drawn',
          departmentId: event.data.departmentId,
          caseIds: event.data.caseIds,
          drawnAt: event.data.drawnAt,
          reviews: new Map(),
        };
      case 'SupervisionReviewRecorded': {
        if (state.status === 'none') return state;
        const { caseId, reviewerId, answers, reviewedAt } = event.data;
        return {
          ...state,
          reviews: new Map(state.reviews).set(caseId, {
            caseId,
            reviewerId,
            answers,
            reviewedAt,
          }),
        };
      }
      default:
        return assertNever(event);
    }
  },
};

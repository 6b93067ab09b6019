/**
 * The question guide for a supervision review of one case, and a summary of the answers. The
 * questions follow the decision checklist of the domain brief (Forvaltningsloven §§ 19, 22, 24,
 * 25; Offentlighedsloven §§ 13, 15); the law references are for the guide's reader.
 */

export const SUPERVISION_ANSWERS = ['yes', 'no', 'not-relevant'] as const;
export type SupervisionAnswer = (typeof SUPERVISION_ANSWERS)[number];

export interface SupervisionQuestion {
  readonly key: string;
  readonly da: string;
  readonly en: string;
  /** Where the requirement comes from, when it is law. */
  readonly law: string | null;
}

export const SUPERVISION_QUESTIONS = [
  {
    key: 'decisionCorrect',
    da: 'Er afgørelsen korrekt (rette hjemmel og rette resultat)?',
    en: 'Is the decision correct (right legal basis and right outcome)?',
    law: null,
  },
  {
    key: 'reasonsAdequate',
    da: 'Er afgørelsen tilstrækkeligt begrundet?',
    en: 'Are the reasons for the decision adequate?',
    law: 'Forvaltningsloven §§ 22 og 24',
  },
  {
    key: 'hearingDone',
    da: 'Er der foretaget partshøring, hvor det er påkrævet?',
    en: 'Was the party heard where that is required?',
    law: 'Forvaltningsloven § 19',
  },
  {
    key: 'consentObtained',
    da: 'Er der indhentet samtykke til at indhente oplysninger, hvor det er påkrævet?',
    en: 'Was consent to obtain information given where that is required?',
    law: 'Retssikkerhedsloven § 11 c',
  },
  {
    key: 'appealGuidanceGiven',
    da: 'Er der givet klagevejledning?',
    en: 'Was guidance on how to appeal given?',
    law: 'Forvaltningsloven § 25',
  },
  {
    key: 'notesAdequate',
    da: 'Er sagen tilstrækkeligt noteret og journaliseret?',
    en: 'Are notes and journal entries adequate?',
    law: 'Offentlighedsloven §§ 13 og 15',
  },
] as const satisfies readonly SupervisionQuestion[];

export type SupervisionQuestionKey = (typeof SUPERVISION_QUESTIONS)[number]['key'];

export const SUPERVISION_QUESTION_KEYS: readonly SupervisionQuestionKey[] =
  SUPERVISION_QUESTIONS.map((question) => question.key);

/** One answer per question. */
export type SupervisionAnswers = { readonly [K in SupervisionQuestionKey]: SupervisionAnswer };

export type SupervisionAnswerCounts = { readonly [A in SupervisionAnswer]: number };

export interface SupervisionReviewSummary {
  readonly reviewCount: number;
  readonly questions: { readonly [K in SupervisionQuestionKey]: SupervisionAnswerCounts };
}

/**
 * Counts per question of 'yes', 'no' and 'not-relevant' over the reviews given. Pass the
 * current review of each case (a sample's state keeps only the latest per case).
 */
export function reviewSummary(
  reviews: readonly { readonly answers: SupervisionAnswers }[],
): SupervisionReviewSummary {
  const counts = new Map<SupervisionQuestionKey, Record<SupervisionAnswer, number>>(
    SUPERVISION_QUESTION_KEYS.map((key) => [key, { yes: 0, no: 0, 'not-relevant': 0 }]),
  );
  for (const review of reviews) {
    for (const [key, tally] of counts) tally[review.answers[key]] += 1;
  }
  const questionCounts = (key: SupervisionQuestionKey): SupervisionAnswerCounts => {
    const tally = counts.get(key);
    if (tally === undefined) throw new Error(`No tally for ${key}`);
    return tally;
  };
  return {
    reviewCount: reviews.length,
    questions: {
      decisionCorrect: questionCounts('decisionCorrect'),
      reasonsAdequate: questionCounts('reasonsAdequate'),
      hearingDone: questionCounts('hearingDone'),
      consentObtained: questionCounts('consentObtained'),
      appealGuidanceGiven: questionCounts('appealGuidanceGiven'),
      notesAdequate: questionCounts('notesAdequate'),
    },
  };
}

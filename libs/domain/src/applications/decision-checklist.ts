import {
  type BoardRulingOutcome,
  CONSENT_STATUSES,
  DECISION_ITEMS,
  HEARING_NOT_NEEDED_REASONS,
  HEARING_STATUSES,
  type DecisionChecklist,
  type DecisionItem,
  type DecisionOutcome,
  type ReassessmentOutcome,
} from './application.events';

/**
 * What a decision lacks, in the order of DECISION_ITEMS, after what has been supplied since.
 *
 * A decision that grants the application in full needs neither reasons (Forvaltningsloven § 22)
 * nor guidance on appeal (§ 25 stk. 1), and no hearing: § 19 is about information to the
 * party's disadvantage. Consent that is 'missing' is missing whatever the outcome.
 */
export function missingDecisionItems(
  decision: { readonly outcome: DecisionOutcome; readonly checklist: DecisionChecklist },
  supplied: readonly DecisionItem[] = [],
): DecisionItem[] {
  const { outcome, checklist } = decision;
  const inFull = outcome === 'granted';
  const lacking: Record<DecisionItem, boolean> = {
    reasons: !checklist.reasonsGiven && !inFull,
    hearing: checklist.hearing === 'not-done' && !inFull,
    'appeal-guidance': !checklist.appealGuidanceIncluded && !inFull,
    consent: checklist.consent === 'missing',
  };
  return DECISION_ITEMS.filter((item) => lacking[item] && !supplied.includes(item));
}

/** What is wrong with a checklist (the field), or null when it is well-formed. */
export function checklistProblem(checklist: DecisionChecklist): keyof DecisionChecklist | null {
  if (typeof checklist.reasonsGiven !== 'boolean') return 'reasonsGiven';
  if (!(HEARING_STATUSES as readonly string[]).includes(checklist.hearing)) return 'hearing';
  const reason = checklist.hearingNotNeededReason;
  if (checklist.hearing === 'not-needed') {
    if (!(HEARING_NOT_NEEDED_REASONS as readonly unknown[]).includes(reason)) {
      return 'hearingNotNeededReason';
    }
  } else if (reason !== null) {
    return 'hearingNotNeededReason';
  }
  if (typeof checklist.appealGuidanceIncluded !== 'boolean') return 'appealGuidanceIncluded';
  if (!(CONSENT_STATUSES as readonly string[]).includes(checklist.consent)) return 'consent';
  return null;
}

/**
 * Whether a decision still stands: one changed on reassessment or by the appeals board, or sent
 * back for a new decision, is replaced, so there is nothing left to supplement in it.
 */
export function decisionStands(
  reassessment: ReassessmentOutcome | null,
  ruling: BoardRulingOutcome | null,
): boolean {
  return reassessment !== 'changed' && (ruling === null || ruling === 'upheld');
}

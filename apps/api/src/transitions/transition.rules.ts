import { DEFAULT_TRANSITION_RULES, type TransitionRules } from '@tovholder/domain';
import type { AppConfig } from '../config/app-config';

export const TRANSITION_POLICY = Symbol('TRANSITION_POLICY');

export interface TransitionPolicy {
  readonly rules: TransitionRules;
  readonly relevantCaseTypes: readonly string[];
  readonly placementCaseTypes: readonly string[];
}

export function transitionPolicyFrom(config: AppConfig): TransitionPolicy {
  const { transitions } = config;
  return {
    rules: {
      ...DEFAULT_TRANSITION_RULES,
      notStartedGraceDays: transitions.notStartedGraceDays,
      adultCaseworkerByAge: transitions.adultCaseworkerByAge,
      decisionWarningMonthsBefore18: transitions.decisionWarningMonthsBefore18,
    },
    relevantCaseTypes: transitions.relevantCaseTypes,
    placementCaseTypes: transitions.placementCaseTypes,
  };
}

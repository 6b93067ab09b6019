import {
  DEFAULT_COORDINATION_RULES,
  type CoordinationRules,
  type WorkingDayDeadline,
} from '@tovholder/domain';
import { workingDayDeadline } from '@tovholder/domain/shared/copenhagen-time';
import type { AppConfig } from '../config/app-config';

export const COORDINATION_RULES = Symbol('COORDINATION_RULES');
export const WORKING_DAY_DEADLINE = Symbol('WORKING_DAY_DEADLINE');

export function coordinationRulesFrom(config: AppConfig): CoordinationRules {
  return { ...DEFAULT_COORDINATION_RULES, ...config.coordination };
}

/** Deadlines in working days skip weekends and Danish public holidays. */
export const danishWorkingDayDeadline: WorkingDayDeadline = (from, workingDays) =>
  workingDayDeadline(from, workingDays);

/** The shape of the management figures, and the months and roundings they use. */
import {
  SUPERVISION_QUESTION_KEYS,
  type SupervisionAnswerCounts,
  type SupervisionQuestionKey,
} from '@tovholder/domain';

export interface ProcessingTimeFigures {
  readonly caseType: string;
  readonly decisions: number;
  /** The published deadline in days (application date to deadline); the median if it varied. */
  readonly publishedDays: number;
  readonly medianDays: number;
  readonly p90Days: number;
}

export interface MonthFigures {
  readonly month: string;
  readonly inquiries: {
    readonly received: number;
    readonly acknowledgedInTime: number;
    readonly percent: number | null;
  };
  readonly decisions: {
    readonly decided: number;
    readonly withinDeadline: number;
    readonly percent: number | null;
  };
  readonly processingTimes: ProcessingTimeFigures[];
  readonly complaints: {
    readonly received: number;
    readonly openCasesAtMonthEnd: number;
    readonly per100OpenCases: number | null;
  };
  readonly appeals: {
    readonly ruled: number;
    readonly changedOrSentBack: number;
    readonly percent: number | null;
  };
  readonly caseload: {
    readonly caseworkers: number;
    readonly min: number | null;
    readonly median: number | null;
    readonly p90: number | null;
    readonly max: number | null;
  };
  readonly supervision: {
    readonly reviews: number;
    readonly questions: Record<SupervisionQuestionKey, SupervisionAnswerCounts>;
  };
}

export interface ManagementFigures {
  readonly fromMonth: string;
  readonly toMonth: string;
  readonly generatedAt: string;
  readonly departments: { readonly departmentId: string; readonly months: MonthFigures[] }[];
}

const monthIndex = (month: string): number => {
  const [year, mm] = month.split('-').map(Number) as [number, number];
  return year * 12 + mm - 1;
};

/** The months from `from` to `to`, both included, as YYYY-MM. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i++) {
    months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

/** A share in per cent with one decimal; null when there is nothing to share. */
export const percentOf = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 10;

/** Complaints per 100 open cases, two decimals (they are few); null without open cases. */
export const per100 = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((10000 * part) / whole) / 100;

/** Days and caseloads from percentile_cont, one decimal. */
export const oneDecimal = (value: number): number => Math.round(value * 10) / 10;

export const emptySupervision = (): MonthFigures['supervision'] => ({
  reviews: 0,
  questions: Object.fromEntries(
    SUPERVISION_QUESTION_KEYS.map((key) => [key, { yes: 0, no: 0, 'not-relevant': 0 }]),
  ) as Record<SupervisionQuestionKey, SupervisionAnswerCounts>,
});

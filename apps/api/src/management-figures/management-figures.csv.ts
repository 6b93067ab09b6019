import { SUPERVISION_ANSWERS, SUPERVISION_QUESTION_KEYS } from '@tovholder/domain';
import type { ManagementFigures, MonthFigures } from './management-figures';

export const CSV_HEADER = ['department', 'month', 'figure', 'case_type', 'value'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function field(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One month's figures as (figure, case type, value) rows; an empty value is "no figure". */
function monthRows(m: MonthFigures): [string, string, number | null][] {
  const rows: [string, string, number | null][] = [
    ['inquiries.received', '', m.inquiries.received],
    ['inquiries.acknowledgedInTime', '', m.inquiries.acknowledgedInTime],
    ['inquiries.percent', '', m.inquiries.percent],
    ['decisions.decided', '', m.decisions.decided],
    ['decisions.withinDeadline', '', m.decisions.withinDeadline],
    ['decisions.percent', '', m.decisions.percent],
  ];
  for (const p of m.processingTimes) {
    rows.push(
      ['processingTimes.decisions', p.caseType, p.decisions],
      ['processingTimes.publishedDays', p.caseType, p.publishedDays],
      ['processingTimes.medianDays', p.caseType, p.medianDays],
      ['processingTimes.p90Days', p.caseType, p.p90Days],
    );
  }
  rows.push(
    ['complaints.received', '', m.complaints.received],
    ['complaints.openCasesAtMonthEnd', '', m.complaints.openCasesAtMonthEnd],
    ['complaints.per100OpenCases', '', m.complaints.per100OpenCases],
    ['appeals.ruled', '', m.appeals.ruled],
    ['appeals.changedOrSentBack', '', m.appeals.changedOrSentBack],
    ['appeals.percent', '', m.appeals.percent],
    ['caseload.caseworkers', '', m.caseload.caseworkers],
    ['caseload.min', '', m.caseload.min],
    ['caseload.median', '', m.caseload.median],
    ['caseload.p90', '', m.caseload.p90],
    ['caseload.max', '', m.caseload.max],
    ['supervision.reviews', '', m.supervision.reviews],
  );
  for (const key of SUPERVISION_QUESTION_KEYS) {
    for (const answer of SUPERVISION_ANSWERS) {
      rows.push([`supervision.${key}.${answer}`, '', m.supervision.questions[key][answer]]);
    }
  }
  return rows;
}

/**
 * Long format, one row per figure: department,month,figure,case_type,value. CRLF line ends
 * (RFC 4180); numbers with '.' decimals; no personal data (ids of departments and counts only).
 */
export function managementFiguresCsv(figures: ManagementFigures): string {
  const lines = [CSV_HEADER.join(',')];
  for (const department of figures.departments) {
    for (const month of department.months) {
      for (const [figure, caseType, value] of monthRows(month)) {
        lines.push(
          [department.departmentId, month.month, figure, caseType, value].map(field).join(','),
        );
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

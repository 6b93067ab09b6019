export const caseStream = (caseId: string): string => `case-${caseId}`;

export interface CaseOpened {
  readonly type: 'CaseOpened';
  readonly data: {
    readonly caseId: string;
    /** Internal person id: never a CPR number or a name. */
    readonly personId: string;
    readonly departmentId: string;
    readonly caseType: string;
    readonly openedAt: string;
  };
}

export interface CaseClosed {
  readonly type: 'CaseClosed';
  readonly data: {
    readonly caseId: string;
    readonly reason: string;
    readonly closedAt: string;
  };
}

export type CaseEvent = CaseOpened | CaseClosed;

export const CASE_EVENT_TYPES: ReadonlySet<string> = new Set<CaseEvent['type']>([
  'CaseOpened',
  'CaseClosed',
]);

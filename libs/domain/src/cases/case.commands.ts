export interface OpenCase {
  readonly type: 'OpenCase';
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  readonly now: Date;
}

export interface CloseCase {
  readonly type: 'CloseCase';
  readonly caseId: string;
  readonly reason: string;
  readonly now: Date;
}

export type CaseCommand = OpenCase | CloseCase;

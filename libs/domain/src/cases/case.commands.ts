import type { CaseworkerFacts } from '../caseworkers/caseworker.decider';
import type { ContactChannel } from './case.events';

export interface OpenCase {
  readonly type: 'OpenCase';
  readonly caseId: string;
  readonly personId: string;
  readonly departmentId: string;
  readonly caseType: string;
  /** When it happened, if not now: never in the future, never before the case opened. */
  readonly at?: Date;
  readonly now: Date;
}

export interface AssignCaseworker {
  readonly type: 'AssignCaseworker';
  readonly caseId: string;
  readonly caseworker: CaseworkerFacts;
  /** When it happened, if not now: never in the future, never before the case opened. */
  readonly at?: Date;
  readonly now: Date;
}

export interface ChangeCaseworker {
  readonly type: 'ChangeCaseworker';
  readonly caseId: string;
  readonly to: CaseworkerFacts;
  readonly reason: string;
  /** Set when the citizen was told in the same breath (e.g. at a meeting). */
  readonly citizenTold: { readonly channel: ContactChannel; readonly at: Date } | null;
  /** When it happened, if not now: never in the future, never before the case opened. */
  readonly at?: Date;
  readonly now: Date;
}

export interface RecordCitizenTold {
  readonly type: 'RecordCitizenTold';
  readonly caseId: string;
  readonly channel: ContactChannel;
  readonly toldAt: Date;
  readonly now: Date;
}

export interface CloseCase {
  readonly type: 'CloseCase';
  readonly caseId: string;
  readonly reason: string;
  /** When it happened, if not now: never in the future, never before the case opened. */
  readonly at?: Date;
  readonly now: Date;
}

export type CaseCommand =
  OpenCase | AssignCaseworker | ChangeCaseworker | RecordCitizenTold | CloseCase;

import { eventUnion } from '../shared/event-types';
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

export interface CaseworkerAssigned {
  readonly type: 'CaseworkerAssigned';
  readonly data: {
    readonly caseId: string;
    readonly caseworkerId: string;
    readonly assignedAt: string;
  };
}

/** The citizen must be told of a change; until CitizenToldOfCaseworkerChange, a deadline runs. */
export interface CaseworkerChanged {
  readonly type: 'CaseworkerChanged';
  readonly data: {
    readonly caseId: string;
    readonly fromCaseworkerId: string;
    readonly toCaseworkerId: string;
    readonly reason: string;
    readonly changedAt: string;
  };
}

export interface CitizenToldOfCaseworkerChange {
  readonly type: 'CitizenToldOfCaseworkerChange';
  readonly data: {
    readonly caseId: string;
    readonly caseworkerId: string;
    readonly channel: ContactChannel;
    readonly toldAt: string;
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

export const CONTACT_CHANNELS = [
  'letter',
  'digital-post',
  'phone',
  'sms',
  'e-mail',
  'secure-e-mail',
  'meeting',
] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export type CaseEvent =
  CaseOpened | CaseworkerAssigned | CaseworkerChanged | CitizenToldOfCaseworkerChange | CaseClosed;

export const CASE_EVENTS = eventUnion<CaseEvent>({
  CaseOpened: true,
  CaseworkerAssigned: true,
  CaseworkerChanged: true,
  CitizenToldOfCaseworkerChange: true,
  CaseClosed: true,
});
export const CASE_EVENT_TYPES = CASE_EVENTS.types;
export const isCaseEvent = CASE_EVENTS.is;

import { eventUnion } from '../shared/event-types';
export const caseworkerStream = (caseworkerId: string): string => `caseworker-${caseworkerId}`;

/** A caseworker's name lives in the caseworker directory table, not in events. */
export interface CaseworkerRegistered {
  readonly type: 'CaseworkerRegistered';
  readonly data: {
    readonly caseworkerId: string;
    readonly departmentId: string;
    readonly registeredAt: string;
  };
}

export interface CaseworkerDeactivated {
  readonly type: 'CaseworkerDeactivated';
  readonly data: {
    readonly caseworkerId: string;
    /** Free text, e.g. 'left the municipality', 'long leave'. */
    readonly reason: string;
    readonly deactivatedAt: string;
  };
}

export interface CaseworkerReactivated {
  readonly type: 'CaseworkerReactivated';
  readonly data: { readonly caseworkerId: string; readonly reactivatedAt: string };
}

export type CaseworkerEvent = CaseworkerRegistered | CaseworkerDeactivated | CaseworkerReactivated;

export const CASEWORKER_EVENTS = eventUnion<CaseworkerEvent>({
  CaseworkerRegistered: true,
  CaseworkerDeactivated: true,
  CaseworkerReactivated: true,
});
export const CASEWORKER_EVENT_TYPES = CASEWORKER_EVENTS.types;
export const isCaseworkerEvent = CASEWORKER_EVENTS.is;

import { eventUnion } from '../shared/event-types';
/**
 * A complaint from a citizen about staff, the service or the casework. One stream per
 * complaint: `complaint-<complaintId>`.
 *
 * Events carry internal ids only: what the complaint says stays out of the events (it belongs
 * in the journal). Times ending in `At` are instants (ISO 8601, UTC).
 */
import type { ContactChannel } from '../cases/case.events';

export const complaintStream = (complaintId: string): string => `complaint-${complaintId}`;

/** What the complaint is about. */
export const COMPLAINT_TOPICS = ['staff', 'service', 'casework'] as const;
export type ComplaintTopic = (typeof COMPLAINT_TOPICS)[number];

export const COMPLAINT_OUTCOMES = ['upheld', 'partly-upheld', 'rejected', 'withdrawn'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

export interface ComplaintRegistered {
  readonly type: 'ComplaintRegistered';
  readonly data: {
    readonly complaintId: string;
    readonly departmentId: string;
    /** The case complained about, when there is one. */
    readonly caseId: string | null;
    /** Internal person id of the complainant; null for an anonymous complaint. */
    readonly personId: string | null;
    readonly about: ComplaintTopic;
    readonly channel: ContactChannel;
    readonly receivedAt: string;
  };
}

/** Final: a complaint is resolved once. */
export interface ComplaintResolved {
  readonly type: 'ComplaintResolved';
  readonly data: {
    readonly complaintId: string;
    readonly outcome: ComplaintOutcome;
    readonly resolvedAt: string;
  };
}

export type ComplaintEvent = ComplaintRegistered | ComplaintResolved;

/** A complaint event with its stored event id (for flags that name the events they rest on). */
export type IdentifiedComplaintEvent = ComplaintEvent & { readonly id: string };

export const COMPLAINT_EVENTS = eventUnion<ComplaintEvent>({
  ComplaintRegistered: true,
  ComplaintResolved: true,
});
export const COMPLAINT_EVENT_TYPES = COMPLAINT_EVENTS.types;
export const isComplaintEvent = COMPLAINT_EVENTS.is;

import type { ContactChannel } from '../cases/case.events';
import type { ComplaintOutcome, ComplaintTopic } from './complaint.events';

/**
 * Commands on one complaint's stream. `now` is the time of the request (the clock is read by the
 * caller, never here). The optional `…At` is when the thing actually happened; it defaults to
 * `now` and may not be after it.
 */

export interface RegisterComplaint {
  readonly type: 'RegisterComplaint';
  readonly complaintId: string;
  readonly departmentId: string;
  readonly caseId: string | null;
  /** Null for an anonymous complaint. */
  readonly personId: string | null;
  readonly about: ComplaintTopic;
  readonly channel: ContactChannel;
  readonly receivedAt?: Date;
  readonly now: Date;
}

export interface ResolveComplaint {
  readonly type: 'ResolveComplaint';
  readonly complaintId: string;
  readonly outcome: ComplaintOutcome;
  readonly resolvedAt?: Date;
  readonly now: Date;
}

export type ComplaintCommand = RegisterComplaint | ResolveComplaint;

import type { CaseworkerFacts } from '../caseworkers/caseworker.decider';
import type { IsoDate } from '../shared/calendar-dates';
import type { WorkingDayOptions } from '../shared/danish-holidays';
import type { AgendaItem } from './meeting.events';

/**
 * Commands on one coordination meeting's stream. `now` is the time of the request (the clock is
 * read by the caller, never here); the steps taken at or after the meeting may carry `at`, when
 * they happened, which dates the event instead (never after `now`).
 */

export interface PlanMeeting {
  readonly type: 'PlanMeeting';
  readonly meetingId: string;
  /** A working day, today or later. */
  readonly date: IsoDate;
  readonly chairDepartmentId: string;
  /** The participating departments; the chair's is added when missing. */
  readonly departmentIds: readonly string[];
  /** By the caller, typically `agendaCutOffFor(date, rules)`; not after the meeting day. */
  readonly agendaCutOffAt: Date;
  /** The municipality's closing days on top of the law's holidays. */
  readonly calendar?: WorkingDayOptions;
  readonly now: Date;
}

/** Freezes the agenda the caller composed with `composeAgenda`. */
export interface FreezeAgenda {
  readonly type: 'FreezeAgenda';
  readonly meetingId: string;
  readonly previousMeetingId: string | null;
  readonly items: readonly AgendaItem[];
  /** Freeze before the cut-off (recorded as `early`). */
  readonly force?: boolean;
  readonly now: Date;
}

/** An agenda item's itemId, or `other:<uuid>` for a matter raised at the meeting. */
export interface RecordItemMinutes {
  readonly type: 'RecordItemMinutes';
  readonly meetingId: string;
  readonly itemId: string;
  readonly outcome: string;
  readonly decisions: readonly string[];
  /** When the minutes were taken (default `now`): not before the meeting day. */
  readonly at?: Date;
  readonly now: Date;
}

/** The owner of an agreement as the handler looked it up: a caseworker must be active. */
export type AgreementOwnerInput =
  | { readonly kind: 'caseworker'; readonly caseworker: CaseworkerFacts }
  | { readonly kind: 'department'; readonly departmentId: string };

export interface MakeAgreement {
  readonly type: 'MakeAgreement';
  readonly meetingId: string;
  /** Chosen by the caller (a uuid); a retry with the same content records nothing. */
  readonly agreementId: string;
  readonly itemId: string;
  readonly what: string;
  readonly owner: AgreementOwnerInput;
  /** Not before the meeting day. */
  readonly dueDate: IsoDate;
  /** When the agreement was made (default `now`): not before the meeting day. */
  readonly at?: Date;
  readonly now: Date;
}

export interface ApproveMinutes {
  readonly type: 'ApproveMinutes';
  readonly meetingId: string;
  /** Looked up by the handler: must be active. */
  readonly by: CaseworkerFacts;
  /** When the minutes were approved (default `now`): not before the meeting day. */
  readonly at?: Date;
  readonly now: Date;
}

export interface CorrectMinutes {
  readonly type: 'CorrectMinutes';
  readonly meetingId: string;
  readonly itemId: string;
  readonly outcome: string;
  readonly decisions: readonly string[];
  readonly reason: string;
  /** When the correction was made (default `now`): not before the approval. */
  readonly at?: Date;
  readonly now: Date;
}

export interface CompleteAgreement {
  readonly type: 'CompleteAgreement';
  readonly meetingId: string;
  readonly agreementId: string;
  readonly note?: string;
  /** When the agreement was carried out (default `now`): not before the meeting day. */
  readonly at?: Date;
  readonly now: Date;
}

export interface CancelAgreement {
  readonly type: 'CancelAgreement';
  readonly meetingId: string;
  readonly agreementId: string;
  readonly reason: string;
  /** When the agreement was cancelled (default `now`): not before the meeting day. */
  readonly at?: Date;
  readonly now: Date;
}

export type MeetingCommand =
  | PlanMeeting
  | FreezeAgenda
  | RecordItemMinutes
  | MakeAgreement
  | ApproveMinutes
  | CorrectMinutes
  | CompleteAgreement
  | CancelAgreement;

import {
  CONTACT_CHANNELS,
  DEFAULT_APPLICATION_RULES,
  DEFAULT_COMPLAINT_RULES,
  DEFAULT_FILE_ACCESS_RULES,
  DEFAULT_INQUIRY_RULES,
  DEFAULT_JOURNAL_RULES,
  type ApplicationRules,
  type ComplaintRules,
  type ContactChannel,
  type FileAccessRules,
  type InquiryRules,
  type JournalRules,
  DEFAULT_VISITATION_RULES,
  type VisitationRules,
} from '@tovholder/domain';
import { ConfigError, type AppConfig } from '../config/app-config';

export const CASEWORK_POLICY = Symbol('CASEWORK_POLICY');

/** The local policy behind every casework flag, from the configuration; read at query time. */
export interface CaseworkPolicy {
  readonly inquiries: InquiryRules;
  readonly applications: ApplicationRules;
  readonly complaints: ComplaintRules;
  readonly fileAccess: FileAccessRules;
  readonly journal: JournalRules;
  readonly visitation: VisitationRules;
}

function contactChannels(names: readonly string[]): ContactChannel[] {
  const unknown = names.filter((name) => !(CONTACT_CHANNELS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `NOTE_REQUIRED_CHANNELS names unknown channels ${unknown.join(', ')}; known: ${CONTACT_CHANNELS.join(', ')}`,
    );
  }
  return names as ContactChannel[];
}

export function caseworkPolicyFrom(config: AppConfig): CaseworkPolicy {
  const { casework } = config;
  const postal = { ...DEFAULT_APPLICATION_RULES.postal, deliveryDays: casework.postalDeliveryDays };
  return {
    inquiries: {
      ...DEFAULT_INQUIRY_RULES,
      acknowledgeWithinHours: casework.acknowledgeWithinHours,
    },
    applications: {
      ...DEFAULT_APPLICATION_RULES,
      deadlineWarningDays: casework.deadlineWarningDays,
      postal,
    },
    complaints: {
      ...DEFAULT_COMPLAINT_RULES,
      answerWithinWorkingDays: casework.complaintAnswerWorkingDays,
    },
    fileAccess: {
      ...DEFAULT_FILE_ACCESS_RULES,
      answerWithinWorkingDays: casework.fileAccessWorkingDays,
      postal,
    },
    journal: {
      ...DEFAULT_JOURNAL_RULES,
      noteRequiredChannels: contactChannels(casework.noteRequiredChannels),
      noteWithinWorkingDays: casework.noteWithinWorkingDays,
    },
    visitation: { ...DEFAULT_VISITATION_RULES, waitingDays: casework.visitationWaitingDays },
  };
}

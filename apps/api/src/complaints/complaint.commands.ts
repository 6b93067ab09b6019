import {
  complaintDecider,
  isComplaintEvent,
  complaintStream,
  type ComplaintCommand,
} from '@tovholder/domain';
import { receiveCitizenRequest } from '../casework/citizen-request';
import { streamKind } from '../shared/command-runner';
import type { RegisterComplaintDto } from './complaint.dto';

export const COMPLAINTS = streamKind(complaintStream, complaintDecider, isComplaintEvent);

/** A complaint may be anonymous: no person. */
export const registerComplaint = (complaintId: string, body: RegisterComplaintDto) =>
  receiveCitizenRequest(COMPLAINTS, complaintId, body, (received): ComplaintCommand => ({
    type: 'RegisterComplaint',
    complaintId,
    personId: body.personId ?? null,
    about: body.about,
    ...received,
  }));

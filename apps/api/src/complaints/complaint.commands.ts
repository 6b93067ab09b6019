import { complaintDecider, isComplaintEvent, complaintStream } from '@tovholder/domain';
import { streamKind } from '../shared/command-runner';

export const COMPLAINTS = streamKind(complaintStream, complaintDecider, isComplaintEvent);

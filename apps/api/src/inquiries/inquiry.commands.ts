import {
  inquiryDecider,
  isInquiryEvent,
  inquiryStream,
  type InquiryCommand,
} from '@tovholder/domain';
import { receiveCitizenRequest } from '../casework/citizen-request';
import { streamKind } from '../shared/command-runner';
import type { RecordInquiryDto } from './inquiry.dto';

export const INQUIRIES = streamKind(inquiryStream, inquiryDecider, isInquiryEvent);

export const recordInquiry = (inquiryId: string, body: RecordInquiryDto) =>
  receiveCitizenRequest(INQUIRIES, inquiryId, body, (received): InquiryCommand => ({
    type: 'RecordInquiry',
    inquiryId,
    personId: body.personId,
    ...received,
  }));

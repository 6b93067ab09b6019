import { inquiryDecider, isInquiryEvent, inquiryStream } from '@tovholder/domain';
import { streamKind } from '../shared/command-runner';

export const INQUIRIES = streamKind(inquiryStream, inquiryDecider, isInquiryEvent);

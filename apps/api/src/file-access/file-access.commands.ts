import {
  fileAccessDecider,
  isFileAccessEvent,
  fileAccessStream,
  type FileAccessCommand,
} from '@tovholder/domain';
import { receiveCitizenRequest } from '../casework/citizen-request';
import { streamKind } from '../shared/command-runner';
import type { RequestFileAccessDto } from './file-access.dto';

export const FILE_ACCESS_REQUESTS = streamKind(
  fileAccessStream,
  fileAccessDecider,
  isFileAccessEvent,
);

export const requestFileAccess = (requestId: string, body: RequestFileAccessDto) =>
  receiveCitizenRequest(FILE_ACCESS_REQUESTS, requestId, body, (received): FileAccessCommand => ({
    type: 'RequestFileAccess',
    requestId,
    personId: body.personId,
    ...received,
  }));

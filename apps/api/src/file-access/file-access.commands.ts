import { fileAccessDecider, isFileAccessEvent, fileAccessStream } from '@tovholder/domain';
import { streamKind } from '../shared/command-runner';

export const FILE_ACCESS_REQUESTS = streamKind(
  fileAccessStream,
  fileAccessDecider,
  isFileAccessEvent,
);

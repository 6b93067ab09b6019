import { applicationDecider, isApplicationEvent, applicationStream } from '@tovholder/domain';
import { streamKind } from '../shared/command-runner';

export const APPLICATIONS = streamKind(applicationStream, applicationDecider, isApplicationEvent);

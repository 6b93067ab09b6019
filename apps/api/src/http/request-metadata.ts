import type { EventMetadata } from '@tovholder/event-store';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';

/** What every event records about the request that caused it. */
export function requestMetadata(request: Request): EventMetadata {
  const header = request.header('x-correlation-id');
  const correlationId = header && /^[\w-]{1,100}$/.test(header) ? header : randomUUID();
  // Until authentication lands, the actor is unknown; the field is there for the audit trail.
  return { actor: 'unauthenticated', correlationId };
}

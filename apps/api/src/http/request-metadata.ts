import type { EventMetadata } from '@tovholder/event-store';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { unauthenticated, type AuthenticatedRequest } from '../auth/auth.guard';

/** What every event records about the request that caused it: who (subject and roles, no names). */
export function requestMetadata(request: Request): EventMetadata {
  const header = request.header('x-correlation-id');
  const correlationId = header && /^[\w-]{1,100}$/.test(header) ? header : randomUUID();
  const principal = (request as AuthenticatedRequest).principal;
  // AuthGuard runs before every non-public route; a write without a principal is a bug.
  if (!principal) throw unauthenticated();
  return { actor: principal.subject, actorRoles: [...principal.roles], correlationId };
}

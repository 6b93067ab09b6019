import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type HttpException,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { ACCESS_CONTROL, isPublic, type AuthenticatedRequest } from '../auth/auth.guard';
import type { Principal, Role } from '../auth/principal';
import { CLOCK, type Clock } from '../shared/clock';
import { decideAccess, type AccessDecision } from './access-decision';
import { AccessLog, type AccessLogEntry, type AccessOutcome } from './access-log';
import {
  actionOf,
  forbidden,
  hasAllowedRole,
  isRead,
  namedPosition,
  resourceIdOf,
  routeRule,
  statedPurpose,
} from './access-request';
import type { AccessScope } from './access-rules';
import { ResourceFactsReader } from './resource-facts';

interface ScopedRead {
  readonly request: AuthenticatedRequest;
  readonly principal: Principal;
  readonly allowed: readonly Role[];
  readonly scope: AccessScope;
}

/** A read's access-log entry, and the refusal to answer instead of the data (if any). */
interface Verdict {
  readonly entry: AccessLogEntry;
  readonly refusal: HttpException | null;
}

/**
 * Every read of a case's, person's or family's data (a `@Scoped` GET) is decided, logged and
 * answered here, in this order:
 *   1. what the read models say about the resource and how the caller stands to it;
 *   2. the decision (access-decision.ts) and the stated purpose (X-Purpose, needed outside
 *      one's own cases and families): together, the read's access-log entry;
 *   3. refused (403, or 400 for the purpose): the entry is written, then the refusal answered;
 *   4. granted: the entry is written while the handler reads, and the answer waits for both.
 * So no data leaves before its entry is committed (if the entry cannot be written, the caller
 * gets a 500 and no data), none leaves without a needed purpose, and every read, refused or
 * not, has exactly one entry. A family read runs its handler during 1–3 (see `answer`).
 * An interceptor, not a guard: only it holds both the handler's answer and the entry's write.
 * Changes are scoped by AccessGuard and not logged.
 */
@Injectable()
export class ScopedReadInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly resourceFacts: ResourceFactsReader,
    private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCESS_CONTROL) private readonly enforced: boolean,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { allowed, scope } = routeRule(this.reflector, context);
    if (!this.enforced || !scope || !isRead(request) || isPublic(this.reflector, context)) {
      return next.handle();
    }
    const principal = request.principal;
    // AccessGuard has refused these already; failing closed costs nothing.
    if (!principal || !allowed) throw forbidden('role');
    const read: ScopedRead = { request, principal, allowed, scope };
    return defer(() =>
      this.answer(read, () => lastValueFrom(next.handle(), { defaultValue: undefined })),
    );
  }

  private async answer(read: ScopedRead, handle: () => Promise<unknown>): Promise<unknown> {
    if (read.scope.kind === 'family') {
      // Everyone the route allows sees a family's overview (it leaves out the case details they
      // may not see), so only the purpose can refuse it: the handler reads while the read is
      // judged and logged, and a refusal replaces its answer.
      if (!hasAllowedRole(read.principal, read.allowed)) throw forbidden('role');
      return afterEntry(this.judgeAndLog(read), handle());
    }
    const { entry, refusal } = await this.judge(read);
    if (refusal) {
      await this.log.append(entry);
      throw refusal;
    }
    return afterEntry(this.log.append(entry), handle());
  }

  private async judgeAndLog(read: ScopedRead): Promise<void> {
    const { entry, refusal } = await this.judge(read);
    await this.log.append(entry);
    if (refusal) throw refusal;
  }

  private async judge({ request, principal, allowed, scope }: ScopedRead): Promise<Verdict> {
    const resourceId = resourceIdOf(request, scope);
    const { facts, subjects } = await this.resourceFacts.load(
      scope,
      resourceId,
      principal,
      allowed,
      namedPosition(request),
    );
    const decision = decideAccess(principal, allowed, scope.kind, facts, 'read');
    // Reading outside one's own cases and families needs a stated purpose.
    const { purpose, problem } = statedPurpose(
      request,
      decision.granted && facts.found && !decision.own,
    );
    const entry: AccessLogEntry = {
      at: this.clock.now(),
      actor: principal.subject,
      roles: principal.roles,
      action: actionOf(request),
      resourceKind: scope.recordKind ?? scope.kind,
      resourceId: facts.found && resourceId ? resourceId : null,
      caseId: subjects.caseId,
      personIds: subjects.personIds,
      familyIds: subjects.familyIds,
      purpose,
      outcome: outcomeOf(decision, facts.found, problem !== null),
      basis: problem ? 'purpose' : decision.granted ? decision.basis : decision.reason,
    };
    return { entry, refusal: problem ?? (decision.granted ? null : forbidden(decision.reason)) };
  }
}

function outcomeOf(
  decision: AccessDecision,
  found: boolean,
  purposeRefused: boolean,
): AccessOutcome {
  if (purposeRefused) return 'refused';
  if (!decision.granted) return 'denied';
  return found ? 'granted' : 'not-found';
}

/**
 * The handler's answer once the read's entry is committed. If the entry failed (or the read was
 * refused), that is the answer instead of the handler's data or error.
 */
export async function afterEntry<T>(entry: Promise<void>, answer: Promise<T>): Promise<T> {
  const [written, handled] = await Promise.allSettled([entry, answer]);
  if (written.status === 'rejected') throw written.reason;
  if (handled.status === 'rejected') throw handled.reason;
  return handled.value;
}

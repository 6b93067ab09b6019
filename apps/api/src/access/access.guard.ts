import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { textMayContainCpr } from '@tovholder/domain';
import { DataSource } from 'typeorm';
import { ACCESS_CONTROL, isPublic, type AuthenticatedRequest } from '../auth/auth.guard';
import type { Principal, Role } from '../auth/principal';
import { CLOCK, type Clock } from '../shared/clock';
import { decideAccess, type AccessDecision, type ResourceFacts } from './access-decision';
import { AccessLog, type AccessLogEntry, type AccessOutcome } from './access-log';
import { ACCESS_SCOPE, ALLOWED_ROLES, PURPOSE_HEADER, type AccessScope } from './access-rules';
import { loadResourceFacts, type ResourceSubjects } from './resource-facts';

/** What the guard found out, for a controller that shapes its answer by it (the family view). */
export interface RequestAccess {
  readonly decision: AccessDecision & { granted: true };
  readonly facts: ResourceFacts;
}

export type AccessRequest = AuthenticatedRequest & {
  access?: RequestAccess;
  /** The read's access-log entry, being written. */
  accessLogged?: Promise<void>;
};

const PURPOSE_MAX_LENGTH = 200;

export function forbidden(reason: 'role' | 'scope'): ForbiddenException {
  return reason === 'role'
    ? new ForbiddenException({ code: 'AUTH.FORBIDDEN', message: 'Your role may not do this' })
    : new ForbiddenException({
        code: 'ACCESS.OUT_OF_SCOPE',
        message:
          'This belongs to another department and is not shared with you; the family view shows that it exists',
      });
}

function purposeProblem(reason: string): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    message: 'Some fields are missing or invalid',
    errors: [{ field: 'X-Purpose', reason }],
  });
}

/**
 * The caller's X-Purpose, or the 400 to answer: too long, CPR-like, or missing where `needed`
 * (a read outside one's own cases and families).
 */
export function statedPurpose(
  request: AuthenticatedRequest,
  needed: boolean,
): { purpose: string | null; problem: BadRequestException | null } {
  const purpose = request.header(PURPOSE_HEADER)?.trim() || null;
  if (purpose && (purpose.length > PURPOSE_MAX_LENGTH || textMayContainCpr(purpose))) {
    return {
      purpose: null,
      problem: purposeProblem(
        `X-Purpose must be at most ${PURPOSE_MAX_LENGTH} characters and hold no CPR number`,
      ),
    };
  }
  if (needed && !purpose) {
    return {
      purpose: null,
      problem: purposeProblem('X-Purpose is required to read outside your own cases and families'),
    };
  }
  return { purpose, problem: null };
}

/** The route as OpenAPI names it: GET /cases/{caseId}. */
export function actionOf(request: AccessRequest): string {
  const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
  return `${request.method} ${route.replace(/:(\w+)/g, '{$1}')}`;
}

/**
 * After authentication: may this principal call this route, and on this case, person or
 * family? Every read of a person's or family's data is logged here, granted or not, before
 * any data is sent; exactly one entry per request.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly log: AccessLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCESS_CONTROL) private readonly enforced: boolean,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.enforced || isPublic(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AccessRequest>();
    const principal = request.principal;
    if (!principal) throw forbidden('role');
    const targets = [context.getHandler(), context.getClass()];
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (!allowed) {
      // Fails closed, loudly: the authorization matrix test catches this before it ships.
      this.logger.error(`no access rule on ${actionOf(request)}`);
      throw forbidden('role');
    }
    const scope = this.reflector.get<AccessScope | undefined>(ACCESS_SCOPE, context.getHandler());
    if (!scope) {
      if (!principal.roles.some((role) => allowed.includes(role))) throw forbidden('role');
      return true;
    }
    const mode = request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
    if (scope.kind === 'family' && mode === 'read') {
      if (!principal.roles.some((role) => allowed.includes(role))) throw forbidden('role');
      // Everyone the route allows sees a family's overview, so only the log entry and the
      // purpose depend on the family: both are settled beside the handler, and the answer
      // waits for them (AccessLoggedInterceptor), so nothing leaves unlogged or without a purpose.
      request.accessLogged = this.judge(request, principal, allowed, scope, mode).then(
        async ({ logged, problem }) => {
          await logged;
          if (problem) throw problem;
        },
      );
      request.accessLogged.catch(() => undefined); // awaited (and reported) by the interceptor
      return true;
    }
    const { decision, facts, problem, logged } = await this.judge(
      request,
      principal,
      allowed,
      scope,
      mode,
    );
    if (logged) {
      // Refusals and reads of nothing have no data to overlap with: logged before answering.
      if (problem || !decision.granted || !facts.found) {
        await logged;
        if (problem) throw problem;
      } else {
        // The entry is written while the handler reads; AccessLoggedInterceptor holds the
        // answer back until it is committed, so no data leaves unlogged and the costs overlap.
        request.accessLogged = logged;
        logged.catch(() => undefined); // awaited (and reported) by the interceptor
      }
    }
    if (!decision.granted) throw forbidden(decision.reason);
    request.access = { decision, facts };
    return true;
  }

  /** The decision on one scoped request and, for a read, its access-log entry being written. */
  private async judge(
    request: AccessRequest,
    principal: Principal,
    allowed: readonly Role[],
    scope: AccessScope,
    mode: 'read' | 'write',
  ): Promise<{
    decision: AccessDecision;
    facts: ResourceFacts;
    problem: BadRequestException | null;
    logged: Promise<void> | null;
  }> {
    const resourceId = resourceIdOf(request, scope);
    const { facts, subjects } = await loadResourceFacts(
      this.dataSource,
      scope,
      resourceId,
      principal,
    );
    const decision = decideAccess(principal, allowed, scope.kind, facts, mode);
    if (mode === 'write') return { decision, facts, problem: null, logged: null };
    const { entry, problem } = this.readEntry(
      request,
      principal,
      scope,
      resourceId,
      facts,
      subjects,
      decision,
    );
    return { decision, facts, problem, logged: this.log.append(entry) };
  }

  /** The read's entry, and the 400 to answer if the purpose is missing or unacceptable. */
  private readEntry(
    request: AccessRequest,
    principal: Principal,
    scope: AccessScope,
    resourceId: string | undefined,
    facts: ResourceFacts,
    subjects: ResourceSubjects,
    decision: AccessDecision,
  ): { entry: AccessLogEntry; problem: BadRequestException | null } {
    let outcome: AccessOutcome = !decision.granted
      ? 'denied'
      : facts.found
        ? 'granted'
        : 'not-found';
    let basis = decision.granted ? decision.basis : decision.reason;
    const needed = outcome === 'granted' && decision.granted && !decision.own;
    const { purpose, problem } = statedPurpose(request, needed);
    if (problem) {
      outcome = 'refused';
      basis = 'purpose';
    }
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
      purpose: problem ? null : purpose,
      outcome,
      basis,
    };
    return { entry, problem };
  }
}

function resourceIdOf(request: AccessRequest, scope: AccessScope): string | undefined {
  if (scope.param) {
    const value: unknown = request.params[scope.param];
    return typeof value === 'string' ? value : undefined;
  }
  if (scope.body) {
    const value: unknown = (request.body as Record<string, unknown> | undefined)?.[scope.body];
    if (typeof value === 'string') return value;
    // A list of departments (consent): the first that is not the caller's decides.
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
      const own = request.principal?.departmentId;
      return value.find((id) => id !== own) ?? own ?? undefined;
    }
  }
  return undefined;
}

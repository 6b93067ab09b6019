// What AccessGuard and ScopedReadInterceptor read off a request and its route, and their refusals.
import { BadRequestException, ForbiddenException, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { textMayContainCpr } from '@tovholder/domain';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { Principal, Role } from '../auth/principal';
import { ACCESS_SCOPE, ALLOWED_ROLES, PURPOSE_HEADER, type AccessScope } from './access-rules';

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

/** The route's rule: the roles of `@Allow` (none: a forgotten rule) and the `@Scoped` resource. */
export function routeRule(
  reflector: Reflector,
  context: ExecutionContext,
): { allowed: readonly Role[] | undefined; scope: AccessScope | undefined } {
  const handler = context.getHandler();
  return {
    allowed: reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, [
      handler,
      context.getClass(),
    ]),
    scope: reflector.get<AccessScope | undefined>(ACCESS_SCOPE, handler),
  };
}

export function hasAllowedRole(principal: Principal, allowed: readonly Role[]): boolean {
  return principal.roles.some((role) => allowed.includes(role));
}

/** A read sends data (and is logged); anything else changes data. */
export function isRead(request: AuthenticatedRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
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
export function actionOf(request: AuthenticatedRequest): string {
  const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
  return `${request.method} ${route.replace(/:(\w+)/g, '{$1}')}`;
}

/**
 * The id of the case, person, family or department the route names (in its path or body). A
 * blank one names nothing: the route's validation answers it with a 400 naming the field, where
 * the scope check would have refused a department called "".
 */
export function resourceIdOf(
  request: AuthenticatedRequest,
  scope: AccessScope,
): string | undefined {
  const named = (value: unknown): value is string =>
    typeof value === 'string' && value.trim() !== '';
  if (scope.param) {
    const value: unknown = request.params[scope.param];
    return named(value) ? value : undefined;
  }
  if (scope.body) {
    const value: unknown = (request.body as Record<string, unknown> | undefined)?.[scope.body];
    if (named(value)) return value;
    // A list of departments (consent): the first that is not the caller's decides.
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      const ids = value.filter(named);
      const own = request.principal?.departmentId;
      if (ids.length > 0) return ids.find((id) => id !== own) ?? own ?? undefined;
    }
  }
  return undefined;
}

/** The position a request names as its own write, if any (validated by the route's DTO). */
export function namedPosition(request: AuthenticatedRequest): string | undefined {
  const given = (request.query as Record<string, unknown> | undefined)?.waitForPosition;
  return typeof given === 'string' ? given : undefined;
}

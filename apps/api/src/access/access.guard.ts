import {
  Inject,
  Injectable,
  Logger,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_CONTROL, isPublic, type AuthenticatedRequest } from '../auth/auth.guard';
import { decideAccess } from './access-decision';
import {
  actionOf,
  forbidden,
  hasAllowedRole,
  isRead,
  namedPosition,
  resourceIdOf,
  routeRule,
} from './access-request';
import { ResourceFactsReader } from './resource-facts';

/**
 * After authentication: may this principal call this route, and change this case, person,
 * family or department? Reads of such data (`@Scoped` GETs) are decided where they are logged,
 * in ScopedReadInterceptor, so that a refused read is logged too.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly resourceFacts: ResourceFactsReader,
    @Inject(ACCESS_CONTROL) private readonly enforced: boolean,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.enforced || isPublic(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = request.principal;
    if (!principal) throw forbidden('role');
    const { allowed, scope } = routeRule(this.reflector, context);
    if (!allowed) {
      // Fails closed, loudly: the authorization matrix test catches this before it ships.
      this.logger.error(`no access rule on ${actionOf(request)}`);
      throw forbidden('role');
    }
    if (scope && isRead(request)) return true; // ScopedReadInterceptor decides and logs
    if (!hasAllowedRole(principal, allowed)) throw forbidden('role');
    if (!scope) return true;
    const { facts } = await this.resourceFacts.load(
      scope,
      resourceIdOf(request, scope),
      principal,
      allowed,
      namedPosition(request),
    );
    const decision = decideAccess(principal, allowed, scope.kind, facts, 'write');
    if (!decision.granted) throw forbidden(decision.reason);
    return true;
  }
}

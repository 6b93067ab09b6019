import {
  Inject,
  Injectable,
  SetMetadata,
  ServiceUnavailableException,
  UnauthorizedException,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

const PUBLIC = 'tovholder:public';
/** A route anyone may call without a token (health only; /docs is served outside Nest's routes). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

export function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()]) ===
    true
  );
}

export type AuthenticatedRequest = Request & { principal?: Principal };

/** One answer for every bad token, so a caller cannot tell what was wrong with it. */
export function unauthenticated(): UnauthorizedException {
  return new UnauthorizedException({
    code: 'AUTH.UNAUTHENTICATED',
    message: 'A valid bearer token is required',
  });
}

/** False only in the benchmark that measures what authentication and access control cost. */
export const ACCESS_CONTROL = Symbol('ACCESS_CONTROL');
const UNCHECKED: Principal = {
  subject: 'benchmark-without-access-control',
  roles: ['system'],
  departmentId: null,
  caseworkerId: null,
};

const BEARER = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/;

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(TokenVerifier) private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
    @Inject(ACCESS_CONTROL) private readonly enforced: boolean,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (isPublic(this.reflector, context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!this.enforced) {
      request.principal = UNCHECKED;
      return true;
    }
    const token = BEARER.exec(request.header('authorization') ?? '')?.[1];
    const principal = token ? await this.verifier.verify(token) : null;
    if (principal === 'unavailable') {
      // Not the caller's fault: a 503 makes clients retry and the on-call operator look.
      throw new ServiceUnavailableException({
        code: 'AUTH.IDENTITY_PROVIDER_UNAVAILABLE',
        message: 'Tokens cannot be checked right now; try again shortly',
      });
    }
    if (!principal) throw unauthenticated();
    request.principal = principal;
    return true;
  }
}

/** The caller, in a controller: `@CurrentPrincipal() principal: Principal`. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw unauthenticated();
    return principal;
  },
);

import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse, ApiHeader } from '@nestjs/swagger';
import type { Role } from '../auth/principal';

export const ALLOWED_ROLES = 'tovholder:allowed-roles';
export const ACCESS_SCOPE = 'tovholder:access-scope';

/**
 * What a route's resource is, for department scoping and the access log:
 * - `case`, `record`: one case's content (a record is a duty such as an application, resolved
 *   to its case); full details only in one's own department, one's own cases, or with the
 *   family's consent as its primary contact;
 * - `person`: a person's registry entry or transition; `family`: a family's coordination view,
 *   which everyone allowed sees, with the case details they may not see left out;
 * - `department`: a command that creates something in the department named in the body.
 */
export type ScopeKind = 'case' | 'record' | 'person' | 'family' | 'department';

export interface AccessScope {
  readonly kind: ScopeKind;
  /** Where the resource's id is: a route parameter or a body field. */
  readonly param?: string;
  readonly body?: string;
  /** For `record`: the duty kind in casework_records (application, inquiry, ...). */
  readonly recordKind?: string;
}

/**
 * The roles that may call a route. Every route names its roles (or is @Public): a route
 * without a rule answers 403 to everyone, so a forgotten rule fails closed.
 */
export const Allow = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    ApiForbiddenResponse({ description: `Roles allowed: ${roles.join(', ')}` }),
  );

export const PURPOSE_HEADER = 'x-purpose';

/** The route reads or changes one case's, person's or family's data: scoped and, if a read, logged. */
export const Scoped = (scope: AccessScope): MethodDecorator =>
  applyDecorators(
    SetMetadata(ACCESS_SCOPE, scope),
    ApiHeader({
      name: 'X-Purpose',
      required: false,
      description:
        'Why you read this (logged). Required when reading outside your own cases and families.',
    }),
  );

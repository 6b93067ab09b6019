import { applyDecorators, HttpCode } from '@nestjs/common';
import { Allow, Scoped, type AccessScope } from '../access/access-rules';
import type { Role } from '../auth/principal';
import { ApiCommandOutcome } from '../http/command-outcome.dto';

/**
 * A command on an existing record: `roles` may take it (within `scope`, when given), answered
 * 200 with the command's outcome.
 */
export const CommandStep = (roles: readonly Role[], scope?: AccessScope): MethodDecorator =>
  applyDecorators(
    Allow(...roles),
    ...(scope === undefined ? [] : [Scoped(scope)]),
    HttpCode(200),
    ApiCommandOutcome(),
  );

/**
 * A step on one duty record (an inquiry, application, complaint ...): caseworkers and the system
 * may take it unless `roles` says otherwise, scoped to the record's case, answered 200 with the
 * command's outcome.
 */
export const RecordStep = (
  recordKind: string,
  param: string,
  roles: readonly Role[] = ['caseworker', 'system'],
): MethodDecorator => CommandStep(roles, { kind: 'record', recordKind, param });

/** A read of one duty record: its caseworkers, team leaders and the system, scoped and logged. */
export const RecordRead = (recordKind: string, param: string): MethodDecorator =>
  applyDecorators(
    Allow('caseworker', 'team-leader', 'system'),
    Scoped({ kind: 'record', recordKind, param }),
  );

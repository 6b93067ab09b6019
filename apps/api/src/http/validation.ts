import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { UNCHECKED_DATES } from './fields';

type FieldProblem = { field: string; reason: string };

/** Every bad field and why, nested fields dotted (`members.0.role`); values never included. */
export function validationProblems(
  errors: readonly ValidationError[],
  prefix = '',
): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...validationProblems(error.children ?? [], field)];
  });
}

function validationFailed(errors: readonly FieldProblem[]): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    message: 'Some fields are missing or invalid',
    errors,
  });
}

const MAX_REPORTED = 20;

/**
 * Members of a body that are `null`. No field of this API takes null: an optional field is left
 * out. class-validator's `@IsOptional()` lets null through to the handler, where it reaches a
 * decider or SQL as if it were a value. Iterative; the body's depth is bounded before this runs.
 */
export function nullFields(body: unknown): FieldProblem[] {
  const found: FieldProblem[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
      const field = path ? `${path}.${name}` : name;
      if (member === null) {
        found.push({ field, reason: `${field} must not be null; leave it out instead` });
      } else {
        stack.push({ value: member, path: field });
      }
    }
  }
  return found.reverse();
}

class EdgeValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const nulls = nullFields(value);
      if (nulls.length > 0) throw validationFailed(nulls);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Whitelisted, transformed DTOs; a 400 names every bad field and why, never echoes values.
 * A `null` anywhere in a body is refused first, naming the field.
 */
export function createValidationPipe({ inputGuards = true } = {}): ValidationPipe {
  return new EdgeValidationPipe({
    ...(inputGuards ? {} : { transformOptions: UNCHECKED_DATES }),
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(validationProblems(errors)),
  });
}

/**
 * For a route that takes no body (DELETE): a body's fields would otherwise be dropped without a
 * word, e.g. an `at` that then silently became now.
 */
export function refuseBody(body: unknown): void {
  const fields = typeof body === 'object' && body !== null ? Object.keys(body) : [];
  if (fields.length === 0) return;
  throw validationFailed(
    fields.slice(0, MAX_REPORTED).map((field) => ({
      field,
      reason: `this request takes no body; give ${field} as a query parameter if the route has one`,
    })),
  );
}

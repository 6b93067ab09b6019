import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** Every bad field and why, nested fields dotted (`members.0.role`); values never included. */
export function validationProblems(
  errors: readonly ValidationError[],
  prefix = '',
): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...validationProblems(error.children ?? [], field)];
  });
}

/** Whitelisted, transformed DTOs; a 400 names every bad field and why, never echoes values. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'Some fields are missing or invalid',
        errors: validationProblems(errors),
      }),
  });
}

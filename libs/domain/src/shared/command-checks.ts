import { InvalidCommandError } from './domain-error';

/** The codes a decider refuses a malformed command with; each `*_ERRORS` constant has them. */
export interface CommandCheckCodes {
  readonly missingId: string;
  readonly invalidTime: string;
  /** Needed by `occurredAt` only (a decider that never takes a past time has none). */
  readonly inTheFuture?: string;
}

export interface CommandCheckOptions {
  /**
   * The `field` reported when `now` itself is not a valid time. By default the field of the time
   * being checked; the journal reports `'now'`.
   */
  readonly nowField?: string;
}

export interface CommandChecks {
  /** `time`, if it is a valid Date; refused with `invalidTime` and `{ field }` if not. */
  readonly validTime: (time: Date, field: string) => Date;
  /**
   * When it happened: `at` (default `now`), which may not be after `now`. An invalid time is
   * refused with `invalidTime`, a time after `now` with `inTheFuture`; both with `{ field }`.
   */
  readonly occurredAt: (at: Date | undefined, now: Date, field: string) => Date;
  /** A non-blank id; refused with `missingId` and `{ field }`. */
  readonly requireId: (value: unknown, field: string) => string;
  /** `null`, or a non-blank id. */
  readonly optionalId: (value: string | null, field: string) => string | null;
}

/**
 * The small checks every decider makes of its commands, refusing with the decider's own codes
 * (always an InvalidCommandError): `const { occurredAt, requireId } = commandChecks(X_ERRORS)`.
 */
export function commandChecks(
  codes: CommandCheckCodes,
  options: CommandCheckOptions = {},
): CommandChecks {
  function validTime(time: Date, field: string): Date {
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new InvalidCommandError(codes.invalidTime, 'Expected a valid time', { field });
    }
    return time;
  }

  function occurredAt(at: Date | undefined, now: Date, field: string): Date {
    validTime(now, options.nowField ?? field);
    const when = validTime(at ?? now, field);
    if (when.getTime() > now.getTime()) {
      if (codes.inTheFuture === undefined) throw new Error('occurredAt needs an inTheFuture code');
      throw new InvalidCommandError(codes.inTheFuture, 'This cannot have happened in the future', {
        field,
      });
    }
    return when;
  }

  function requireId(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      throw new InvalidCommandError(codes.missingId, 'An id is required', { field });
    }
    return value;
  }

  function optionalId(value: string | null, field: string): string | null {
    return value === null ? null : requireId(value, field);
  }

  return { validTime, occurredAt, requireId, optionalId };
}

/** `value`, if it is one of `allowed`; refused with `code`, "Unknown <what>" and the allowed. */
export function requireOneOf<T extends string>(
  allowed: readonly T[],
  value: T,
  code: string,
  what: string,
): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidCommandError(code, `Unknown ${what}`, { allowed: allowed.join(',') });
  }
  return value;
}

/** How a decider refuses a time before the instant it may not precede. */
export interface NotBeforeRefusal {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * `when` as an ISO string, if it is not before the instant `earliest` (an ISO string, e.g. the
 * receipt or a previous step); refused as an InvalidCommandError with the decider's refusal.
 */
export function requireNotBefore(when: Date, earliest: string, refusal: NotBeforeRefusal): string {
  if (when.getTime() < new Date(earliest).getTime()) {
    throw new InvalidCommandError(refusal.code, refusal.message, refusal.details);
  }
  return when.toISOString();
}

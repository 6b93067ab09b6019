import { HttpStatus } from '@nestjs/common';
import type { Problem } from './problem.filter';

export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';
/** Seconds a client should wait before retrying: a restart of PostgreSQL takes a few. */
export const RETRY_AFTER_SECONDS = '5';

export function serviceUnavailable(): Problem {
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    code: SERVICE_UNAVAILABLE,
    message: 'The database is unavailable; retry shortly',
  };
}

/** Socket errors of a database that is down, restarting or unreachable. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01-57P03
 * (admin or crash shutdown, cannot connect now: starting up or shutting down), 53300 (too many
 * connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);
}

/** node-postgres and pg-pool say so in messages only, without a code. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|the database system is (starting up|shutting down|in recovery mode)|Client was closed|Connection is closed|UNAVAILABLE|failed to connect/i;

/**
 * Whether an error (or what it wraps: TypeORM's driverError, a cause, an AggregateError's
 * errors) means the database cannot be reached now, rather than a fault in the request or in
 * our code. Such a failure is a 503 with Retry-After, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const queue: unknown[] = [error];
  // Bounded: a cyclic cause chain must not loop.
  for (let seen = 0; queue.length > 0 && seen < 20; seen++) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null) continue;
    const { code, message, driverError, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) {
      return true;
    }
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    queue.push(driverError, cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return false;
}

/**
 * Errors that say nothing about the event being applied: the database went away, restarts, or
 * chose this transaction as a victim. They are retried with backoff and never park an event.
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up or shutting down)
]);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
]);
const TRANSIENT_MESSAGES =
  /Connection terminated|connection error and is not queryable|terminating connection|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|Client was closed/i;

/** The error's code: a SQLSTATE from PostgreSQL, or Node's (ECONNRESET…). */
export function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isTransientDatabaseError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const code = codeOf(error);
  if (code && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if (code && TRANSIENT_NODE_CODES.has(code)) return true;
  if (error instanceof Error && TRANSIENT_MESSAGES.test(error.message)) return true;
  const nested = error as { driverError?: unknown; cause?: unknown; errors?: unknown };
  if (
    Array.isArray(nested.errors) &&
    nested.errors.some((e) => isTransientDatabaseError(e, depth + 1))
  )
    return true; // AggregateError from a connection attempt to several addresses
  return (
    isTransientDatabaseError(nested.driverError, depth + 1) ||
    isTransientDatabaseError(nested.cause, depth + 1)
  );
}

/** Exponential backoff with a cap: 100 ms, 200 ms, … up to 5 s. */
export function backoffMs(attempt: number, baseMs = 100, capMs = 5000): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(attempt, 10));
}

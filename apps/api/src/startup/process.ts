import { ConfigError } from '../config/environment';
import { Logger } from '@nestjs/common';

/** SIGTERM or SIGINT: `stop` once (in-flight work finishes), then exit 0, or 1 if it failed. */
export function stopOnSignals(log: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: ${what}, then stopping`);
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      log.error(`shutdown failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * Start-up failed: one line saying why, exit 1. Our own errors (configuration errors name the
 * variable and the rule) keep their message; a driver's may quote row values, so only its name.
 */
export function exitOnStartupFailure(error: unknown): never {
  const why =
    error instanceof ConfigError || (error instanceof Error && error.constructor === Error)
      ? `${error.name}: ${error.message}`
      : error instanceof Error
        ? error.name
        : 'unknown error';
  new Logger('Main').error(`start-up failed: ${why}`);
  process.exit(1);
}

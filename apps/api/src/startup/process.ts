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

/** Start-up failed: one line saying why (configuration errors name the variable), exit 1. */
export function exitOnStartupFailure(error: unknown): never {
  new Logger('Main').error(
    `start-up failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  );
  process.exit(1);
}

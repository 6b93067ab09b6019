import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { listeningAddress } from './observability/listening-address';
import { createRootLogger, nestLoggerOver } from './observability/logging';
import { startEmbeddedPostgres, type RunningDatabase } from './infrastructure/embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig();
  const rootLogger = createRootLogger(config);
  Logger.overrideLogger(nestLoggerOver(rootLogger));
  const log = new Logger('Main');

  let embedded: RunningDatabase | null = null;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres(
      config.embeddedPostgres.dataDir,
      config.embeddedPostgres.port,
      (message) => log.log(message),
    );
  }
  const databaseUrl = config.databaseUrl ?? embedded?.url ?? null;
  const app = await createApp({ config: { ...config, databaseUrl }, rootLogger });
  await app.listen(config.port, config.host);
  log.log(`Tovholder API on ${listeningAddress(app)} (docs at /docs, health at /health)`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: finishing in-flight requests, then stopping`);
    try {
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (error) {
      log.error(`shutdown failed: ${error instanceof Error ? error.name : 'unknown error'}`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  new Logger('Main').error(
    `start-up failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  );
  process.exit(1);
});

import './observability/start-tracing';
import { Logger } from '@nestjs/common';
import { loadConfig } from './config/app-config';
import { createApp } from './create-app';
import { listeningAddress } from './observability/listening-address';
import { createRootLogger, nestLoggerOver } from './observability/logging';
import { migrateUnderLock } from './startup/migrations';
import { exitOnStartupFailure, stopOnSignals } from './startup/process';
import { startEmbeddedPostgres, type RunningDatabase } from './infrastructure/embedded-postgres';

async function main(): Promise<void> {
  const config = loadConfig();
  const rootLogger = createRootLogger(config);
  Logger.overrideLogger(nestLoggerOver(rootLogger));
  const log = new Logger('Main');

  let embedded: RunningDatabase | null = null;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres(config.embeddedPostgres, (message) => log.log(message));
  }
  const databaseUrl = config.databaseUrl ?? embedded?.url ?? null;
  if (databaseUrl) await migrateUnderLock(databaseUrl, (message) => log.log(message));
  const app = await createApp({ config: { ...config, databaseUrl }, rootLogger });
  await app.listen(config.port, config.host);
  log.log(`Tovholder API on ${listeningAddress(app)} (docs at /docs, health at /health)`);

  stopOnSignals(log, 'finishing in-flight requests', async () => {
    await app.close();
    await embedded?.stop();
  });
}

main().catch(exitOnStartupFailure);

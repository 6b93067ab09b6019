/**
 * The worker: runs the projectors and the scheduled processes, serves no API. Only `/health`
 * (its projectors' states) and `/metrics` answer, on HOST:PORT. Run any number: each projector
 * runs in the one instance holding its advisory lock, the others stand by and take over when it
 * dies. API instances beside them run with PROJECTIONS_ENABLED=false.
 */
import '../../api/src/observability/start-tracing';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from '../../api/src/app.module';
import { loadConfig } from '../../api/src/config/app-config';
import { addressOf } from '../../api/src/observability/listening-address';
import { createRootLogger, nestLoggerOver } from '../../api/src/observability/logging';
import { Metrics } from '../../api/src/observability/metrics';
import { metricsServer } from '../../api/src/observability/metrics.module';
import { withObservability } from '../../api/src/observability/observability.module';
import { ProjectionsService } from '../../api/src/projections/projections.service';
import { migrateUnderLock } from '../../api/src/startup/migrations';
import { exitOnStartupFailure, stopOnSignals } from '../../api/src/startup/process';

async function main(): Promise<void> {
  const loaded = loadConfig();
  // A worker is there to project: PROJECTIONS_ENABLED is for API instances. Metrics always.
  const config = {
    ...loaded,
    projections: { ...loaded.projections, enabled: true },
    metrics: { enabled: true, port: null },
  };
  const rootLogger = createRootLogger(config);
  Logger.overrideLogger(nestLoggerOver(rootLogger));
  const log = new Logger('Worker');
  if (!config.databaseUrl) {
    // The embedded database belongs to the one process that starts it (npm start).
    throw new Error('the worker needs DATABASE_URL (the database the API instances use)');
  }
  await migrateUnderLock(config.databaseUrl, (message) => log.log(message));

  const context = await NestFactory.createApplicationContext(
    withObservability(AppModule.forRoot({ config }), { logger: rootLogger, metrics: true }),
    { bufferLogs: true },
  );
  context.useLogger(context.get(PinoNestLogger));
  await context.init();

  const projections = context.get(ProjectionsService);
  const server = metricsServer(context.get(Metrics), async (path) =>
    path === '/health' ? { status: 'ok', projectors: await projections.status() } : undefined,
  );
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(config.port, config.host, resolve),
  );
  log.log(`Tovholder worker on ${addressOf(server)} (health at /health, metrics at /metrics)`);

  stopOnSignals(log, 'finishing the current batches', async () => {
    await new Promise((resolve) => server.close(resolve));
    await context.close();
  });
}

main().catch(exitOnStartupFailure);

import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppModule, type AppOptions } from './app.module';
import {
  observabilityFor,
  useObservability,
  withObservability,
  type ObservabilityOptions,
} from './observability/observability.module';
import { serveOpenApi } from './http/openapi';
import { createValidationPipe } from './http/validation';

/** The app as main.ts serves it and as the e2e tests drive it: one set-up for both. */
export async function createApp(
  options: AppOptions & ObservabilityOptions & { logger?: LoggerService | false },
): Promise<INestApplication> {
  // No logger given: request lines and Nest's logs through pino (false and a given logger: none).
  const observability = observabilityFor(options, options.logger === undefined);
  const app = await NestFactory.create<NestExpressApplication>(
    withObservability(AppModule.forRoot(options), observability),
    { logger: options.logger ?? undefined, bufferLogs: observability.logger !== null, bodyParser: false },
  );
  useObservability(app, observability);
  app.useBodyParser('json', { limit: '100kb' });
  app.useGlobalPipes(createValidationPipe({ inputGuards: options.inputGuards }));
  app.disable('x-powered-by');
  app.use(helmet());
  // Closed unless origins are listed: the API's callers are servers and same-origin pages.
  if (options.config.corsOrigins.length > 0) {
    app.enableCors({ origin: [...options.config.corsOrigins] });
  }
  serveOpenApi(app);
  return app;
}

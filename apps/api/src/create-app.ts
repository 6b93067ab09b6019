import { ConsoleLogger, type INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppModule, type AppOptions } from './app.module';
import type { AppConfig } from './config/app-config';
import { serveOpenApi } from './http/openapi';
import { createValidationPipe } from './http/validation';

export function createLogger(config: AppConfig): LoggerService {
  return new ConsoleLogger({ json: config.logFormat === 'json', colors: false });
}

/** The app as main.ts serves it and as the e2e tests drive it: one set-up for both. */
export async function createApp(
  options: AppOptions & { logger?: LoggerService | false },
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: options.logger ?? createLogger(options.config),
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '100kb' });
  app.useGlobalPipes(createValidationPipe());
  app.disable('x-powered-by');
  app.use(helmet());
  // Closed unless origins are listed: the API's callers are servers and same-origin pages.
  if (options.config.corsOrigins.length > 0) {
    app.enableCors({ origin: [...options.config.corsOrigins] });
  }
  serveOpenApi(app);
  return app;
}

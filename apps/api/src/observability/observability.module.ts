import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream, Logger as Pino } from 'pino';
import type { AppConfig } from '../config/app-config';
import { createRootLogger, requestLoggingModule, requestLogMiddleware } from './logging';
import { MetricsModule } from './metrics.module';
import { TracingModule } from './tracing.module';
import { tracingWanted } from './tracing';

export interface ObservabilityOptions {
  /** Where the log lines go (tests capture them); default stdout. */
  readonly logDestination?: DestinationStream;
  /** A root logger made already (main.ts logs before the app exists). */
  readonly rootLogger?: Pino;
}

export interface Observability {
  /** Null: no request lines, Nest logs as told by createApp's `logger`. */
  readonly logger: Pino | null;
  readonly metrics: boolean;
}

export function observabilityFor(
  options: ObservabilityOptions & { readonly config: AppConfig },
  logging: boolean,
): Observability {
  return {
    logger: logging
      ? (options.rootLogger ?? createRootLogger(options.config, options.logDestination))
      : null,
    metrics: options.config.metrics.enabled,
  };
}

@Module({})
class ObservedAppModule {}

/** The app's module with request logging and metrics beside it, as configured. */
export function withObservability(app: DynamicModule, observability: Observability): DynamicModule {
  return {
    module: ObservedAppModule,
    imports: [
      app,
      ...(observability.logger ? [requestLoggingModule(observability.logger)] : []),
      ...(observability.metrics ? [MetricsModule] : []),
      ...(tracingWanted(process.env) ? [TracingModule] : []),
    ],
  };
}

export function useObservability(app: INestApplication, observability: Observability): void {
  if (observability.logger) {
    // Before Nest's own middleware (mounted at init), so nestjs-pino finds the request's logger.
    app.use(requestLogMiddleware(observability.logger));
    app.useLogger(app.get(PinoNestLogger));
  }
}

import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * OpenTelemetry tracing, off unless the standard variables ask for it: OTEL_TRACES_EXPORTER
 * (otlp, console, …) or an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT); OTEL_SDK_DISABLED=true keeps it off. Everything else
 * (service name, sampler, headers) is the SDK's own OTEL_* configuration. Spans: incoming HTTP
 * (named by route template), Nest handlers, pg queries (statement text, never parameter values)
 * and one per projection batch.
 */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter) return exporter !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function startTracing(env: NodeJS.ProcessEnv = process.env): NodeSDK | null {
  if (!tracingWanted(env)) return null;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'tovholder',
    instrumentations: [
      new HttpInstrumentation(),
      // Nest handlers: TracingInterceptor (the Nest and Express instrumentations cannot patch
      // NestJS 12's ES modules).
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}

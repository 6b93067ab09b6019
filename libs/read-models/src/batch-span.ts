import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('tovholder-projections');

/**
 * One trace span per projection batch (a no-op unless tracing is on). A failure records the
 * error's name only: messages of driver errors can quote row values.
 */
export function inBatchSpan<T>(
  projector: string,
  events: number,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `project ${projector}`,
    { attributes: { 'tovholder.projector': projector, 'tovholder.batch.events': events } },
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.name : 'unknown error',
        });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

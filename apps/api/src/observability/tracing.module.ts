import {
  Injectable,
  Module,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { context as otelContext, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { routeTemplate } from './logging';

const tracer = trace.getTracer('tovholder-nest');

function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.name : 'unknown error',
    });
  }
  span.end();
}

/**
 * A span per Nest handler (`CasesController.open`), and the route template on the HTTP span.
 * OpenTelemetry's Nest and Express instrumentations patch `require`, which NestJS 12 (ES modules
 * only) never goes through, so this interceptor stands in for them.
 */
@Injectable()
export class TracingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const route = routeTemplate(request);
    const server = trace.getActiveSpan();
    server?.updateName(`${request.method} ${route}`);
    server?.setAttribute('http.route', route);
    const name = `${context.getClass().name}.${context.getHandler().name}`;
    const span = tracer.startSpan(name, {
      attributes: { 'nestjs.controller': context.getClass().name, 'http.route': route },
    });
    const active = trace.setSpan(otelContext.active(), span);
    return new Observable((subscriber) =>
      otelContext.with(active, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            endSpan(span, error);
            subscriber.error(error);
          },
          complete: () => {
            endSpan(span);
            subscriber.complete();
          },
        }),
      ),
    );
  }
}

@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: TracingInterceptor }] })
export class TracingModule {}

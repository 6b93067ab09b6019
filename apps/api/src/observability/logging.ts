import type { DynamicModule, LoggerService } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../auth/principal';

export const CORRELATION_HEADER = 'X-Correlation-Id';
/** A caller's correlation id is taken only if it is short and plain (it is logged as given). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

interface ObservedRequest extends IncomingMessage {
  readonly route?: { readonly path?: unknown };
  readonly baseUrl?: string;
  readonly principal?: Principal;
}

/** The route template (`/cases/:caseId`), never the URL: paths and queries can carry data. */
export function routeTemplate(request: IncomingMessage): string {
  const { route, baseUrl } = request as ObservedRequest;
  return typeof route?.path === 'string' ? `${baseUrl ?? ''}${route.path}` : '(no route)';
}

/**
 * Name and stack frames only: a driver's message (and so the stack's first line) can quote a
 * row's values. Plain Errors are ours (or Node's) and keep their message.
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return {
    type: error.name,
    ...(error.constructor === Error ? { message: error.message } : {}),
    stack: frames.join('\n'),
  };
}

/** The process's one pino logger: JSON lines, or readable text for development. */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Pino {
  const options = {
    level: config.logLevel,
    base: { pid: process.pid },
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: serializeError },
    // Belt and braces: nothing below logs headers or bodies, and these never may.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-purpose"]',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'req.body',
        'res.body',
        'body',
      ],
      censor: '[redacted]',
    },
  };
  const stream =
    destination ??
    (config.logFormat === 'text'
      ? pretty({ sync: true, colorize: process.stdout.isTTY, ignore: 'pid,hostname' })
      : pino.destination({ sync: false }));
  return pino(options, stream);
}

/** The caller's correlation id if it is short and plain (it is logged as given), else a new one. */
function correlationIdOf(request: IncomingMessage): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
}

/**
 * One line per request, written when the response has gone (only then are route, status and
 * caller known): method, route template, status, duration, caller and correlation id. Written
 * here rather than by pino-http, which makes three or four pino child loggers a request, each
 * the prototype of the next: on Node 24 that cost ~200 µs of CPU a request against ~45 µs for
 * this (`BENCH_SECTIONS=ops`, the app's CPU per cheap request, on minus off). The request's one
 * child logger, which carries the correlation id, goes to nestjs-pino (`useExisting`), which
 * puts it in the request's async context, so Nest's own logs during the request (a server
 * error's stack) carry the id too.
 */
export function requestLogMiddleware(logger: Pino) {
  return (request: ObservedRequest, response: ServerResponse, next: () => void): void => {
    const correlationId = correlationIdOf(request);
    response.setHeader(CORRELATION_HEADER, correlationId);
    request.id = correlationId;
    const log = logger.child({ correlationId });
    request.log = log;
    const started = performance.now();
    response.once('close', () => {
      const { statusCode, writableFinished } = response;
      const level =
        !writableFinished || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
      const route = routeTemplate(request);
      const { principal } = request;
      log[level](
        {
          req: { method: request.method },
          res: { statusCode },
          route,
          ...(principal ? { caller: { subject: principal.subject, roles: principal.roles } } : {}),
          durationMs: Math.round(performance.now() - started),
          ...(writableFinished ? {} : { aborted: true }),
        },
        `${request.method} ${route} ${statusCode}`,
      );
    });
    next();
  };
}

/**
 * Nest's logs through the root logger, and within a request through that request's logger
 * (nestjs-pino's async context); the request lines come from `requestLogMiddleware`.
 */
export function requestLoggingModule(logger: Pino): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: { logger },
    useExisting: true,
    renameContext: 'context',
  });
}

/** Nest's LoggerService over the root logger, for what is logged before the app exists. */
export function nestLoggerOver(logger: Pino): LoggerService {
  const write =
    (level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal') =>
    (message: unknown, ...params: unknown[]) =>
      logger[level]({ context: params[params.length - 1] }, String(message));
  return {
    log: write('info'),
    warn: write('warn'),
    debug: write('debug'),
    verbose: write('trace'),
    fatal: write('fatal'),
    error: (message: unknown, ...params: unknown[]) => {
      const context = params.length > 0 ? params[params.length - 1] : undefined;
      const stack = params.length > 1 ? params[0] : undefined;
      logger.error({ context, ...(typeof stack === 'string' ? { stack } : {}) }, String(message));
    },
  };
}

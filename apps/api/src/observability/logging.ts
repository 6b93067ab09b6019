import type { DynamicModule, LoggerService } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { Options } from 'pino-http';
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

/** Method, route template and caller, beside pino-http's own fields (res, durationMs, err). */
function withRequestFacts(request: IncomingMessage, fields: object): object {
  const { principal } = request as ObservedRequest;
  return {
    ...fields,
    req: { method: request.method },
    route: routeTemplate(request),
    ...(principal ? { caller: { subject: principal.subject, roles: principal.roles } } : {}),
  };
}

function requestLogOptions(logger: Pino): Options {
  return {
    logger,
    quietReqLogger: true,
    quietResLogger: true,
    wrapSerializers: false,
    customAttributeKeys: { reqId: 'correlationId', responseTime: 'durationMs' },
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const given = request.headers['x-correlation-id'];
      const id = typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
      response.setHeader(CORRELATION_HEADER, id);
      return id;
    },
    serializers: {
      req: (request: IncomingMessage) => ({ method: request.method }),
      res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
      err: serializeError,
    },
    // The line's fields are added to the one object logged when the response is finished (only
    // then are route and caller known): customProps would make up to three child loggers per
    // request, which cost more than the rest of the line.
    customSuccessObject: (request: IncomingMessage, _response: ServerResponse, fields: object) =>
      withRequestFacts(request, fields),
    customErrorObject: (
      request: IncomingMessage,
      _response: ServerResponse,
      _error: Error,
      fields: object,
    ) => withRequestFacts(request, fields),
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (request, response) =>
      `${request.method} ${routeTemplate(request)} ${response.statusCode}`,
    customErrorMessage: (request, response) =>
      `${request.method} ${routeTemplate(request)} ${response.statusCode}`,
  };
}

/** One log line per request through nestjs-pino; Nest's own logs go to the same logger. */
export function requestLoggingModule(logger: Pino): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: requestLogOptions(logger), renameContext: 'context' });
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

import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import { ConflictError, DomainError, InvalidCommandError, NotFoundError } from '@tovholder/domain';
import { WrongExpectedRevisionError, PartialDuplicateAppendError } from '@tovholder/event-store';
import { PositionNotInLogError, ReadModelNotCaughtUpError } from '@tovholder/read-models';
import type { Request, Response } from 'express';
import {
  isDatabaseUnavailable,
  RETRY_AFTER_SECONDS,
  SERVICE_UNAVAILABLE,
  serviceUnavailable,
} from './database-unavailable';

/** The one error shape of the API. `code` is stable; `message` is for people. */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly errors?: readonly { field: string; reason: string }[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Fixed answers for the errors the framework raises itself (unknown route, a percent-escape that
 * does not decode, a body of another type). Their own messages quote the path or the body, which
 * may hold a CPR number: they are never sent.
 */
const FRAMEWORK_PROBLEMS: Readonly<Record<number, { code: string; message: string }>> = {
  400: {
    code: 'MALFORMED_REQUEST',
    message: 'The request could not be read (path, query or headers)',
  },
  404: { code: 'NOT_FOUND', message: 'There is no such resource or route' },
  405: { code: 'METHOD_NOT_ALLOWED', message: 'This method is not allowed here' },
  406: { code: 'NOT_ACCEPTABLE', message: 'The API answers in JSON only' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json' },
  429: { code: 'RATE_LIMITED', message: 'Too many requests; wait a moment and retry' },
};

function frameworkProblem(status: number): Problem {
  const known = FRAMEWORK_PROBLEMS[status];
  if (known) return { status, ...known };
  if (status >= 500) return internalError();
  return { status, code: 'REQUEST_REFUSED', message: 'The request was refused' };
}

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const body = exception.getResponse();
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { code?: unknown }).code === 'string'
  ) {
    return { status, ...body } as Problem;
  }
  return frameworkProblem(status);
}

function internalError(): Problem {
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong on our side; it has been logged',
  };
}

/** Errors from Express and its parsers (http-errors): a 4xx status and an `expose` flag. */
function clientErrorStatusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null || error instanceof HttpException) return null;
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ??
    (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

export function toProblem(exception: unknown): Problem {
  // Express's body parser fails before any route; its message can quote the body, so it is not sent.
  const bodyError = exception instanceof HttpException ? exception.cause : exception;
  if (isBodyParserError(bodyError)) {
    return {
      status: bodyError.status,
      code: bodyError.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_BODY',
      message:
        bodyError.status === 413
          ? 'The request body is too large'
          : 'The request body is not valid JSON',
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (exception instanceof DomainError) {
    const status =
      exception instanceof NotFoundError
        ? HttpStatus.NOT_FOUND
        : exception instanceof ConflictError
          ? HttpStatus.CONFLICT
          : exception instanceof InvalidCommandError
            ? HttpStatus.UNPROCESSABLE_ENTITY
            : HttpStatus.BAD_REQUEST;
    // A refusal about one field names it the way a validation error does.
    const field = exception.details.field;
    return {
      status,
      code: exception.code,
      message: exception.message,
      ...(typeof field === 'string' ? { errors: [{ field, reason: exception.message }] } : {}),
      details: exception.details,
    };
  }
  if (exception instanceof WrongExpectedRevisionError) {
    return {
      status: HttpStatus.CONFLICT,
      code: 'CONCURRENCY_CONFLICT',
      message: 'Someone else changed this record at the same time; read it again and retry',
    };
  }
  if (exception instanceof PartialDuplicateAppendError) {
    return {
      status: HttpStatus.CONFLICT,
      code: 'DUPLICATE_REQUEST',
      message: 'Part of this request was recorded already',
    };
  }
  if (exception instanceof PositionNotInLogError) {
    return {
      status: HttpStatus.BAD_REQUEST,
      code: exception.code,
      message: 'waitForPosition is not a position any command returned: the log has not reached it',
      errors: [{ field: 'waitForPosition', reason: 'past the end of the event log' }],
    };
  }
  if (exception instanceof ReadModelNotCaughtUpError) {
    return {
      status: HttpStatus.SERVICE_UNAVAILABLE,
      code: exception.code,
      message: `The ${exception.projector} view has not caught up with the requested position yet; retry shortly`,
      details: { projector: exception.projector, waitedMs: exception.waitedMs },
    };
  }
  const clientStatus = clientErrorStatusOf(exception);
  if (clientStatus !== null) return frameworkProblem(clientStatus);
  if (isDatabaseUnavailable(exception)) return serviceUnavailable();
  return internalError();
}

function routeOf(request: Request): string {
  const route: unknown = request.route;
  const path =
    typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  return typeof path === 'string' ? path : 'unknown route';
}

function isBodyParserError(error: unknown): error is { status: number; type: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { type?: unknown }).type === 'string' &&
    (error as { type: string }).type.startsWith('entity.')
  );
}

/** Turns every exception into a Problem; never sends a stack trace or the request's data. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = toProblem(exception);
    if (problem.status >= 500 && problem.code === 'INTERNAL_ERROR') {
      // Name and stack only: messages of driver errors can quote the values of a row.
      const name = exception instanceof Error ? exception.name : typeof exception;
      const stack =
        exception instanceof Error ? exception.stack?.split('\n').slice(1).join('\n') : '';
      this.logger.error(`${request.method} ${routeOf(request)} failed: ${name}`, stack);
    }
    if (problem.code === 'READ_MODEL.NOT_CAUGHT_UP') response.setHeader('Retry-After', '1');
    if (problem.code === SERVICE_UNAVAILABLE)
      response.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    if (problem.code === 'AUTH.UNAUTHENTICATED') response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(problem.status).type('application/problem+json').json(problem);
  }
}

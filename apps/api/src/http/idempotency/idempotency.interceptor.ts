import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AuthenticatedRequest } from '../../auth/auth.guard';
import { CLOCK, type Clock } from '../../shared/clock';
import { toProblem, type Problem } from '../problem.filter';
import { IdempotencyRecords, type StoredRecord } from './idempotency-records';
import { NO_IDEMPOTENCY_RECORD } from './no-idempotency-record';
import { runWithCommandKey } from './command-key';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import {
  fingerprintOf,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_REPLAYED_HEADER,
  isValidIdempotencyKey,
  KEY_RULE,
  MUTATING_METHODS,
} from './request-fingerprint';

/**
 * Refusals that say "try again", not "no": replaying them would turn a retry into the same
 * refusal forever, so they are forgotten like a 5xx. CONCURRENCY_CONFLICT is what is left when
 * the command lost the race three times (shared/command-execution.ts).
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['CONCURRENCY_CONFLICT']);
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  HttpStatus.REQUEST_TIMEOUT,
  HttpStatus.TOO_MANY_REQUESTS,
]);

function isFinalRefusal(problem: Problem): boolean {
  return (
    problem.status >= 400 &&
    problem.status < 500 &&
    !RETRYABLE_STATUSES.has(problem.status) &&
    !RETRYABLE_CODES.has(problem.code)
  );
}

/**
 * `Idempotency-Key` on every POST/PUT/PATCH/DELETE: the first request with a key runs, and a
 * retry with the same key and the same request gets the first answer (2xx or 4xx), marked
 * `Idempotency-Replayed: true`, without running the handler again.
 *
 * The command's events and this record are not written in one transaction (events may live in
 * KurrentDB, the record in PostgreSQL). A pending record has a lease of a few seconds
 * (IDEMPOTENCY_LEASE_SECONDS) that its process renews while the handler runs; if the process
 * dies, the lease runs out and a retry with the same key runs the command again. Its events get
 * ids derived from the key (command-key.ts), so an append the dead process had made already is
 * stored once, not twice. Until then retries get 409 IDEMPOTENCY_KEY_IN_PROGRESS.
 *
 * Nothing here logs keys or bodies. Routes marked `@NoIdempotencyRecord()` (answers with
 * personal data) are passed through without a record.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  private readonly records: IdempotencyRecords;

  private readonly leaseMs: number;

  constructor(
    dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.records = new IdempotencyRecords(dataSource);
    this.leaseMs = config.idempotencyLeaseSeconds * 1000;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const key = request.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined || !MUTATING_METHODS.has(request.method.toUpperCase())) {
      return next.handle();
    }
    if (!isValidIdempotencyKey(key)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'Some fields are missing or invalid',
        errors: [
          { field: IDEMPOTENCY_KEY_HEADER, reason: `${IDEMPOTENCY_KEY_HEADER} ${KEY_RULE}` },
        ],
      });
    }
    // Keys are the caller's own: another caller's identical key is another request, and never
    // replays someone else's answer.
    const subject = (request as AuthenticatedRequest).principal?.subject ?? '';
    const callerKey = `${subject}\u001f${key}`;
    if (
      this.reflector.getAllAndOverride<boolean>(NO_IDEMPOTENCY_RECORD, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      // No record, but the key in scope: what the route creates is named from it (newRecordId).
      return from(
        runWithCommandKey(callerKey, () =>
          lastValueFrom(next.handle(), { defaultValue: undefined }),
        ),
      );
    }
    const response = http.getResponse<Response>();
    const fingerprint = fingerprintOf(request);
    const claim = await this.records.claim(callerKey, fingerprint, this.clock.now(), this.leaseMs);
    switch (claim.kind) {
      case 'claimed':
        // A promise, not operators on the handler's stream: the record is settled even if the
        // response is abandoned, and before the answer is sent, so a retry that follows the
        // answer sees it completed.
        return from(this.runOnce(callerKey, claim, response, next));
      case 'contended':
        return this.inProgress(response);
      case 'existing':
        if (claim.record.requestHash !== fingerprint.hash) {
          throw new UnprocessableEntityException({
            code: 'IDEMPOTENCY_KEY_REUSED',
            message: 'This Idempotency-Key was used for a different request',
          });
        }
        if (claim.record.state === 'pending') return this.inProgress(response);
        return this.replay(claim.record, response);
    }
  }

  private inProgress(response: Response): never {
    response.setHeader('Retry-After', '1');
    throw new ConflictException({
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      message: 'A request with this Idempotency-Key is still being processed; retry shortly',
    });
  }

  private replay(record: StoredRecord, response: Response): Observable<unknown> {
    response.setHeader(IDEMPOTENCY_REPLAYED_HEADER, 'true');
    const status = record.statusCode ?? HttpStatus.OK;
    if (status >= 400) {
      // Nest 12 sends a returned value with the route's own status (201 for POST, or @HttpCode),
      // whatever an interceptor set on the response, so a refusal is replayed by throwing: the
      // ProblemFilter spreads a body that has a `code` into the same Problem as the first time.
      throw new HttpException(record.responseBody as Record<string, unknown>, status);
    }
    // A success of this route: Nest gives it the route's status, which is the stored one.
    return of(record.responseBody ?? undefined);
  }

  private async runOnce(
    key: string,
    { createdAt, generation }: { createdAt: Date; generation: string },
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    let body: unknown;
    // While the handler runs, the lease is renewed: only a dead process lets it run out.
    const renewal = setInterval(
      () => {
        const leaseUntil = new Date(this.clock.now().getTime() + this.leaseMs);
        this.records.renew(key, createdAt, leaseUntil).catch((error: unknown) => {
          this.logStorageFailure('renew', error);
        });
      },
      Math.max(100, this.leaseMs / 3),
    );
    renewal.unref();
    try {
      body = await runWithCommandKey(`${key}\u001f${generation}`, () =>
        lastValueFrom(next.handle(), { defaultValue: undefined }),
      );
    } catch (error) {
      clearInterval(renewal);
      await this.settleFailure(key, createdAt, error);
      throw error;
    }
    clearInterval(renewal);
    // Nest 12 sets the route's status (201 for POST, or @HttpCode) before interceptors run.
    const status = response.statusCode;
    try {
      await this.records.complete(key, createdAt, status, body, this.clock.now());
    } catch (error) {
      // The command has happened: answer it. The record stays pending, so a retry gets 409
      // rather than running the command twice.
      this.logStorageFailure('complete', error);
    }
    return body;
  }

  private async settleFailure(key: string, createdAt: Date, error: unknown): Promise<void> {
    const problem = toProblem(error);
    try {
      if (isFinalRefusal(problem)) {
        // The same request would be refused again: a retry gets this refusal.
        await this.records.complete(key, createdAt, problem.status, problem, this.clock.now());
      } else {
        await this.records.release(key, createdAt);
      }
    } catch (storageError) {
      this.logStorageFailure(isFinalRefusal(problem) ? 'complete' : 'release', storageError);
    }
  }

  private logStorageFailure(step: 'complete' | 'release' | 'renew', error: unknown): void {
    // Name and stack only: driver messages can quote the values of a row.
    const name = error instanceof Error ? error.name : typeof error;
    const stack = error instanceof Error ? error.stack?.split('\n').slice(1).join('\n') : '';
    this.logger.error(`could not ${step} an idempotency record: ${name}`, stack);
  }
}

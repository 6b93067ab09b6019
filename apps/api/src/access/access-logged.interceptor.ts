import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, concatMap, type Observable } from 'rxjs';
import type { AccessRequest } from './access.guard';

/**
 * Holds a read's answer back until its access-log entry is committed (AccessGuard starts the
 * write before the handler runs). If the write fails, the caller gets a 500 and no data; if the
 * read is refused there (a family read without a needed purpose), the refusal is the answer.
 */
@Injectable()
export class AccessLoggedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AccessRequest>();
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        await request.accessLogged;
        return value;
      }),
      // A failed read is logged before its error is answered, and a refusal of the read (a
      // missing purpose) is the answer rather than the handler's error.
      catchError(async (error: unknown) => {
        await request.accessLogged;
        throw error;
      }),
    );
  }
}

import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './auth.guard';

/** Limits per authenticated subject (runs after AuthGuard), else per IP address. */
@Injectable()
export class ClientThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: AuthenticatedRequest): Promise<string> {
    const principal = request.principal;
    return Promise.resolve(principal ? `subject:${principal.subject}` : `ip:${request.ip ?? ''}`);
  }

  protected override throwThrottlingException(): Promise<void> {
    throw new HttpException(
      { code: 'RATE_LIMITED', message: 'Too many requests; wait a moment and retry' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

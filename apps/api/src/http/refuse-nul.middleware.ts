import { BadRequestException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** PostgreSQL cannot store U+0000 in text or jsonb: refuse it at the door as a 400, not a 500 later. */
export class RefuseNulMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    if (request.body !== undefined && JSON.stringify(request.body).includes('\\u0000')) {
      throw new BadRequestException({
        code: 'MALFORMED_BODY',
        message: 'The request body contains a NUL character (U+0000), which cannot be stored',
      });
    }
    next();
  }
}

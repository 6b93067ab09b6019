import { BadRequestException, Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { bodyShapeProblem, MAX_BODY_DEPTH, MAX_BODY_ITEMS, urlHasNul } from './request-shape';

/** AppOptions.inputGuards: false only in bench/faults.bench.ts, to measure what the bound costs. */
export const INPUT_GUARDS = Symbol('INPUT_GUARDS');

const REFUSALS = {
  'too-deep': {
    code: 'BODY.TOO_DEEP',
    message: `The request body nests deeper than ${MAX_BODY_DEPTH} levels`,
  },
  'too-wide': {
    code: 'BODY.TOO_WIDE',
    message: `The request body holds more than ${MAX_BODY_ITEMS} values`,
  },
  nul: {
    code: 'MALFORMED_BODY',
    message: 'The request body contains a NUL character (U+0000), which cannot be stored',
  },
} as const;

/**
 * The first thing after the body parser, before authentication: bounds the body's depth and
 * width (so no later walker can overflow the stack) and refuses NUL in the body, path and query
 * (PostgreSQL cannot store U+0000: a 400 here, not a 500 later).
 */
@Injectable()
export class RefuseNulMiddleware implements NestMiddleware {
  constructor(@Inject(INPUT_GUARDS) private readonly inputGuards: boolean) {}

  use(request: Request, _response: Response, next: NextFunction): void {
    if (urlHasNul(request.originalUrl)) {
      throw new BadRequestException({
        code: 'MALFORMED_REQUEST',
        message: 'The path or query contains a NUL character (U+0000)',
      });
    }
    const problem = this.inputGuards ? bodyShapeProblem(request.body) : null;
    if (problem !== null) throw new BadRequestException(REFUSALS[problem]);
    next();
  }
}

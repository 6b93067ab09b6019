import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { MAX_BODY_DEPTH } from '../request-shape';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'Idempotency-Replayed';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;
export const KEY_RULE = 'must be 1-200 letters, digits, _ . : or -';

/** The methods a key applies to; on any other the header is ignored. */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isValidIdempotencyKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/**
 * JSON with the keys of every object sorted, so `{a,b}` and `{b,a}` are the same request.
 * Request bodies come from JSON.parse, so only JSON values occur; `undefined` becomes null.
 * The body's depth is bounded before this runs (RefuseNulMiddleware); the bound is checked here
 * too, so a caller that skipped it gets a 400, never a stack overflow.
 */
export function canonicalJson(value: unknown, depth = 0): string {
  if (typeof value === 'object' && value !== null && depth >= MAX_BODY_DEPTH) {
    throw new BadRequestException({
      code: 'BODY.TOO_DEEP',
      message: `The request body nests deeper than ${MAX_BODY_DEPTH} levels`,
    });
  }
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => canonicalJson(item, depth + 1)).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((name) => record[name] !== undefined)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson(record[name], depth + 1)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface RequestFingerprint {
  readonly method: string;
  /** The path as requested (parameters filled in), without the query string. */
  readonly path: string;
  /** sha256 (hex) of method, path and canonical JSON body. */
  readonly hash: string;
}

export function fingerprintOf(request: Request): RequestFingerprint {
  const method = request.method.toUpperCase();
  const path = request.originalUrl.split('?', 1)[0] ?? '/';
  const body: unknown = request.body;
  const hash = createHash('sha256')
    .update(`${method}\n${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
  return { method, path, hash };
}

import type { Request } from 'express';
import { canonicalJson, fingerprintOf, isValidIdempotencyKey } from './request-fingerprint';

const requestOf = (method: string, originalUrl: string, body: unknown) =>
  ({ method, originalUrl, body }) as unknown as Request;

describe('request fingerprint', () => {
  it('canonical JSON sorts object members at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });

  it('the hash depends on method, path and body, not on member order or the query', () => {
    const a = fingerprintOf(requestOf('POST', '/cases?x=1', { a: 1, b: 2 }));
    expect(a).toMatchObject({ method: 'POST', path: '/cases' });
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(requestOf('POST', '/cases', { b: 2, a: 1 })).hash).toBe(a.hash);
    expect(fingerprintOf(requestOf('PUT', '/cases', { a: 1, b: 2 })).hash).not.toBe(a.hash);
    expect(fingerprintOf(requestOf('POST', '/cases/1', { a: 1, b: 2 })).hash).not.toBe(a.hash);
    expect(fingerprintOf(requestOf('POST', '/cases', { a: 1, b: 3 })).hash).not.toBe(a.hash);
    // "no body" and "an empty object" are different requests
    expect(fingerprintOf(requestOf('POST', '/cases', undefined)).hash).not.toBe(
      fingerprintOf(requestOf('POST', '/cases', {})).hash,
    );
  });

  it('keys are 1-200 of [A-Za-z0-9_.:-]', () => {
    expect(isValidIdempotencyKey('a')).toBe(true);
    expect(isValidIdempotencyKey(`Az09_.:-${'x'.repeat(192)}`)).toBe(true);
    for (const bad of ['', 'x'.repeat(201), 'a b', 'a/b', 'æ', 'a,b', 'a\n']) {
      expect(isValidIdempotencyKey(bad)).toBe(false);
    }
  });
});

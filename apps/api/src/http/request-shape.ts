/**
 * Bounds on the shape of a parsed request body, checked before anything else walks it. Express's
 * JSON parser accepts any depth that fits in the size limit (a 100 kB body can nest 50,000
 * levels), while the recursive walkers after it (the idempotency fingerprint, class-transformer,
 * class-validator) overflow the stack long before that. No body this API takes nests deeper
 * than a handful of levels or holds more than a few thousand items.
 */
export const MAX_BODY_DEPTH = 32;
export const MAX_BODY_ITEMS = 10_000;

export type BodyShapeProblem = 'too-deep' | 'too-wide' | 'nul';

/**
 * What is wrong with a parsed body, or null. Iterative (an explicit stack), so it is safe for
 * any value JSON.parse returns; it stops at the first problem.
 */
export function bodyShapeProblem(body: unknown): BodyShapeProblem | null {
  const stack: { value: unknown; depth: number }[] = [{ value: body, depth: 0 }];
  let items = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'nul';
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) return 'too-deep';
    const entries = Array.isArray(value)
      ? (value as unknown[])
      : Object.entries(value as Record<string, unknown>).flat();
    items += entries.length;
    if (items > MAX_BODY_ITEMS) return 'too-wide';
    for (const child of entries) stack.push({ value: child, depth: depth + 1 });
  }
  return null;
}

/** A NUL in the path or query, escaped or raw (PostgreSQL cannot store U+0000 in text). */
export function urlHasNul(url: string): boolean {
  return url.includes('\u0000') || /%00/i.test(url);
}

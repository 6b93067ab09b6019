/**
 * A reproducible, risk-weighted random sample of cases for management supervision
 * (ledelsestilsyn). Pure: the randomness comes from `seed`, so anyone with the seed and the
 * candidate set can draw the same sample again (an audit can check it).
 *
 * The algorithm is part of that promise: changing the hash, the generator or the weighting
 * changes every past sample's reproduction. The golden test pins it.
 */

export interface SupervisionCandidate {
  readonly caseId: string;
  /** Open flags on the case (deadlines, missing notes, …): more flags, more likely drawn. */
  readonly flagCount: number;
}

/** A case's weight: 1 + its flag count, so a case without flags can still be drawn. */
export function supervisionWeight(candidate: SupervisionCandidate): number {
  return 1 + candidate.flagCount;
}

/**
 * Draws `size` case ids without replacement, each draw weighted by `supervisionWeight`
 * (Efraimidis–Spirakis: every case gets the key u^(1/w) for a uniform u in (0, 1); the `size`
 * largest keys win). The candidates are sorted by case id first, so the input order does not
 * matter; the uniforms come from a generator seeded with `seed`. Returns the ids in draw order
 * (largest key first); all of them when `size` is at least the number of candidates.
 * Throws a RangeError on a negative or fractional size or flag count, or a repeated case id.
 */
export function drawSupervisionSample(
  candidates: readonly SupervisionCandidate[],
  size: number,
  seed: string,
): string[] {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError('The sample size is a whole, non-negative number');
  }
  const sorted = [...candidates].sort((a, b) => compare(a.caseId, b.caseId));
  sorted.forEach((candidate, index) => {
    if (!Number.isSafeInteger(candidate.flagCount) || candidate.flagCount < 0) {
      throw new RangeError('A flag count is a whole, non-negative number');
    }
    if (index > 0 && sorted[index - 1]?.caseId === candidate.caseId) {
      throw new RangeError('A case appears twice among the candidates');
    }
  });
  const uniform = seededUniform(seed);
  // ln(u) / w orders the cases as u^(1/w) does, without underflow for large weights.
  const keyed = sorted.map((candidate) => ({
    caseId: candidate.caseId,
    key: Math.log(uniform()) / supervisionWeight(candidate),
  }));
  keyed.sort((a, b) => b.key - a.key || compare(a.caseId, b.caseId));
  return keyed.slice(0, size).map((entry) => entry.caseId);
}

/**
 * Uniform numbers in the open interval (0, 1) from a string seed: the cyrb128 hash of the seed
 * seeds the sfc32 generator (both public domain, by bryc and Chris Doty-Humphrey).
 */
export function seededUniform(seed: string): () => number {
  const next = sfc32(...cyrb128(seed));
  // The first outputs of sfc32 are poorly mixed; skip them.
  for (let i = 0; i < 15; i += 1) next();
  return () => (next() + 0.5) / 4_294_967_296;
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** sfc32: returns unsigned 32-bit integers. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

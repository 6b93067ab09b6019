import fc from 'fast-check';
import {
  drawSupervisionSample,
  seededUniform,
  supervisionWeight,
  type SupervisionCandidate,
} from './supervision-sample';

const team: SupervisionCandidate[] = Array.from({ length: 12 }, (_, i) => ({
  caseId: `case-${String(i + 1).padStart(2, '0')}`,
  flagCount: i % 4,
}));

const seeds = (count: number, prefix = 'seed-') =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('drawSupervisionSample', () => {
  it('golden: this seed and team draw exactly this (pins the algorithm for audits)', () => {
    expect(drawSupervisionSample(team, 5, 'golden-2026')).toEqual([
      'case-02',
      'case-08',
      'case-01',
      'case-06',
      'case-12',
    ]);
  });

  it('is reproducible: the same seed and candidates give the same sample', () => {
    expect(drawSupervisionSample(team, 4, 'abc')).toEqual(drawSupervisionSample(team, 4, 'abc'));
  });

  it('another seed gives (here) another sample', () => {
    expect(drawSupervisionSample(team, 4, 'abc')).not.toEqual(
      drawSupervisionSample(team, 4, 'abd'),
    );
  });

  it('property: the input order of the candidates does not matter', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ caseId: fc.string({ minLength: 1 }), flagCount: fc.nat(20) }), {
          selector: (candidate) => candidate.caseId,
          minLength: 1,
          maxLength: 30,
        }),
        fc.nat(35),
        fc.string(),
        (candidates, size, seed) => {
          const reversed = [...candidates].reverse();
          const shuffled = [...candidates].sort((a, b) => a.flagCount - b.flagCount);
          const drawn = drawSupervisionSample(candidates, size, seed);
          expect(drawSupervisionSample(reversed, size, seed)).toEqual(drawn);
          expect(drawSupervisionSample(shuffled, size, seed)).toEqual(drawn);
          expect(drawn).toHaveLength(Math.min(size, candidates.length));
          expect(new Set(drawn).size).toBe(drawn.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a larger size than the population draws all, each once; size 0 draws none', () => {
    const all = drawSupervisionSample(team, 50, 'x');
    expect([...all].sort()).toEqual(team.map((candidate) => candidate.caseId));
    expect(drawSupervisionSample(team, 0, 'x')).toEqual([]);
    expect(drawSupervisionSample([], 3, 'x')).toEqual([]);
  });

  it('a smaller sample is the start of a larger one with the same seed (draw order)', () => {
    expect(drawSupervisionSample(team, 3, 'order')).toEqual(
      drawSupervisionSample(team, 8, 'order').slice(0, 3),
    );
  });

  it('weights a case by 1 + its flag count', () => {
    expect(supervisionWeight({ caseId: 'c', flagCount: 0 })).toBe(1);
    expect(supervisionWeight({ caseId: 'c', flagCount: 4 })).toBe(5);
  });

  it('statistically: with size 1, weights 1 and 3 are drawn about 1 : 3 (4,000 fixed seeds)', () => {
    const pair = [
      { caseId: 'a', flagCount: 0 },
      { caseId: 'b', flagCount: 2 },
    ];
    const b = seeds(4000).filter((seed) => drawSupervisionSample(pair, 1, seed)[0] === 'b').length;
    // Expected 3,000; the standard deviation is about 27.
    expect(b).toBeGreaterThan(2850);
    expect(b).toBeLessThan(3150);
  });

  it('statistically: equal weights are drawn about equally often (5,000 fixed seeds)', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((caseId) => ({ caseId, flagCount: 0 }));
    const counts = new Map<string, number>();
    for (const seed of seeds(5000, 's')) {
      const [drawn] = drawSupervisionSample(five, 1, seed);
      if (drawn !== undefined) counts.set(drawn, (counts.get(drawn) ?? 0) + 1);
    }
    for (const candidate of five) {
      // Expected 1,000 each; the standard deviation is about 28.
      expect(counts.get(candidate.caseId)).toBeGreaterThan(880);
      expect(counts.get(candidate.caseId)).toBeLessThan(1120);
    }
  });

  it('statistically: a case with many flags is in the sample far more often than one without', () => {
    const candidates = [
      { caseId: 'risky', flagCount: 9 },
      { caseId: 'calm', flagCount: 0 },
      ...Array.from({ length: 8 }, (_, i) => ({ caseId: `other-${i}`, flagCount: 1 })),
    ];
    let risky = 0;
    let calm = 0;
    for (const seed of seeds(2000)) {
      const drawn = drawSupervisionSample(candidates, 3, seed);
      if (drawn.includes('risky')) risky += 1;
      if (drawn.includes('calm')) calm += 1;
    }
    expect(risky).toBeGreaterThan(2 * calm);
    expect(calm).toBeGreaterThan(0);
  });

  it('refuses a bad size, a bad flag count and a repeated case id', () => {
    expect(() => drawSupervisionSample(team, -1, 'x')).toThrow(RangeError);
    expect(() => drawSupervisionSample(team, 1.5, 'x')).toThrow(RangeError);
    expect(() => drawSupervisionSample([{ caseId: 'a', flagCount: -1 }], 1, 'x')).toThrow(
      RangeError,
    );
    expect(() =>
      drawSupervisionSample(
        [
          { caseId: 'a', flagCount: 0 },
          { caseId: 'a', flagCount: 2 },
        ],
        1,
        'x',
      ),
    ).toThrow(RangeError);
  });
});

describe('seededUniform', () => {
  it('is deterministic per seed and stays strictly inside (0, 1)', () => {
    const a = seededUniform('s');
    const b = seededUniform('s');
    const values = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(values);
    expect(values.every((u) => u > 0 && u < 1)).toBe(true);
    const mean = values.reduce((sum, u) => sum + u, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });
});

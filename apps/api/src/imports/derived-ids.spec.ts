import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { derivedUuid } from './derived-ids';

/** RFC 9562's version 5 by the book, to hold the faster derivation to. */
function referenceUuid(name: string): string {
  const digest = createHash('sha1')
    .update(Buffer.from('6f1c2a4e9b7d4c3a8e5f0a1b2c3d4e5f', 'hex'))
    .update(name)
    .digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('derivedUuid', () => {
  it('gives the ids earlier imports stored (a change here would import every event again)', () => {
    expect(derivedUuid('case', 'DUBU/2019-004711')).toBe('ab0e9abb-a882-5234-a018-79209cc63a87');
    expect(derivedUuid('stream/0/Type/{"a":"æ😀"}')).toBe('4c107845-f7d1-5ec7-9870-4f0fba4b0212');
  });

  it('is the version 5 UUID of the name in the import namespace, for any name and parts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (name) => {
        expect(derivedUuid(name)).toBe(referenceUuid(name));
      }),
      { numRuns: 2_000 },
    );
    const parts = fc.array(fc.string({ unit: 'binary', maxLength: 3_000 }), { minLength: 1 });
    fc.assert(
      fc.property(parts, (given) => {
        expect(derivedUuid(...given)).toBe(referenceUuid(given.join('/')));
      }),
      { numRuns: 300 },
    );
  });
});

import { derivedUuid } from './derived-ids';

describe('derivedUuid', () => {
  it('gives the ids earlier imports stored (a change here would import every event again)', () => {
    expect(derivedUuid('case/DUBU/2019-004711')).toBe('ab0e9abb-a882-5234-a018-79209cc63a87');
    expect(derivedUuid('stream/0/Type/{"a":"æ😀"}')).toBe('4c107845-f7d1-5ec7-9870-4f0fba4b0212');
  });
});

import fc from 'fast-check';
import { shortTextProblem, textMayContainCpr } from './free-text';

// Test numbers only (dates with 1234 / 0001): nobody's CPR number as far as the authors know.
describe('the CPR guard on free text', () => {
  it.each([
    ['with a dash', 'born 010190-1234, see file'],
    ['without a dash', 'cpr 0101901234'],
    ['with a space', '010190 1234'],
    ['glued to letters', 'CPR0101901234x'],
    ['a replacement number (day + 60)', '610190-1234'],
    ['after another ten digits that are no date', '9999999999 and 0101900001'],
  ])('refuses ten digits whose first six are a real date: %s', (_case, text) => {
    expect(textMayContainCpr(text)).toBe(true);
    expect(shortTextProblem(text)).toBe('may-contain-cpr');
  });

  it.each([
    ['a day that is no date', 'ref 3201901234'],
    ['a month that is no date', 'ref 0113901234'],
    ['a UUID whose last group has ten digits', 'b7e1c2d4-55aa-4f00-9e21-a1234567890b'],
    ['eleven digits', '01019012345'],
    ['a phone number', '+45 33 66 33 66'],
  ])('lets pass what cannot be a CPR number: %s', (_case, text) => {
    expect(textMayContainCpr(text)).toBe(false);
  });

  it('refuses under 1 in 500 random UUIDs, where a ten-digit run is about 1 in 120', () => {
    const uuids = fc.sample(fc.noBias(fc.uuid()), { numRuns: 20_000, seed: 42 });
    const tenDigitRuns = uuids.filter((uuid) => /(?<!\d)\d{10}(?!\d)/.test(uuid)).length;
    const refused = uuids.filter(textMayContainCpr).length;
    expect(tenDigitRuns).toBeGreaterThan(100);
    expect(refused).toBeLessThan(tenDigitRuns / 5);
    expect(refused).toBeLessThan(uuids.length / 500);
  });
});

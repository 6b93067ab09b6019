import fc from 'fast-check';
import isISO8601 from 'validator/lib/isISO8601';
import { isImportTimestamp, TIMESTAMP_PATTERN } from './import-records';

/** Two digits from 00 to 99, so every edge of the calendar and the clock comes up. */
const twoDigits = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));

describe('isImportTimestamp', () => {
  it('accepts exactly the timestamps of the pattern that the calendar check accepts', () => {
    const timestamp = fc
      .tuple(
        fc.constantFrom('0999', '1000', '1900', '2000', '2019', '2024', '2100', '9999'),
        twoDigits,
        twoDigits,
        twoDigits,
        twoDigits,
        twoDigits,
        fc.constantFrom('', '.5', '.123', '.123456789'),
        fc.oneof(
          fc.constant('Z'),
          fc.tuple(fc.constantFrom('+', '-'), twoDigits, twoDigits).map(([s, h, m]) => `${s}${h}:${m}`),
        ),
      )
      .map(([y, mo, d, h, mi, s, fraction, zone]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction}${zone}`);
    fc.assert(
      fc.property(timestamp, (value) => {
        const reference =
          TIMESTAMP_PATTERN.test(value) && isISO8601(value, { strict: true, strictSeparator: true });
        expect(isImportTimestamp(value)).toBe(reference);
      }),
      { numRuns: 20_000 },
    );
    expect(isImportTimestamp('2024-02-29T10:00:00Z')).toBe(true);
    expect(isImportTimestamp('2023-02-29T10:00:00Z')).toBe(false);
    expect(isImportTimestamp('2023-04-31T10:00:00+02:00')).toBe(false);
    expect(isImportTimestamp('2023-04-30T24:00:00Z')).toBe(false);
    expect(isImportTimestamp('2023-04-30T23:60:00Z')).toBe(false);
    expect(isImportTimestamp('2023-04-30T10:00:00+24:00')).toBe(false);
    expect(isImportTimestamp(20230430)).toBe(false);
  });
});

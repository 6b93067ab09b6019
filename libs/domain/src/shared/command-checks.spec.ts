import { commandChecks, requireNotBefore, requireOneOf } from './command-checks';
import { InvalidCommandError } from './domain-error';

const CODES = {
  missingId: 'TEST.MISSING_ID',
  invalidTime: 'TEST.INVALID_TIME',
  inTheFuture: 'TEST.IN_THE_FUTURE',
} as const;

const now = new Date('2026-03-30T08:00:00.000Z');
const earlier = new Date('2026-03-27T13:00:00.000Z');
const later = new Date('2026-03-30T08:00:00.001Z');
const invalid = new Date('nope');

/** The refusal `run` throws: its class, code and details. */
function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidCommandError);
    const { code, details } = error as InvalidCommandError;
    return { code, details };
  }
  throw new Error('Expected a refusal');
}

describe('commandChecks', () => {
  const { validTime, occurredAt, requireId, optionalId } = commandChecks(CODES);

  it('occurredAt: `at`, or `now` when not given; `now` itself is allowed', () => {
    expect(occurredAt(earlier, now, 'receivedAt')).toBe(earlier);
    expect(occurredAt(undefined, now, 'receivedAt')).toBe(now);
    expect(occurredAt(now, now, 'receivedAt')).toBe(now);
  });

  it('occurredAt refuses a time after now', () => {
    expect(refusal(() => occurredAt(later, now, 'receivedAt'))).toEqual({
      code: CODES.inTheFuture,
      details: { field: 'receivedAt' },
    });
  });

  it('occurredAt refuses an invalid time, naming the field (also for an invalid `now`)', () => {
    const invalidTime = { code: CODES.invalidTime, details: { field: 'receivedAt' } };
    expect(refusal(() => occurredAt(invalid, now, 'receivedAt'))).toEqual(invalidTime);
    expect(refusal(() => occurredAt(earlier, invalid, 'receivedAt'))).toEqual(invalidTime);
    expect(refusal(() => occurredAt(undefined, invalid, 'receivedAt'))).toEqual(invalidTime);
    expect(refusal(() => occurredAt('2026-03-27' as never, now, 'x')).code).toBe(CODES.invalidTime);
  });

  it('with nowField, an invalid `now` is reported under that field', () => {
    const checks = commandChecks(CODES, { nowField: 'now' });
    const nowInvalid = { code: CODES.invalidTime, details: { field: 'now' } };
    expect(refusal(() => checks.occurredAt(earlier, invalid, 'notedAt'))).toEqual(nowInvalid);
    expect(refusal(() => checks.occurredAt(invalid, invalid, 'notedAt'))).toEqual(nowInvalid);
    expect(refusal(() => checks.occurredAt(invalid, now, 'notedAt')).details).toEqual({
      field: 'notedAt',
    });
  });

  it('validTime passes a valid Date through and refuses anything else', () => {
    expect(validTime(now, 'now')).toBe(now);
    expect(refusal(() => validTime(invalid, 'now'))).toEqual({
      code: CODES.invalidTime,
      details: { field: 'now' },
    });
  });

  it('requireId refuses a blank or missing id; optionalId also allows null', () => {
    expect(requireId('case-1', 'caseId')).toBe('case-1');
    for (const blank of ['', '  ', undefined as never, 42 as never]) {
      expect(refusal(() => requireId(blank, 'caseId'))).toEqual({
        code: CODES.missingId,
        details: { field: 'caseId' },
      });
    }
    expect(optionalId(null, 'caseId')).toBeNull();
    expect(optionalId('case-1', 'caseId')).toBe('case-1');
    expect(refusal(() => optionalId(' ', 'caseId')).code).toBe(CODES.missingId);
  });
});

describe('requireOneOf', () => {
  const COLOURS = ['red', 'green'] as const;

  it('passes an allowed value and refuses others with the code given and the allowed', () => {
    expect(requireOneOf(COLOURS, 'green', 'TEST.UNKNOWN_COLOUR', 'colour')).toBe('green');
    const refused = () => requireOneOf(COLOURS, 'blue' as never, 'TEST.UNKNOWN_COLOUR', 'colour');
    expect(refusal(refused)).toEqual({
      code: 'TEST.UNKNOWN_COLOUR',
      details: { allowed: 'red,green' },
    });
    expect(refused).toThrow('Unknown colour');
  });
});

describe('requireNotBefore', () => {
  const before = {
    code: 'TEST.BEFORE_RECEIPT',
    message: 'Not before the receipt',
    details: { field: 'answeredAt', receivedAt: now.toISOString() },
  };

  it('is the time as an ISO string when it is not before the earliest instant', () => {
    expect(requireNotBefore(now, now.toISOString(), before)).toBe(now.toISOString());
    expect(requireNotBefore(later, now.toISOString(), before)).toBe(later.toISOString());
  });

  it('refuses an earlier time with the refusal given', () => {
    const refused = () => requireNotBefore(earlier, now.toISOString(), before);
    expect(refusal(refused)).toEqual({ code: before.code, details: before.details });
    expect(refused).toThrow(before.message);
  });
});

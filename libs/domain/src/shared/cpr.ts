/**
 * The Danish CPR number (personnummer): parsing and validation. Pure, no imports but the
 * calendar helpers.
 *
 * A CPR number is personal data: never log it, never put it in an event, and never echo it (or
 * any part of it) in a message. The problem messages below are fixed texts without digits.
 *
 * Rules (see /work/shared/domain.md, "The CPR number"):
 * - 'DDMMYY-SSSS' or 'DDMMYYSSSS'; surrounding whitespace is ignored, nothing else is.
 * - The century follows from the 7th digit (the first of SSSS) and YY; see `cprCentury`.
 * - The last digit is odd for men and even for women.
 * - Replacement numbers (erstatningspersonnumre) carry the day + 60 (61–91); they are accepted,
 *   flagged `replacement: true`, and the real birth date is derived.
 * - The modulus-11 check does not hold for all numbers issued since 2007, so it is NEVER a
 *   reason to reject; `passesModulus11` is exposed for information only.
 */
import { isRealDate, isoDate, type IsoDate } from './calendar-dates';

export type CprSex = 'male' | 'female';

export interface Cpr {
  /** Ten digits, no separator: 'DDMMYYSSSS'. Personal data: do not log or put in events. */
  readonly normalized: string;
  /** The real birth date (for a replacement number: day − 60). */
  readonly birthDate: IsoDate;
  readonly sex: CprSex;
  /** True for a replacement number (day + 60). */
  readonly replacement: boolean;
}

export type CprProblemCode = 'FORMAT' | 'DATE' | 'FUTURE_BIRTH_DATE';

export interface CprProblem {
  /** Stable: clients key on it. */
  readonly code: CprProblemCode;
  /** For people. Never contains the number or any part of it (no digits at all). */
  readonly message: string;
}

export type CprResult =
  { readonly ok: true; readonly value: Cpr } | { readonly ok: false; readonly reason: CprProblem };

export const CPR_PROBLEMS: { readonly [C in CprProblemCode]: CprProblem } = {
  FORMAT: {
    code: 'FORMAT',
    message: 'A CPR number has ten digits, written DDMMYY-SSSS or DDMMYYSSSS.',
  },
  DATE: {
    code: 'DATE',
    message: 'The CPR number does not contain a real birth date.',
  },
  FUTURE_BIRTH_DATE: {
    code: 'FUTURE_BIRTH_DATE',
    message: 'The CPR number gives a birth date in the future.',
  },
};

export interface ParseCprOptions {
  /**
   * Today's date (Danish calendar). When given, a birth date after it is refused with
   * FUTURE_BIRTH_DATE (e.g. YY 30 with 7th digit 4 means 2030). Time comes in as an argument.
   */
  readonly today?: IsoDate;
}

const CPR_FORMAT = /^([0-9]{6})-?([0-9]{4})$/;

/** Parses a CPR number. Never throws for a bad input; never rejects on modulus 11. */
export function parseCpr(input: string, options: ParseCprOptions = {}): CprResult {
  const match = typeof input === 'string' ? CPR_FORMAT.exec(input.trim()) : null;
  if (match === null) return refuse('FORMAT');
  const normalized = `${match[1]}${match[2]}`;
  const digit = (index: number): number => Number(normalized.charAt(index));

  const writtenDay = digit(0) * 10 + digit(1);
  const month = digit(2) * 10 + digit(3);
  const yy = digit(4) * 10 + digit(5);
  const replacement = writtenDay > 60;
  const day = replacement ? writtenDay - 60 : writtenDay;
  const year = cprCentury(digit(6), yy) + yy;
  if (!isRealDate(year, month, day)) return refuse('DATE');
  const birthDate = isoDate(year, month, day);

  if (options.today !== undefined && birthDate > options.today) return refuse('FUTURE_BIRTH_DATE');
  return {
    ok: true,
    value: { normalized, birthDate, sex: digit(9) % 2 === 1 ? 'male' : 'female', replacement },
  };
}

/** True when `input` parses (same options as `parseCpr`). */
export function isValidCpr(input: string, options: ParseCprOptions = {}): boolean {
  return parseCpr(input, options).ok;
}

/**
 * The century (1800, 1900 or 2000) of a CPR birth year from the 7th digit and the two-digit year:
 *
 * | 7th digit | YY 00–36 | YY 37–57 | YY 58–99 |
 * |-----------|----------|----------|----------|
 * | 0–3       | 1900     | 1900     | 1900     |
 * | 4         | 2000     | 1900     | 1900     |
 * | 5–8       | 2000     | 2000     | 1800     |
 * | 9         | 2000     | 1900     | 1900     |
 */
export function cprCentury(seventhDigit: number, yy: number): 1800 | 1900 | 2000 {
  if (seventhDigit <= 3) return 1900;
  if (seventhDigit === 4 || seventhDigit === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800;
}

const MODULUS_11_WEIGHTS = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * The old modulus-11 control (weights 4 3 2 7 6 5 4 3 2 1, sum divisible by 11). For
 * information only: valid numbers issued since 2007 may fail it. Accepts the same formats as
 * `parseCpr`; false for anything that is not ten digits.
 */
export function passesModulus11(input: string): boolean {
  const match = typeof input === 'string' ? CPR_FORMAT.exec(input.trim()) : null;
  if (match === null) return false;
  const digits = `${match[1]}${match[2]}`;
  let sum = 0;
  MODULUS_11_WEIGHTS.forEach((weight, index) => {
    sum += weight * Number(digits.charAt(index));
  });
  return sum % 11 === 0;
}

/** 'DDMMYYSSSS' → 'DDMMYY-SSSS' for display to someone entitled to see it. */
export function formatCpr(cpr: Cpr): string {
  return `${cpr.normalized.slice(0, 6)}-${cpr.normalized.slice(6)}`;
}

function refuse(code: CprProblemCode): CprResult {
  return { ok: false, reason: CPR_PROBLEMS[code] };
}

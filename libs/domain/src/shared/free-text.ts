/**
 * Short free text (minutes, agreements, reasons, notes) that ends up in events. A cheap guard
 * refuses what looks like a CPR number; it cannot catch names, so "no personal data beyond the
 * matter" stays the writer's rule. Messages built from a problem never echo the text.
 */
import { parseCpr } from './cpr';

/** The longest short text an event holds (minutes outcome, a decision, an agreement, a note). */
export const SHORT_TEXT_MAX_LENGTH = 500;

/**
 * Ten digits in a row, with or without a dash or space after the sixth: what a CPR number looks
 * like in free text (the guard every decider that takes free text uses).
 */
const CPR_LIKE = /(?<!\d)(\d{6})[-\s]?(\d{4})(?!\d)/g;

/**
 * True when the text holds ten digits whose first six are a real date (DDMMYY, or a replacement
 * number's day + 60), as every CPR number's are. Other ten-digit runs (in a UUID, a phone number
 * with a non-date prefix) pass, so references are not refused for looking like numbers.
 */
export function textMayContainCpr(text: string): boolean {
  for (const [, first, last] of text.matchAll(CPR_LIKE)) {
    const result = parseCpr(`${first}${last}`);
    if (result.ok || result.reason.code !== 'DATE') return true;
  }
  return false;
}

export type ShortTextProblem = 'empty' | 'too-long' | 'may-contain-cpr';

/** What is wrong with a short text (after trimming), or null. Non-strings count as empty. */
export function shortTextProblem(
  text: unknown,
  maxLength: number = SHORT_TEXT_MAX_LENGTH,
): ShortTextProblem | null {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (trimmed === '') return 'empty';
  if (trimmed.length > maxLength) return 'too-long';
  if (textMayContainCpr(trimmed)) return 'may-contain-cpr';
  return null;
}

/**
 * The scheduled process that records "transition preparation due" when a young person in scope
 * turns 16. Pure: the caller reads the clock, the person registry and the open cases, and stores
 * the date of its last successful run.
 *
 * How a run goes (the app layer):
 * 1. `today` = the Danish calendar date of the run; `since` = the `today` of the last run that
 *    finished (stored durably, e.g. one row per process), or null before the first run.
 * 2. `dueSixteenthBirthdays(people, since, today)` → the people in scope whose 16th birthday is
 *    in (since, today]. Missed days are caught up because the window starts at the last
 *    successful run, not at yesterday.
 * 3. For each: RecordPreparationDue on `transition-<personId>`, the event id being
 *    `preparationDueEventId(personId)`.
 * 4. Only when all went through: store `since = today`.
 *
 * A run that fails half-way leaves `since` where it was, so the next run reports the same people
 * again; that records nothing twice, because the decider ignores a second due event for a
 * person and the event store stores an event id once.
 *
 * Before the first run, seed `since` (e.g. with the go-live date minus the look-back the
 * municipality wants): with `since = null` the window has no start, and every person in scope
 * who has ever turned 16 is reported — including adults.
 */
import { ageOn, birthdayInYear, type AgeOptions } from '../shared/age';
import { dateParts, type IsoDate } from '../shared/calendar-dates';

/** The date someone born on `birthDate` turns 16 (born 29 Feb: 1 Mar in a common year). */
export function sixteenthBirthday(birthDate: IsoDate, options: AgeOptions = {}): IsoDate {
  return birthdayInYear(birthDate, 16, options);
}

/** The date someone born on `birthDate` turns 18 (born 29 Feb: 1 Mar in a common year). */
export function eighteenthBirthday(birthDate: IsoDate, options: AgeOptions = {}): IsoDate {
  return birthdayInYear(birthDate, 18, options);
}

/** True when the person is 16 or older on `onDate`. */
export function isSixteenOn(birthDate: IsoDate, onDate: IsoDate, options: AgeOptions = {}) {
  return onDate >= birthDate && ageOn(birthDate, onDate, options) >= 16;
}

export interface TransitionScheduleCandidate {
  readonly personId: string;
  readonly birthDate: IsoDate;
  /** See `inTransitionScope`. */
  readonly inScope: boolean;
}

export type DueSixteenthBirthday<P extends TransitionScheduleCandidate> = P & {
  readonly sixteenthBirthday: IsoDate;
};

/**
 * The people in scope whose 16th birthday is after `since` (exclusive; null: no lower bound)
 * and on or before `today`, ordered by birthday, then person id. The candidates come back with
 * whatever else they carry (e.g. their trigger case ids) plus `sixteenthBirthday`.
 *
 * Throws a RangeError on a malformed `since` or `today`, and on a malformed birth date (the
 * message names the person id, never the date).
 */
export function dueSixteenthBirthdays<P extends TransitionScheduleCandidate>(
  people: readonly P[],
  since: IsoDate | null,
  today: IsoDate,
  options: AgeOptions = {},
): DueSixteenthBirthday<P>[] {
  dateParts(today);
  if (since !== null) dateParts(since);
  if (since !== null && since >= today) return [];
  const due: DueSixteenthBirthday<P>[] = [];
  for (const person of people) {
    if (!person.inScope) continue;
    let birthday: IsoDate;
    try {
      birthday = sixteenthBirthday(person.birthDate, options);
    } catch {
      throw new RangeError(`Person ${person.personId} has no valid birth date`);
    }
    if (birthday <= today && (since === null || birthday > since)) {
      due.push({ ...person, sixteenthBirthday: birthday });
    }
  }
  return due.sort((a, b) =>
    a.sixteenthBirthday === b.sixteenthBirthday
      ? compare(a.personId, b.personId)
      : compare(a.sixteenthBirthday, b.sixteenthBirthday),
  );
}

/**
 * Whether a person's open cases put them in scope of the transition duty: at least one open
 * case of a type the municipality lists as transition-relevant (e.g. disability support under
 * Barnets Lov, a placement out of home). The list is configuration, not law in code.
 */
export function inTransitionScope(
  openCaseTypes: readonly string[],
  transitionRelevantCaseTypes: ReadonlySet<string>,
): boolean {
  return openCaseTypes.some((caseType) => transitionRelevantCaseTypes.has(caseType));
}

/** The ids of the open cases that put the person in scope, sorted, without duplicates. */
export function transitionTriggerCaseIds(
  openCases: readonly { readonly caseId: string; readonly caseType: string }[],
  transitionRelevantCaseTypes: ReadonlySet<string>,
): string[] {
  const ids = openCases
    .filter((c) => transitionRelevantCaseTypes.has(c.caseType))
    .map((c) => c.caseId);
  return [...new Set(ids)].sort(compare);
}

// ---------------------------------------------------------------------------------------------
// Deterministic event ids
// ---------------------------------------------------------------------------------------------

const FNV128_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV128_PRIME = 0x0000000001000000000000000000013bn;
const MASK128 = (1n << 128n) - 1n;

/**
 * A UUID-shaped id that depends only on `name`: the same name gives the same id on every
 * machine and in every run. The 128 bits are FNV-1a (128-bit) of the UTF-8 bytes of `name`,
 * with the version nibble set to 5 and the RFC 4122 variant bits set, so it passes UUID
 * validators and fits a `uuid` column.
 *
 * Deterministic, NOT cryptographic, and not a standard RFC 4122 version-5 UUID (that one is
 * SHA-1 of a namespace and a name): anyone who knows the name can compute the id, and ids are
 * not meant to be unguessable. Use it only for ids whose point is to be the same on a retry.
 */
export function deterministicUuid(name: string): string {
  const hex = fnv1a128Hex(name);
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

/** FNV-1a 128 of the UTF-8 bytes of `input`, as 32 hex digits (exposed for tests). */
export function fnv1a128Hex(input: string): string {
  let hash = FNV128_OFFSET;
  for (const byte of utf8(input)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV128_PRIME) & MASK128;
  }
  return hash.toString(16).padStart(32, '0');
}

/**
 * The event id of a person's TransitionPreparationDue: derived from the person id alone, since
 * there is one transition (and one due event) per person. A retried or repeated scheduler run
 * appends the same id, which the event store keeps once.
 */
export function preparationDueEventId(personId: string): string {
  return deterministicUuid(`tovholder:transition:TransitionPreparationDue:${personId}`);
}

/** UTF-8 bytes; a lone surrogate becomes U+FFFD, as TextEncoder does. */
function utf8(input: string): number[] {
  const bytes: number[] = [];
  for (const char of input) {
    let cp = char.codePointAt(0) ?? 0xfffd;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) {
      bytes.push(cp);
    } else if (cp < 0x800) {
      bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      bytes.push(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
    }
  }
  return bytes;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

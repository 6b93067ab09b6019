/**
 * Removes an erased person's CPR number and full name from free text (journal notes), as far as
 * text can be searched for them: the CPR number in its usual spellings, the name whatever its
 * case and spacing. A first name alone, a nickname or a misspelling cannot be told from other
 * words and stays; that limit is the writer's rule ("no more personal data than the matter").
 */
export const REDACTED = '[slettet]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface PersonalData {
  /** Normalised DDMMYYSSSS. */
  readonly cpr: string;
  readonly name: string;
}

function patternsFor(person: PersonalData): RegExp[] {
  const patterns: RegExp[] = [];
  if (/^\d{10}$/.test(person.cpr)) {
    patterns.push(
      new RegExp(`(?<!\\d)${person.cpr.slice(0, 6)}[-\\s]?${person.cpr.slice(6)}(?!\\d)`, 'g'),
    );
  }
  const words = person.name.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (words.length > 0) {
    patterns.push(
      new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[\\s\\u00a0]+')}(?![\\p{L}\\p{N}])`, 'giu'),
    );
  }
  return patterns;
}

/** The text with every occurrence of the person's CPR number and full name replaced. */
export function redactPerson(text: string, person: PersonalData): string {
  return patternsFor(person).reduce((result, pattern) => result.replace(pattern, REDACTED), text);
}

/** Whether the text names the person (CPR number or full name), e.g. an erasure's reason. */
export function mentionsPerson(text: string, person: PersonalData): boolean {
  return redactPerson(text, person) !== text;
}

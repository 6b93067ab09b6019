import type { Position } from './event-store.port';

export const START: null = null;

export function comparePositions(a: Position | null, b: Position | null): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function isAtOrAfter(position: Position | null, target: Position): boolean {
  return comparePositions(position, target) >= 0;
}

/** Text form for HTTP and logs: `<commit>-<prepare>`. */
export function formatPosition(position: Position): string {
  return `${position.commit}-${position.prepare}`;
}

const POSITION_PATTERN = /^(\d{1,20})-(\d{1,20})$/;

/** Parses `formatPosition`'s text; null when it is not a position. */
export function parsePosition(text: string): Position | null {
  const match = POSITION_PATTERN.exec(text);
  if (!match?.[1] || !match[2]) return null;
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

/** A stored event before the domain has looked at it: a type name and plain data. */
export interface UncheckedEvent {
  readonly type: string;
  readonly data: unknown;
}

/**
 * Every type of an event union, listed once as a record: a type missing from it (or one the union
 * does not have) is a compile error, where a hand-written list would skip it silently.
 */
export type EventTypeRecord<E extends { readonly type: string }> = {
  readonly [K in E['type']]: true;
};

/** One handler per event type of a union: a projector written against it cannot forget one. */
export type EventHandlers<E extends { readonly type: string }, Result> = {
  readonly [K in E['type']]: (event: Extract<E, { readonly type: K }>) => Result;
};

export interface EventUnion<E extends UncheckedEvent> {
  readonly types: ReadonlySet<string>;
  /** Whether a stored event belongs to the union: a known type with object data. */
  readonly is: (event: UncheckedEvent) => event is E;
}

export function eventUnion<E extends { readonly type: string; readonly data: object }>(
  types: EventTypeRecord<E>,
): EventUnion<E> {
  const known: ReadonlySet<string> = new Set(Object.keys(types));
  return {
    types: known,
    is: (event): event is E =>
      known.has(event.type) && typeof event.data === 'object' && event.data !== null,
  };
}

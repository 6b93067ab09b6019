import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';

interface CommandKeyContext {
  /** The caller's idempotency key (with its subject): the same on every retry of a request. */
  readonly key: string;
  /** Appends made so far per stream in this run, so two appends to one stream get other ids. */
  readonly appends: Map<string, number>;
  /** Records this run has named so far, so two new records get other ids. */
  created: number;
}

const storage = new AsyncLocalStorage<CommandKeyContext>();

/**
 * Runs a request's handler with its idempotency key (and the claim's generation) in scope, for
 * eventIdsFor and newRecordId.
 */
export function runWithCommandKey<T>(key: string, work: () => Promise<T>): Promise<T> {
  return storage.run({ key, appends: new Map(), created: 0 }, work);
}

/**
 * The id of a record a command creates (a case, a family, a meeting …). Inside a request with
 * an Idempotency-Key it is derived from the key: a retry that runs the command again after its
 * process died names the same record, and its events are found as already recorded instead of
 * opening a second one. Elsewhere it is random.
 */
export function newRecordId(): string {
  const context = storage.getStore();
  if (context === undefined) return randomUUID();
  const turn = context.created;
  context.created += 1;
  return uuidFrom(`${context.key}\u001fnew record\u001f${turn}`);
}

function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  // A version-5-shaped UUID (name-based; sha256 instead of sha1 is fine for an id).
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Event ids for one append to a stream. Inside a request with an Idempotency-Key they are
 * derived from the key, the stream and the append's turn in the request: a retry that runs the
 * command again (after its lease ran out) produces the same ids, and the event store keeps the
 * events once. Elsewhere they are random. Call `appended()` once the append succeeded, so the
 * next append to the stream in the same request gets other ids.
 */
export function eventIdsFor(streamId: string): {
  id: (index: number) => string;
  appended: () => void;
} {
  const context = storage.getStore();
  if (context === undefined) return { id: () => randomUUID(), appended: () => undefined };
  const turn = context.appends.get(streamId) ?? 0;
  return {
    id: (index) => uuidFrom(`${context.key}\u001f${streamId}\u001f${turn}\u001f${index}`),
    appended: () => context.appends.set(streamId, turn + 1),
  };
}

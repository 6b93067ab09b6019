import { createHash } from 'node:crypto';

/** Namespace of every id the import derives (a fixed random UUID; never change it). */
const IMPORT_NAMESPACE = Buffer.from('6f1c2a4e9b7d4c3a8e5f0a1b2c3d4e5f', 'hex');

/**
 * A name-based UUID (version 5, RFC 9562): the same name gives the same id on every run, so an
 * import run again, or resumed after a crash, appends events the store already has and they are
 * stored once.
 */
export function derivedUuid(name: string): string {
  const hash = createHash('sha1').update(IMPORT_NAMESPACE).update(name).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

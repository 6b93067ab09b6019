import { hash } from 'node:crypto';

/** Namespace of every id the import derives (a fixed random UUID; never change it). */
const IMPORT_NAMESPACE = Buffer.from('6f1c2a4e9b7d4c3a8e5f0a1b2c3d4e5f', 'hex');

/** The variant nibble (binary 10xx) for each hex digit of the hash at its place. */
const VARIANT_NIBBLE = '89ab89ab89ab89ab';

/**
 * A name-based UUID (version 5, RFC 9562): the same name gives the same id on every run, so an
 * import run again, or resumed after a crash, appends events the store already has and they are
 * stored once. One-shot `hash` over one buffer: a `createHash` object per id cost the import more
 * than the rest of deriving its events.
 */
export function derivedUuid(name: string): string {
  const input = Buffer.allocUnsafe(IMPORT_NAMESPACE.length + Buffer.byteLength(name));
  IMPORT_NAMESPACE.copy(input, 0);
  input.write(name, IMPORT_NAMESPACE.length);
  const hex = hash('sha1', input, 'hex');
  const variant = VARIANT_NIBBLE[Number.parseInt(hex.charAt(16), 16)] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

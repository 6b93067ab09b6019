import { hash } from 'node:crypto';

/** Namespace of every id the import derives (a fixed random UUID; never change it). */
const IMPORT_NAMESPACE = Buffer.from('6f1c2a4e9b7d4c3a8e5f0a1b2c3d4e5f', 'hex');

/** The variant nibble (binary 10xx) for each hex digit of the hash at its place. */
const VARIANT_NIBBLE = '89ab89ab89ab89ab';

/** The namespace and the name as UTF-8, reused: hashing is synchronous. */
let scratch = Buffer.allocUnsafe(4096);
IMPORT_NAMESPACE.copy(scratch, 0);

/**
 * A name-based UUID (version 5, RFC 9562) of the name given in parts (joined by '/'): the same
 * name gives the same id on every run, so an import run again, or resumed after a crash, appends
 * events the store already has and they are stored once. The parts are written straight into one
 * buffer and hashed in one shot: a `createHash` object per id, and the joined name as a string,
 * cost the import more than the rest of deriving its events.
 */
export function derivedUuid(...parts: readonly string[]): string {
  let length = IMPORT_NAMESPACE.length;
  for (const [index, part] of parts.entries()) {
    // A UTF-16 code unit is at most 3 bytes of UTF-8, and the separator 1.
    const room = length + part.length * 3 + 1;
    if (room > scratch.length) {
      const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, room));
      scratch.copy(grown, 0, 0, length);
      scratch = grown;
    }
    if (index > 0) length += scratch.write('/', length);
    length += scratch.write(part, length);
  }
  const hex = hash('sha1', scratch.subarray(0, length), 'hex');
  const variant = VARIANT_NIBBLE[Number.parseInt(hex.charAt(16), 16)] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

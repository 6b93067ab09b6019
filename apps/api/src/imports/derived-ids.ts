import { hash } from 'node:crypto';

/** Namespace of every id the import derives (a fixed random UUID; never change it). */
const IMPORT_NAMESPACE = Buffer.from('6f1c2a4e9b7d4c3a8e5f0a1b2c3d4e5f', 'hex');

/** The namespace and the name as UTF-8, reused: hashing is synchronous. */
let scratch = Buffer.allocUnsafe(4096);
IMPORT_NAMESPACE.copy(scratch, 0);
/** Views of the scratch buffer's first bytes, by length: a view made a call was garbage. */
let views = new Map<number, Buffer>();

/** The UUID's text, written a character code at a time and read out as one string. */
const uuidText = Buffer.from('00000000-0000-5000-8000-000000000000', 'latin1');
/** Where each of the hash's first 32 hex digits goes in the UUID's text (around the dashes). */
const HEX_PLACES = [...'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'].flatMap((char, place) =>
  char === 'x' ? [place] : [],
);
const VERSION_PLACE = 14;
const VARIANT_PLACE = 19;
/** The variant digit (binary 10xx) for the hash's digit there: 8, 9, a or b. */
const VARIANT_CODES = [0x38, 0x39, 0x61, 0x62];

/**
 * A name-based UUID (version 5, RFC 9562) of the name given in parts (joined by '/'): the same
 * name gives the same id on every run, so an import run again, or resumed after a crash, appends
 * events the store already has and they are stored once. The parts are written straight into one
 * buffer and hashed in one shot, and the id's text is put together in a reused buffer: a
 * `createHash` object per id, the joined name, and the slices of the hex digest cost the import
 * more than the rest of deriving its events (and made garbage for the collector).
 */
export function derivedUuid(...parts: readonly string[]): string {
  let length = IMPORT_NAMESPACE.length;
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? '';
    // A UTF-16 code unit is at most 3 bytes of UTF-8, and the separator 1.
    const room = length + part.length * 3 + 1;
    if (room > scratch.length) {
      const grown = Buffer.allocUnsafe(Math.max(scratch.length * 2, room));
      scratch.copy(grown, 0, 0, length);
      scratch = grown;
      views = new Map();
    }
    if (index > 0) scratch[length++] = 0x2f; // '/'
    length += scratch.write(part, length);
  }
  let name = views.get(length);
  if (!name) {
    name = scratch.subarray(0, length);
    views.set(length, name);
  }
  const hex = hash('sha1', name, 'hex');
  for (let digit = 0; digit < 32; digit++) uuidText[HEX_PLACES[digit] ?? 0] = hex.charCodeAt(digit);
  uuidText[VERSION_PLACE] = 0x35; // '5'
  const variantDigit = hex.charCodeAt(16);
  const nibble = variantDigit <= 0x39 ? variantDigit - 0x30 : variantDigit - 0x57;
  uuidText[VARIANT_PLACE] = VARIANT_CODES[nibble & 3] ?? 0x38;
  return uuidText.toString('latin1');
}

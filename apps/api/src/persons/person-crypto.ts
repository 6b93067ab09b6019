import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of the person registry's CPR numbers and names, with node:crypto only.
 *
 * - Each person has a random 256-bit data key; their fields are sealed with it (AES-256-GCM).
 * - The data key is stored wrapped (AES-256-GCM) with a key derived from the master key, which
 *   comes from configuration and never reaches the database. Erasing a person deletes the
 *   wrapped key: their ciphertexts can then never be opened again, wherever copies of them are.
 * - CPR search uses a keyed hash (HMAC-SHA256): the CPR space is small enough to hash every
 *   number, so an unkeyed hash would be the number itself.
 *
 * The wrapping key, the search key and the key id are derived from the master key with HKDF
 * under different labels, so no key serves two purposes.
 */

export const MASTER_KEY_BYTES = 32;
const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every sealed value: the format, so a later format can sit beside this one. */
const FORMAT_V1 = 1;
const CIPHER = 'aes-256-gcm';
const HKDF_SALT = 'tovholder/person-data';

/** Sealed fields are bound to their person and field: a ciphertext copied elsewhere fails. */
export type SealedField = 'cpr' | 'name';

/** A value that could not be opened: wrong key, another person's, or tampered with. */
export class PersonDataCryptoError extends Error {
  override name = 'PersonDataCryptoError';
}

export interface MasterKey {
  /**
   * Names the master key (a fingerprint, not the key): stored beside each wrapped key so that a
   * rotation can tell which master key wrapped it, and a wrong key is reported as such.
   */
  readonly id: string;
  readonly wrappingKey: Buffer;
  readonly searchKey: Buffer;
}

function derive(master: Buffer, label: string, bytes: number): Buffer {
  return Buffer.from(hkdfSync('sha256', master, HKDF_SALT, label, bytes));
}

export function masterKeyFrom(secret: Buffer): MasterKey {
  if (secret.length !== MASTER_KEY_BYTES) {
    throw new PersonDataCryptoError(`the master key must be ${MASTER_KEY_BYTES} bytes`);
  }
  return {
    id: derive(secret, 'key-id/v1', 8).toString('hex'),
    wrappingKey: derive(secret, 'wrap-data-key/v1', 32),
    searchKey: derive(secret, 'cpr-search/v1', 32),
  };
}

/** Random bytes are drawn from this pool, refilled a few KiB at a time. */
const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomPoolOffset = 0;

/**
 * Fresh random bytes (IVs, data keys) from the CSPRNG, drawn in bulk: registering a batch of
 * persons takes four draws a person, and one call into the CSPRNG each cost more than sealing.
 * Each answer is a copy that no later draw shares.
 */
function randomFromPool(bytes: number): Buffer {
  if (randomPoolOffset + bytes > randomPool.length) {
    randomPool = randomBytes(Math.max(RANDOM_POOL_BYTES, bytes));
    randomPoolOffset = 0;
  }
  const drawn = Buffer.from(randomPool.subarray(randomPoolOffset, randomPoolOffset + bytes));
  randomPool.fill(0, randomPoolOffset, randomPoolOffset + bytes);
  randomPoolOffset += bytes;
  return drawn;
}

export function seal(key: Buffer, aad: string, plaintext: Buffer): Buffer {
  const iv = randomFromPool(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_V1), iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, aad: string, sealed: Buffer): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) {
    throw new PersonDataCryptoError('not a sealed value of a known format');
  }
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new PersonDataCryptoError('the value does not open with this key');
  }
}

export function newDataKey(): Buffer {
  return randomFromPool(DATA_KEY_BYTES);
}

export function wrapDataKey(master: MasterKey, personId: string, dataKey: Buffer): Buffer {
  return seal(master.wrappingKey, `data-key:${personId}`, dataKey);
}

export function unwrapDataKey(master: MasterKey, personId: string, wrapped: Buffer): Buffer {
  const key = open(master.wrappingKey, `data-key:${personId}`, wrapped);
  if (key.length !== DATA_KEY_BYTES) throw new PersonDataCryptoError('not a data key');
  return key;
}

export function sealField(
  dataKey: Buffer,
  personId: string,
  field: SealedField,
  text: string,
): Buffer {
  return seal(dataKey, `${field}:${personId}`, Buffer.from(text, 'utf8'));
}

export function openField(
  dataKey: Buffer,
  personId: string,
  field: SealedField,
  sealed: Buffer,
): string {
  return open(dataKey, `${field}:${personId}`, sealed).toString('utf8');
}

/** The search hash of a normalised CPR number (DDMMYYSSSS): stable for one master key. */
export function cprSearchHash(master: MasterKey, normalizedCpr: string): Buffer {
  return createHmac('sha256', master.searchKey).update(normalizedCpr, 'utf8').digest();
}

import { randomBytes, randomUUID } from 'node:crypto';
import {
  cprSearchHash,
  masterKeyFrom,
  newDataKey,
  openField,
  PersonDataCryptoError,
  sealField,
  unwrapDataKey,
  wrapDataKey,
} from './person-crypto';

describe('person data crypto', () => {
  const master = masterKeyFrom(randomBytes(32));
  const personId = randomUUID();

  it('round-trips a field through a wrapped data key', () => {
    const dataKey = newDataKey();
    const wrapped = wrapDataKey(master, personId, dataKey);
    const sealed = sealField(dataKey, personId, 'name', 'Åse Ærø-Øster');
    expect(sealed.toString('utf8')).not.toContain('Åse');
    const unwrapped = unwrapDataKey(master, personId, wrapped);
    expect(openField(unwrapped, personId, 'name', sealed)).toBe('Åse Ærø-Øster');
  });

  it('seals the same text differently each time (random IV)', () => {
    const dataKey = newDataKey();
    const a = sealField(dataKey, personId, 'cpr', '0101011234');
    const b = sealField(dataKey, personId, 'cpr', '0101011234');
    expect(a.equals(b)).toBe(false);
  });

  it('does not unwrap with another master key, and says so without the key', () => {
    const wrapped = wrapDataKey(master, personId, newDataKey());
    const other = masterKeyFrom(randomBytes(32));
    expect(other.id).not.toBe(master.id);
    expect(() => unwrapDataKey(other, personId, wrapped)).toThrow(PersonDataCryptoError);
  });

  it('refuses a tampered wrapped key or ciphertext', () => {
    const dataKey = newDataKey();
    const wrapped = wrapDataKey(master, personId, dataKey);
    const sealed = sealField(dataKey, personId, 'cpr', '0101011234');
    for (const [value, check] of [
      [wrapped, (v: Buffer) => unwrapDataKey(master, personId, v)],
      [sealed, (v: Buffer) => openField(dataKey, personId, 'cpr', v)],
    ] as const) {
      for (const index of [1, 14, value.length - 1]) {
        const tampered = Buffer.from(value);
        tampered[index] = tampered[index]! ^ 0x01;
        expect(() => check(tampered)).toThrow(PersonDataCryptoError);
      }
      expect(() => check(value.subarray(0, 20))).toThrow(PersonDataCryptoError);
    }
  });

  it('binds ciphertexts to their person and field', () => {
    const dataKey = newDataKey();
    const sealed = sealField(dataKey, personId, 'cpr', '0101011234');
    expect(() => openField(dataKey, personId, 'name', sealed)).toThrow(PersonDataCryptoError);
    expect(() => openField(dataKey, randomUUID(), 'cpr', sealed)).toThrow(PersonDataCryptoError);
    const wrapped = wrapDataKey(master, personId, dataKey);
    expect(() => unwrapDataKey(master, randomUUID(), wrapped)).toThrow(PersonDataCryptoError);
  });

  it('hashes a CPR number stably under one master key, differently under another', () => {
    const hash = cprSearchHash(master, '0101011234');
    expect(hash).toHaveLength(32);
    expect(cprSearchHash(master, '0101011234').equals(hash)).toBe(true);
    expect(cprSearchHash(master, '0101011235').equals(hash)).toBe(false);
    const same = masterKeyFrom(Buffer.from(master.searchKey)); // a different secret
    expect(cprSearchHash(same, '0101011234').equals(hash)).toBe(false);
    expect(hash.toString('hex')).not.toContain('0101011234');
  });

  it('derives the same keys from the same secret, and refuses a secret of the wrong size', () => {
    const secret = randomBytes(32);
    const a = masterKeyFrom(secret);
    const b = masterKeyFrom(Buffer.from(secret));
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(a.wrappingKey.equals(a.searchKey)).toBe(false);
    expect(cprSearchHash(a, '0101011234').equals(cprSearchHash(b, '0101011234'))).toBe(true);
    const wrapped = wrapDataKey(a, personId, newDataKey());
    expect(() => unwrapDataKey(b, personId, wrapped)).not.toThrow();
    expect(() => masterKeyFrom(randomBytes(16))).toThrow(/32 bytes/);
  });
});

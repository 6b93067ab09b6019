import { loadConfig } from './app-config';

describe('PERSON_DATA_MASTER_KEY', () => {
  const key = Buffer.alloc(32, 9);

  it('is optional on the embedded default (a development key is used then)', () => {
    expect(loadConfig({}).personData.masterKey).toBeNull();
  });

  it('is read as base64 of 32 bytes', () => {
    const config = loadConfig({ PERSON_DATA_MASTER_KEY: key.toString('base64') });
    expect(config.personData.masterKey?.equals(key)).toBe(true);
  });

  it('is required once a database or an identity provider is configured', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x' })).toThrow(
      /PERSON_DATA_MASTER_KEY must be set/,
    );
    expect(() =>
      loadConfig({ AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a', AUTH_JWKS_URL: 'https://idp/jwks' }),
    ).toThrow(/PERSON_DATA_MASTER_KEY must be set/);
    expect(
      loadConfig({
        DATABASE_URL: 'postgres://db/x',
        PERSON_DATA_MASTER_KEY: key.toString('base64'),
      }).personData.masterKey,
    ).not.toBeNull();
  });

  it('refuses a key of the wrong size or not base64, without quoting it', () => {
    for (const value of [Buffer.alloc(16, 1).toString('base64'), 'not base64!', 'c2VjcmV0']) {
      expect(() => loadConfig({ PERSON_DATA_MASTER_KEY: value })).toThrow(
        /^PERSON_DATA_MASTER_KEY must be base64 of exactly 32 bytes$/,
      );
    }
  });
});

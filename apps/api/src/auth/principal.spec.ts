import { loadConfig } from '../config/app-config';
import { principalFrom } from './principal';

describe('principal from token claims', () => {
  it('reads roles, department and caseworker from the configured claims, mapping IdP roles', () => {
    const { auth } = loadConfig({
      AUTH_ROLES_CLAIM: 'groups',
      AUTH_DEPARTMENT_CLAIM: 'dept',
      AUTH_CASEWORKER_CLAIM: 'employee',
      AUTH_ROLE_MAPPING: '{"SAG-Sagsbehandler":"caseworker","SAG-Leder":"team-leader"}',
    });
    expect(
      principalFrom(
        {
          sub: 's-1',
          groups: ['SAG-Sagsbehandler', 'SAG-Leder', 'Unrelated'],
          dept: 'CBU',
          employee: 'cw-1',
        },
        auth,
      ),
    ).toEqual({
      subject: 's-1',
      roles: ['caseworker', 'team-leader'],
      departmentId: 'CBU',
      caseworkerId: 'cw-1',
    });
  });

  it('takes a space-separated roles string; no subject authenticates no one', () => {
    const { auth } = loadConfig({});
    expect(principalFrom({ sub: 's', roles: 'auditor admin' }, auth)?.roles).toEqual([
      'auditor',
      'admin',
    ]);
    expect(principalFrom({ roles: ['admin'] }, auth)).toBeNull();
  });
});

describe('identity provider configuration', () => {
  it('is all three AUTH_* or none; half of it is refused at start-up', () => {
    expect(loadConfig({}).auth.identityProvider).toBeNull();
    expect(
      loadConfig({
        AUTH_ISSUER: 'i',
        AUTH_AUDIENCE: 'a',
        AUTH_JWKS_URL: 'https://idp/jwks',
        PERSON_DATA_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      }).auth.identityProvider,
    ).toEqual({ issuer: 'i', audience: 'a', jwksUrl: 'https://idp/jwks' });
    expect(() => loadConfig({ AUTH_ISSUER: 'i' })).toThrow(/must be set together/);
    expect(() => loadConfig({ AUTH_ROLE_MAPPING: '[1]' })).toThrow(/AUTH_ROLE_MAPPING/);
  });
});

// Authentication over real HTTP: tokens from a test identity provider whose JWKS is served over
// local HTTP, so the production verification path is what runs. Every bad token gets the same
// 401; the subject of a good one is the actor on the events it causes.
import { familyStream } from '@tovholder/domain';
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { devIssuerKeyFile, devIssuerKeys, signDevToken } from '../apps/api/src/auth/dev-issuer';
import { loadConfig } from '../apps/api/src/config/app-config';
import { startTestApp, type TestApp } from './support/test-app';
import { TestIdentityProvider } from './support/test-identity-provider';

const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const valid = () => ({
    iss: TestIdentityProvider.issuer,
    aud: TestIdentityProvider.audience,
    sub: 'caseworker-42',
    roles: ['caseworker'],
    iat: now(),
    exp: now() + 600,
  });

  async function badTokens(): Promise<Record<string, string | null>> {
    const other = await generateKeyPair('ES256');
    return {
      missing: null,
      malformed: 'not-a-jwt',
      'three parts, not JSON': 'abc.def.ghi',
      expired: await t.identityProvider.sign({ ...valid(), iat: now() - 7200, exp: now() - 3600 }),
      'not yet valid': await t.identityProvider.sign({ ...valid(), nbf: now() + 3600 }),
      'wrong issuer': await t.identityProvider.sign({ ...valid(), iss: 'https://evil.invalid' }),
      'wrong audience': await t.identityProvider.sign({ ...valid(), aud: 'another-api' }),
      'no subject': await t.identityProvider.sign({ ...valid(), sub: undefined }),
      'wrong key': await new SignJWT(valid())
        .setProtectedHeader({ alg: 'ES256', kid: 'test' })
        .sign(other.privateKey),
      'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(valid())}.`,
      // The public key offered as an HMAC secret: the classic algorithm-confusion attack.
      'alg HS256 with the public key': await new SignJWT(valid())
        .setProtectedHeader({ alg: 'HS256', kid: 'test' })
        .sign(Buffer.from(JSON.stringify(await exportJWK(other.publicKey)))),
    };
  }

  it('refuses every bad token with the same 401 problem and WWW-Authenticate: Bearer', async () => {
    const bodies = new Set<string>();
    for (const [name, token] of Object.entries(await badTokens())) {
      const call = request(t.rawServer).get('/departments');
      const response = await (token === null ? call : call.set('Authorization', `Bearer ${token}`));
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
      bodies.add(JSON.stringify(response.body));
    }
    const basic = await request(t.rawServer).get('/departments').set('Authorization', 'Basic YTpi');
    expect(basic.status).toBe(401);
    bodies.add(JSON.stringify(basic.body));
    expect(bodies.size).toBe(1);
  });

  it('accepts a good token; health and the API docs need none', async () => {
    const token = await t.tokenFor({ sub: 'caseworker-42', roles: ['caseworker'] });
    await request(t.rawServer)
      .get('/departments')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    await request(t.rawServer).get('/health').expect(200);
    await request(t.rawServer).get('/docs/openapi.json').expect(200);
    const docs = await request(t.rawServer).get('/docs');
    expect([200, 301]).toContain(docs.status);
  });

  it("records the token's subject and roles, and nothing else about the caller, as the actor", async () => {
    const token = await t.tokenFor({
      sub: 'a1b2c3-subject',
      roles: ['coordinator'],
      department: 'CBU',
      name: 'Should Not Be Stored',
    });
    const created = await request(t.rawServer)
      .post('/families')
      .set('Authorization', `Bearer ${token}`)
      .send({})
      .expect(201);
    const familyId = (created.body as { familyId: string }).familyId;
    // The stream, not the global log: readAll waits for other transactions in the cluster.
    const ours = await t.app.get<EventStore>(EVENT_STORE).readStream(familyStream(familyId));
    expect(ours.length).toBeGreaterThan(0);
    for (const event of ours) {
      expect(event.metadata).toMatchObject({
        actor: 'a1b2c3-subject',
        actorRoles: ['coordinator'],
      });
      expect(JSON.stringify(event.metadata)).not.toContain('Should Not Be Stored');
    }
  });

  it('sends helmet security headers', async () => {
    const response = await request(t.rawServer).get('/health').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('gives a CORS preflight from an unknown origin no allow-origin header', async () => {
    const response = await request(t.rawServer)
      .options('/families')
      .set('Origin', 'https://unknown.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limit and configured CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      config: { rateLimitPerMinute: 3, corsOrigins: ['https://tovholder.example'] },
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 problem+json past the limit, counted per subject', async () => {
    const alice = await t.tokenFor({ sub: 'alice' });
    const bob = await t.tokenFor({ sub: 'bob' });
    for (let i = 0; i < 3; i++) {
      await request(t.rawServer)
        .get('/departments')
        .set('Authorization', `Bearer ${alice}`)
        .expect(200);
    }
    const limited = await request(t.rawServer)
      .get('/departments')
      .set('Authorization', `Bearer ${alice}`)
      .expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    await request(t.rawServer)
      .get('/departments')
      .set('Authorization', `Bearer ${bob}`)
      .expect(200);
  });

  it('allows a listed origin', async () => {
    const response = await request(t.rawServer)
      .options('/families')
      .set('Origin', 'https://tovholder.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(response.headers['access-control-allow-origin']).toBe('https://tovholder.example');
  });
});

describe('identity provider unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 503, not 401, when the keys cannot be fetched, and 401 still for a bad token', async () => {
    const token = await t.tokenFor({ sub: 'late-comer', roles: ['caseworker'] });
    await t.identityProvider.close(); // before the app ever fetched its keys
    const refused = await request(t.rawServer)
      .get('/departments')
      .set('Authorization', `Bearer ${token}`)
      .expect(503);
    expect(refused.body).toMatchObject({ code: 'AUTH.IDENTITY_PROVIDER_UNAVAILABLE' });
    await request(t.rawServer)
      .get('/departments')
      .set('Authorization', 'Bearer abc.def.ghi')
      .expect(401);
  });
});

describe('development issuer (no identity provider configured)', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tovholder-dev-issuer-'));
    const defaults = loadConfig({});
    t = await startTestApp({
      config: {
        auth: { ...defaults.auth, identityProvider: null },
        embeddedPostgres: { ...defaults.embeddedPostgres, dataDir: join(dir, 'pg') },
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts what dev-token signs with the key file next to the data, and nothing else', async () => {
    const config = loadConfig({ EMBEDDED_PG_DIR: join(dir, 'pg') });
    const file = devIssuerKeyFile(config);
    expect(file).toBe(join(dir, 'dev-issuer-key.json'));
    const token = await signDevToken(
      await devIssuerKeys(file),
      { subject: 'dev-caseworker', roles: ['caseworker'], departmentId: 'CBU', hours: 1 },
      config.auth,
    );
    await request(t.rawServer)
      .get('/departments')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    // A token from another issuer's key is still refused.
    const foreign = await t.tokenFor({ sub: 'x' });
    await request(t.rawServer)
      .get('/departments')
      .set('Authorization', `Bearer ${foreign}`)
      .expect(401);
  });
});

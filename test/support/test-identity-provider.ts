import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IdentityProvider } from '../../apps/api/src/config/app-config';

export interface TokenClaims {
  sub?: string;
  roles?: string[] | string;
  department?: string;
  caseworker_id?: string;
  [claim: string]: unknown;
}

/**
 * A stand-in for the municipality's identity provider: a real ES256 key pair whose public half
 * is served as a JWKS over local HTTP, so the app verifies tokens exactly as in production.
 */
export class TestIdentityProvider {
  static readonly issuer = 'https://idp.test.tovholder.invalid';
  static readonly audience = 'tovholder-api-test';

  private constructor(
    private readonly server: Server,
    private readonly privateKey: CryptoKey,
    readonly config: IdentityProvider,
  ) {}

  static async start(): Promise<TestIdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), alg: 'ES256', kid: 'test', use: 'sig' };
    const body = JSON.stringify({ keys: [jwk] });
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new TestIdentityProvider(server, privateKey, {
      issuer: TestIdentityProvider.issuer,
      audience: TestIdentityProvider.audience,
      jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    });
  }

  /** A token this provider signs; claims override the defaults (admin, valid for an hour). */
  async token(
    claims: TokenClaims = {},
    options: { expiresIn?: string | number } = {},
  ): Promise<string> {
    const { sub = 'test-admin', ...rest } = claims;
    return new SignJWT({ roles: ['admin'], ...rest })
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setIssuer(this.config.issuer)
      .setAudience(this.config.audience)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(this.privateKey);
  }

  /** Exactly this payload, signed with this provider's key: for tokens that must be refused. */
  async sign(payload: JWTPayload): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .sign(this.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

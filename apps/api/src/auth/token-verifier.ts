import { Logger } from '@nestjs/common';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  jwtVerify,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import type { AppConfig } from '../config/app-config';
import { DEV_AUDIENCE, DEV_ISSUER, devIssuerKeyFile, devIssuerKeys } from './dev-issuer';
import { principalFrom, type Principal } from './principal';

// Asymmetric algorithms only: never 'none', never HMAC (a public key must not become a secret).
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

const CACHE_ENTRIES = 10_000;
/** Bounds how long a key the identity provider withdrew still counts for a token seen before. */
const CACHE_MS = 5 * 60 * 1000;

/** Checks a bearer token's signature, issuer, audience and times; null when any fails. */
export class TokenVerifier {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly options: JWTVerifyOptions,
    private readonly config: AppConfig['auth'],
  ) {}

  static async create(config: AppConfig): Promise<TokenVerifier> {
    const provider = config.auth.identityProvider;
    if (provider) {
      return new TokenVerifier(
        createRemoteJWKSet(new URL(provider.jwksUrl)),
        { issuer: provider.issuer, audience: provider.audience, algorithms: ALGORITHMS },
        config.auth,
      );
    }
    const file = devIssuerKeyFile(config);
    const keys = await devIssuerKeys(file);
    new Logger('Auth').warn(
      `DEVELOPMENT ISSUER ON: no identity provider is configured (AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL), so tokens signed with the key in ${file} are accepted. NEVER USE THIS IN PRODUCTION.`,
    );
    return new TokenVerifier(
      createLocalJWKSet({ keys: [keys.publicJwk] }),
      { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['ES256'] },
      config.auth,
    );
  }

  /**
   * Verified tokens, until they expire (at most CACHE_MS): a case system sends the same token
   * with every request, and checking an ES256/RS256 signature each time is most of what
   * authentication costs. Keyed by the whole token, so a changed byte is verified afresh.
   */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  /** The caller, null for a bad token, or 'unavailable' when the identity provider's keys cannot be had. */
  async verify(token: string): Promise<Principal | null | 'unavailable'> {
    const now = Date.now();
    const cached = this.verified.get(token);
    if (cached && cached.until > now) return cached.principal;
    if (cached) this.verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.keys, this.options);
      const principal = principalFrom(payload, this.config);
      if (principal && typeof payload.exp === 'number')
        this.remember(token, principal, payload.exp, now);
      return principal;
    } catch (error) {
      // The caller learns nothing; an unreachable key set is worth a line in the log.
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID') {
        this.logger.warn(`token not verified: ${error instanceof Error ? error.name : 'unknown'}`);
        return 'unavailable';
      }
      return null;
    }
  }

  private remember(token: string, principal: Principal, exp: number, now: number): void {
    if (this.verified.size >= CACHE_ENTRIES) {
      // Oldest first (a Map keeps insertion order): a bounded cache, not an LRU, is enough here.
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { principal, until: Math.min(exp * 1000, now + CACHE_MS) });
  }
}

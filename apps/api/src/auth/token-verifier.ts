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

  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.keys, this.options);
      return principalFrom(payload, this.config);
    } catch (error) {
      // The caller learns nothing; an unreachable key set is worth a line in the log.
      const code = (error as { code?: unknown }).code;
      if (typeof code !== 'string' || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID') {
        this.logger.warn(`token not verified: ${error instanceof Error ? error.name : 'unknown'}`);
      }
      return null;
    }
  }
}

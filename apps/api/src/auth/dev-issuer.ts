import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppConfig, IdentityProvider } from '../config/app-config';

/** The development issuer's names; a real identity provider never uses them. */
export const DEV_ISSUER = 'urn:tovholder:dev-issuer';
export const DEV_AUDIENCE = 'urn:tovholder:dev';
const ALG = 'ES256';

interface KeyFile {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

/** Next to the embedded PostgreSQL's data, so the API and `npm run dev-token` share one key. */
export function devIssuerKeyFile(config: AppConfig): string {
  return join(dirname(config.embeddedPostgres.dataDir), 'dev-issuer-key.json');
}

/** The key pair, generated on first use and kept in the file (mode 600). */
export async function devIssuerKeys(file: string): Promise<KeyFile> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as KeyFile;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const keys: KeyFile = {
    privateJwk: { ...(await exportJWK(privateKey)), alg: ALG, kid: 'dev' },
    publicJwk: { ...(await exportJWK(publicKey)), alg: ALG, kid: 'dev', use: 'sig' },
  };
  await mkdir(dirname(file), { recursive: true });
  // 'wx': if the API and the CLI race on a fresh machine, the first file wins.
  try {
    await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  } catch {
    return JSON.parse(await readFile(file, 'utf8')) as KeyFile;
  }
  return keys;
}

export interface DevTokenClaims {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly departmentId?: string;
  readonly caseworkerId?: string;
  readonly hours: number;
}

export async function signDevToken(
  keys: KeyFile,
  claims: DevTokenClaims,
  auth: AppConfig['auth'],
): Promise<string> {
  const payload: Record<string, unknown> = { [auth.rolesClaim]: claims.roles };
  if (claims.departmentId) payload[auth.departmentClaim] = claims.departmentId;
  if (claims.caseworkerId) payload[auth.caseworkerClaim] = claims.caseworkerId;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, kid: 'dev' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(`${claims.hours}h`)
    .sign(await importJWK(keys.privateJwk, ALG));
}

export const devIdentityProvider: Omit<IdentityProvider, 'jwksUrl'> = {
  issuer: DEV_ISSUER,
  audience: DEV_AUDIENCE,
};

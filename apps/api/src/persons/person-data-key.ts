import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { MASTER_KEY_BYTES, masterKeyFrom, type MasterKey } from './person-crypto';

export const PERSON_DATA_MASTER_KEY = Symbol('PERSON_DATA_MASTER_KEY');

/** Next to the embedded PostgreSQL's data (like the development issuer's key). */
export function devPersonDataKeyFile(config: AppConfig): string {
  return join(dirname(config.embeddedPostgres.dataDir), 'dev-person-data-key');
}

async function readKeyFile(file: string): Promise<Buffer> {
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== MASTER_KEY_BYTES) throw new Error(`${file} holds no 32-byte key`);
  return key;
}

/** The development master key, generated on first use and kept in the file (mode 600). */
export async function devPersonDataKey(file: string): Promise<Buffer> {
  if (existsSync(file)) return readKeyFile(file);
  const key = randomBytes(MASTER_KEY_BYTES);
  await mkdir(dirname(file), { recursive: true });
  // 'wx': if two processes race on a fresh machine, the first file wins.
  try {
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return readKeyFile(file);
  }
  return key;
}

/**
 * The configured master key; on the embedded default without one, the development key, with a
 * loud warning (loadConfig already refused a configured set-up without the key).
 */
export async function personDataMasterKey(
  config: AppConfig,
  warn: (message: string) => void,
): Promise<MasterKey> {
  if (config.personData.masterKey) return masterKeyFrom(config.personData.masterKey);
  const file = devPersonDataKeyFile(config);
  const key = await devPersonDataKey(file);
  warn(
    `DEVELOPMENT PERSON-DATA KEY: PERSON_DATA_MASTER_KEY is not set, so CPR numbers and names are encrypted with the key in ${file}, kept beside the data it protects. NEVER USE THIS IN PRODUCTION.`,
  );
  return masterKeyFrom(key);
}

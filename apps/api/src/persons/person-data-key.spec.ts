import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { masterKeyFrom } from './person-crypto';
import { devPersonDataKeyFile, personDataMasterKey } from './person-data-key';

describe('the person-data master key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tovholder-person-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('on the embedded default: a development key file beside the data, kept, with a warning', async () => {
    const config = loadConfig({ EMBEDDED_PG_DIR: join(dir, 'pg') });
    const warnings: string[] = [];
    const first = await personDataMasterKey(config, (message) => warnings.push(message));
    const file = devPersonDataKeyFile(config);
    expect(file).toBe(join(dir, 'dev-person-data-key'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([expect.stringMatching(/NEVER USE THIS IN PRODUCTION/)]);
    const again = await personDataMasterKey(config, () => undefined);
    expect(again.id).toBe(first.id);
    expect(masterKeyFrom(Buffer.from(await readFile(file, 'utf8'), 'base64')).id).toBe(first.id);
  });

  it('configured: the configured key, no file, no warning', async () => {
    const secret = randomBytes(32);
    const config = loadConfig({
      EMBEDDED_PG_DIR: join(dir, 'pg'),
      PERSON_DATA_MASTER_KEY: secret.toString('base64'),
    });
    const warnings: string[] = [];
    const key = await personDataMasterKey(config, (message) => warnings.push(message));
    expect(key.id).toBe(masterKeyFrom(secret).id);
    expect(warnings).toEqual([]);
    await expect(stat(devPersonDataKeyFile(config))).rejects.toThrow();
  });
});

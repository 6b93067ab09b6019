// `npm run dev-token -- --role caseworker --department CBU [--caseworker <uuid>] [--hours 8]`:
// prints a token from the development issuer (the key file the API uses on this machine).
import { parseArgs } from 'node:util';
import { ROLES } from './auth/principal';
import { devIssuerKeyFile, devIssuerKeys, signDevToken } from './auth/dev-issuer';
import { loadConfig } from './config/app-config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message: string): never {
  process.stderr.write(`dev-token: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      department: { type: 'string' },
      caseworker: { type: 'string' },
      subject: { type: 'string' },
      hours: { type: 'string', default: '8' },
    },
  });
  const config = loadConfig();
  if (config.auth.identityProvider) {
    fail(
      'an identity provider is configured (AUTH_*), so the API does not accept development tokens',
    );
  }
  const roles = (values.role ?? []).flatMap((role) => role.split(','));
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  if (roles.length === 0 || unknown.length > 0) {
    fail(`--role must be one or more of ${ROLES.join(', ')}`);
  }
  const hours = Number(values.hours);
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 7) fail('--hours must be 1 to 168');
  if (values.caseworker && !UUID.test(values.caseworker)) fail('--caseworker must be a UUID');
  const keys = await devIssuerKeys(devIssuerKeyFile(config));
  const token = await signDevToken(
    keys,
    {
      subject: values.subject ?? values.caseworker ?? `dev-${roles.join('-')}`,
      roles,
      departmentId: values.department,
      caseworkerId: values.caseworker,
      hours,
    },
    config.auth,
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

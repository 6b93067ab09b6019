// The API as its own process on a test's database, for the crash test in alerts.e2e.spec.ts:
// it serves no HTTP, but its alert delivery loop runs until the process is killed.
import type { AppConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';

async function main(): Promise<void> {
  const given = JSON.parse(process.env.ALERTS_CHILD_CONFIG ?? 'null') as
    (Omit<AppConfig, 'personData'> & { personData: { masterKey: string | null } }) | null;
  if (!given) throw new Error('ALERTS_CHILD_CONFIG is not set');
  const config: AppConfig = {
    ...given,
    personData: {
      masterKey: given.personData.masterKey
        ? Buffer.from(given.personData.masterKey, 'base64')
        : null,
    },
  };
  const app = await createApp({ config, logger: false });
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write('READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.name : 'error'}\n`);
  process.exit(1);
});

// The API in its own process on a given database, without access control (every request acts
// as the system actor), for crash tests. Prints "PORT <n>" when it listens. With
// `hang-after-append` it stops dead after its first append to a case stream (prints APPENDED and
// waits to be killed): a process dying mid-command, after its events and before its answer.
import { EVENT_STORE, type EventStore } from '@tovholder/event-store';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { createApp } from '../../apps/api/src/create-app';

async function main(): Promise<void> {
  const [databaseUrl, masterKeyHex, mode] = process.argv.slice(2);
  if (!databaseUrl || !masterKeyHex) throw new Error('usage: api.child.ts <url> <key hex> [mode]');
  const defaults = loadConfig({});
  const app = await createApp({
    config: {
      ...defaults,
      databaseUrl,
      logFormat: 'text',
      rateLimitPerMinute: 1_000_000,
      idempotencyLeaseSeconds: 1,
      personData: { masterKey: Buffer.from(masterKeyHex, 'hex') },
    },
    accessControl: false,
    logger: false,
  });
  if (mode === 'hang-after-append') {
    const store = app.get<EventStore>(EVENT_STORE);
    const append = store.append.bind(store);
    store.append = async (...args: Parameters<EventStore['append']>) => {
      const result = await append(...args);
      if (args[0].startsWith('case-')) {
        process.stdout.write('APPENDED\n');
        await new Promise(() => undefined); // dead from here on: the test kills the process
      }
      return result;
    };
  }
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`PORT ${address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

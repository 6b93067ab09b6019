/**
 * Rebuilds read models from the event log, blue/green: the new version is built into shadow
 * tables while the running API serves the live one, then replaces it in one transaction.
 *   npm run rebuild-projection -- <projector>   (or --all; no argument lists the projectors)
 * Uses the same configuration as the API (DATABASE_URL, KURRENTDB_URL, or the embedded database).
 * Ctrl-C cancels: the shadow is dropped and the live read model stays as it was.
 */
import { rebuildBlueGreen } from '@tovholder/read-models';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from './config/app-config';
import { openCommandLineStores } from './infrastructure/command-line-stores';
import { createProjectors } from './read-models';

async function main(): Promise<number> {
  const config = loadConfig();
  const projectors = createProjectors(config);
  const wanted = process.argv[2];
  if (!wanted) {
    console.log(
      `usage: npm run rebuild-projection -- <name>|--all\nprojectors: ${projectors.map((p) => p.name).join(', ')}`,
    );
    return 2;
  }
  const chosen = wanted === '--all' ? projectors : projectors.filter((p) => p.name === wanted);
  if (chosen.length === 0) {
    console.error(
      `unknown projector "${wanted}"; known: ${projectors.map((p) => p.name).join(', ')}`,
    );
    return 2;
  }

  const { dataSource, store, close } = await openCommandLineStores(config);
  const cancel = new AbortController();
  process.once('SIGINT', () => cancel.abort());
  process.once('SIGTERM', () => cancel.abort());
  try {
    for (const projector of chosen) {
      const bar = new SingleBar(
        {
          format: `${projector.name.padEnd(16)} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left`,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      const result = await rebuildBlueGreen(dataSource, store, projector, {
        signal: cancel.signal,
        progress: {
          start: (total) => bar.start(total ?? 0, 0),
          update: (done) => {
            if (done > bar.getTotal()) bar.setTotal(done);
            bar.update(done);
          },
        },
      }).finally(() => bar.stop());
      console.log(
        `${projector.name}: rebuilt from ${result.events} events and switched over; the live version served meanwhile`,
      );
    }
    return 0;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      `rebuild failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    process.exit(1);
  },
);

/**
 * Rebuilds read models from the event log, blue/green: the new version is built into shadow
 * tables while the running API serves the live one, then replaces it in one transaction.
 *   npm run rebuild-projection -- <projector>   (or --all; no argument lists the projectors)
 * Uses the same configuration as the API (DATABASE_URL, KURRENTDB_URL, or the embedded database).
 * Ctrl-C cancels: the shadow is dropped and the live read model stays as it was. With --all the
 * projectors rebuild side by side, reading each stretch of the log once between them.
 */
import { rebuildsSideBySide } from '@tovholder/read-models';
import { MultiBar, Presets } from 'cli-progress';
import { loadConfig } from './config/app-config';
import { openCommandLineStores } from './infrastructure/command-line-stores';
import { watchCheckpoints } from './infrastructure/postgres-wal';
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
  const bars = new MultiBar(
    {
      format: '{projector} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const checkpointsMeanwhile = await watchCheckpoints(dataSource);
  try {
    const results = await Promise.allSettled(
      rebuildsSideBySide(dataSource, store, chosen, (projector) => {
        const bar = bars.create(0, 0, { projector: projector.name.padEnd(20) });
        return {
          signal: cancel.signal,
          progress: {
            start: (total) => bar.start(total ?? 0, 0, { projector: projector.name.padEnd(20) }),
            update: (done) => {
              if (done > bar.getTotal()) bar.setTotal(done);
              bar.update(done);
            },
          },
        };
      }),
    ).finally(() => bars.stop());
    const failures = results.flatMap((result, i) => {
      const name = chosen[i]?.name ?? '';
      if (result.status === 'fulfilled') {
        const byStream = (result.value.streamOrder?.groups.length ?? 0) > 0;
        console.log(
          `${name}: rebuilt from ${result.value.events} events${byStream ? ' (stream by stream up to the start, then in log order)' : ''} and switched over; the live version served meanwhile`,
        );
        return [];
      }
      console.error(`${name}: not rebuilt; its live version is untouched`);
      return [result.reason instanceof Error ? result.reason : new Error(String(result.reason))];
    });
    const hint = await checkpointsMeanwhile();
    if (hint) console.log(hint);
    if (failures[0]) throw failures[0];
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

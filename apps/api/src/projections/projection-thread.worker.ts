// The projection thread (projection-thread.ts): the projectors' runners on stores of its own.
// Tracing first, as in the API's main: its pg instrumentation must be in place before pg loads.
import { tracing } from '../observability/start-tracing';
import { parentPort, workerData } from 'node:worker_threads';
import { describeError, type ProjectionLogger, type RunnerState } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { openEventStore } from '../infrastructure/event-store.module';
import { readModelDataSourceOptions } from '../read-models';
import {
  PROJECTION_THREAD_APPLICATION,
  type ProjectionThreadCommand,
  type ProjectionThreadData,
  type ProjectionThreadMessage,
} from './projection-thread';
import { createRunners } from './runners';

const STATES_EVERY_MS = 250;
/** Each runner holds a connection for its lock and takes one for its batch. */
const READ_MODEL_CONNECTIONS = 14;
const EVENT_STORE_CONNECTIONS = 6;

function tell(message: ProjectionThreadMessage): void {
  parentPort?.postMessage(message);
}

const logger: ProjectionLogger = {
  log: (message) => tell({ kind: 'log', level: 'log', message }),
  warn: (message) => tell({ kind: 'log', level: 'warn', message }),
  error: (message) => tell({ kind: 'log', level: 'error', message }),
};

async function main(): Promise<void> {
  const { config } = workerData as ProjectionThreadData;
  if (!config.databaseUrl) throw new Error('the projection thread needs the database URL');
  const dataSource = await new DataSource(
    // The API ran the migrations before it started the thread.
    readModelDataSourceOptions(config.databaseUrl, {
      migrationsRun: false,
      poolSize: READ_MODEL_CONNECTIONS,
      // Operators tell its connections (and the runners' locks) apart in pg_stat_activity.
      applicationName: PROJECTION_THREAD_APPLICATION,
    }),
  ).initialize();
  const store = await openEventStore(config, EVENT_STORE_CONNECTIONS);
  const runners = createRunners(dataSource, store, config, logger, (projector, position) =>
    tell({ kind: 'checkpoint', projector, position }),
  );
  let told = '';
  const tellStates = (): void => {
    const states: Record<string, RunnerState> = {};
    for (const runner of runners) states[runner.name] = runner.state;
    const now = JSON.stringify(states);
    if (now !== told) tell({ kind: 'states', states });
    told = now;
  };
  const statesTimer = setInterval(tellStates, STATES_EVERY_MS);

  parentPort?.on('message', (command: ProjectionThreadCommand) => {
    if (command.kind === 'appended') return store.appendedElsewhere?.();
    clearInterval(statesTimer);
    void (async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
      await store.close();
      await dataSource.destroy();
      await tracing?.shutdown(); // the last batches' spans
      tell({ kind: 'stopped' });
    })();
  });
  for (const runner of runners) runner.start();
  tellStates();
}

main().catch((error: unknown) => {
  logger.error(`the projection thread could not start (${describeError(error)})`);
  process.exit(1);
});

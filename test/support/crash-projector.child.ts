// Runs the case-list projector (or the one named after the URL: `casework`, whose catch-up folds
// the next batch while one commits) in its own process and stops dead (waits for SIGKILL) between
// writing its second batch and committing it: a real crash at the worst moment.
import { PostgresEventStore } from '@tovholder/event-store';
import { ProjectionRunner } from '@tovholder/read-models';
import { DataSource } from 'typeorm';
import { CaseListProjector } from '../../apps/api/src/cases/case-list.projector';
import { caseworkPolicyFrom } from '../../apps/api/src/casework/casework.policy';
import { CaseworkProjector } from '../../apps/api/src/casework/casework.projector';
import { loadConfig } from '../../apps/api/src/config/app-config';
import { readModelDataSourceOptions } from '../../apps/api/src/read-models';

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: crash-projector.child.ts <database url>');
  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await new DataSource(readModelDataSourceOptions(url)).initialize();
  let batches = 0;
  const projector =
    process.argv[3] === 'casework'
      ? new CaseworkProjector(caseworkPolicyFrom(loadConfig({})))
      : new CaseListProjector();
  const runner = new ProjectionRunner(dataSource, store, projector, {
    batchSize: 50,
    catchUpBatchSize: 50,
    beforeCommit: async () => {
      batches += 1;
      if (batches === 2) {
        process.stdout.write('ABOUT_TO_COMMIT\n');
        await new Promise(() => undefined); // hold the open transaction until killed
      }
    },
  });
  runner.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

// Runs an import in its own process, reporting each written batch on stdout, so a test can
// kill -9 it mid-import and run it again.
import { PostgresEventStore } from '@tovholder/event-store';
import { DataSource } from 'typeorm';
import { fileLines } from '../../apps/api/src/imports/import-file';
import { MunicipalityImport } from '../../apps/api/src/imports/municipality-import';
import { masterKeyFrom } from '../../apps/api/src/persons/person-crypto';
import { PersonRegistry } from '../../apps/api/src/persons/person-registry';
import { readModelDataSourceOptions } from '../../apps/api/src/read-models';

async function main(): Promise<void> {
  const [url, file, key] = process.argv.slice(2);
  if (!url || !file || !key) throw new Error('usage: import.child.ts <database url> <file> <key>');
  const store = await PostgresEventStore.open({ connectionString: url });
  const dataSource = await new DataSource(readModelDataSourceOptions(url)).initialize();
  const registry = new PersonRegistry(dataSource, masterKeyFrom(Buffer.from(key, 'base64')));
  const run = new MunicipalityImport(store, dataSource, registry, {
    batchStreams: 10,
    onProgress: ({ lines }) => process.stdout.write(`BATCH ${lines}\n`),
  });
  const report = await run.run(fileLines(file));
  process.stdout.write(`DONE ${report.written}\n`);
  await store.close();
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.name : 'error'}\n`);
  process.exit(1);
});

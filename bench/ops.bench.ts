// What request logging and metrics cost: "assign primary contact" over HTTP with 16 clients
// against two app processes on the same database, one with a JSON line per request (nestjs-pino,
// written to /dev/null through pino's asynchronous destination, so serialisation and the write
// are counted but no disk) and the Prometheus metrics (HTTP histogram, append timing), the other
// with neither, in alternating rounds of one run.
import { CLIENTS, deal, withOnOffApps } from './on-off';
import {
  formatNumber,
  formatTable,
  median,
  numberFromEnv,
  percentile,
  writeJsonResult,
  type BenchContext,
} from './support';

const DATABASE = 'bench_ops';
const TARGETS = { p99OverheadMs: 1, throughputRatio: 0.95 };

/** A read with little behind it, so the time per request is mostly the app's own. */
const CHEAP_READ = { method: 'GET', path: '/departments', expectStatus: 200 } as const;
const CHEAP_READS_PER_CLIENT = 250;

/** package.json's engines: ^22.13.0 || >=24.11.0. */
function supportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return (major === 22 && minor >= 13) || (major === 24 && minor >= 11) || major > 24;
}

interface Figure {
  readonly round: number;
  readonly side: 'on' | 'off';
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

export async function runOpsBench(context: BenchContext): Promise<unknown> {
  const families = numberFromEnv('BENCH_OPS_FAMILIES', Math.round(1_000 * context.scale));
  // Rounds on this machine vary by ±15% on their own, so a 5% target needs about ten of each side
  // before the medians settle: three gave 0.80× and 0.98× on the same code.
  const rounds = Math.max(numberFromEnv('BENCH_OPS_ROUNDS', 10), context.rounds);
  return withOnOffApps(
    context,
    {
      database: DATABASE,
      families,
      section: 'ops',
      build: {
        off: { requestLog: false, metrics: false, inputGuards: true },
        on: { requestLog: true, metrics: true, inputGuards: true },
      },
    },
    async ({ data, sides, assign, release, settle, cpuMicroseconds }) => {
      const free = data.familiesWithoutPrimaryContact;
      const figures: Figure[] = [];
      const cheapReads = { on: [] as number[], off: [] as number[] };
      const cpuPerCheapRead = { on: [] as number[], off: [] as number[] };
      // Round 0 warms both up and is not reported.
      for (let round = 0; round <= rounds; round++) {
        for (const side of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          await settle();
          const run = await sides[side].run({ clients: deal(free.map(assign)) });
          await sides[side].run({ clients: deal(free.map(release)) });
          const failures = Object.entries(run.failures);
          if (failures.length > 0)
            throw new Error(`ops: unexpected answers ${JSON.stringify(failures)}`);
          await settle();
          const cpuBefore = await cpuMicroseconds(side);
          const reads = await sides[side].run({
            clients: Array.from({ length: CLIENTS }, () =>
              Array.from({ length: CHEAP_READS_PER_CLIENT }, () => CHEAP_READ),
            ),
          });
          if (Object.keys(reads.failures).length > 0)
            throw new Error(`ops: unexpected answers ${JSON.stringify(reads.failures)}`);
          const cpuUsed = (await cpuMicroseconds(side)) - cpuBefore;
          if (round === 0) continue;
          cheapReads[side].push(reads.opsPerSecond);
          cpuPerCheapRead[side].push(cpuUsed / reads.ops);
          figures.push({
            round,
            side,
            ops: run.ops,
            opsPerSecond: run.opsPerSecond,
            p50: percentile(run.latenciesMs, 50),
            p99: percentile(run.latenciesMs, 99),
          });
        }
      }

      const of = (side: 'on' | 'off', pick: (f: Figure) => number) =>
        median(figures.filter((f) => f.side === side).map(pick));
      const p99Overhead = of('on', (f) => f.p99) - of('off', (f) => f.p99);
      const p50Overhead = of('on', (f) => f.p50) - of('off', (f) => f.p50);
      const ratio = of('on', (f) => f.opsPerSecond) / of('off', (f) => f.opsPerSecond);
      // Both sides saturate the process on a cheap read, so the difference in time per request
      // is what the log line and the metrics add to every request.
      const cheapOn = median(cheapReads.on);
      const cheapOff = median(cheapReads.off);
      const addedMicroseconds = 1e6 / cheapOn - 1e6 / cheapOff;
      // The app process's own CPU time per request: what the feature costs, whatever the clients
      // and the database did meanwhile.
      const cpuOn = median(cpuPerCheapRead.on);
      const cpuOff = median(cpuPerCheapRead.off);
      console.log(
        `\nops: "assign primary contact", ${CLIENTS} clients, ${formatNumber(free.length)} assignments per figure, request log + metrics on vs off (alternating rounds)\n`,
      );
      console.log(
        formatTable(
          ['round', 'logs+metrics', 'ops/s', 'p50 ms', 'p99 ms'],
          figures.map((f) => [
            String(f.round),
            f.side,
            formatNumber(f.opsPerSecond),
            f.p50.toFixed(2),
            f.p99.toFixed(2),
          ]),
          ['right', 'left', 'right', 'right', 'right'],
        ),
      );
      const verdicts = [
        ['p50 overhead (median of rounds)', `${p50Overhead.toFixed(2)} ms`, '', ''],
        [
          'p99 overhead (median of rounds)',
          `${p99Overhead.toFixed(2)} ms`,
          `< ${TARGETS.p99OverheadMs} ms`,
          p99Overhead < TARGETS.p99OverheadMs ? 'met' : 'MISSED',
        ],
        [
          'throughput on / off',
          `${ratio.toFixed(3)}×`,
          `≥ ${TARGETS.throughputRatio}×`,
          ratio >= TARGETS.throughputRatio ? 'met' : 'MISSED',
        ],
      ];
      console.log(`\n${formatTable(['figure', 'value', 'target', 'verdict'], verdicts)}\n`);
      console.log(
        `runtime: Node ${process.versions.node} (both apps), ${
          supportedNode(process.versions.node)
            ? "within package.json's engines"
            : "OUTSIDE package.json's engines: Node 20 keeps AsyncLocalStorage (nestjs-pino's request context) on promise hooks, which slow every promise; for a supported one: npx -p node@24 -c 'npm run bench'"
        }\n`,
      );
      console.log(
        `cheap read (${CHEAP_READ.method} ${CHEAP_READ.path}, ${CLIENTS} clients, medians of ${rounds} rounds): ` +
          `${formatNumber(cheapOn)}/s on, ${formatNumber(cheapOff)}/s off, ` +
          `so logging and metrics add ${addedMicroseconds.toFixed(0)} µs of wall time per request; ` +
          `the app process's CPU per request: ${cpuOn.toFixed(0)} µs on, ${cpuOff.toFixed(0)} µs off ` +
          `(+${(cpuOn - cpuOff).toFixed(0)} µs)\n`,
      );
      const result = {
        families,
        clients: CLIENTS,
        figures,
        p50Overhead,
        p99Overhead,
        ratio,
        cheapRead: {
          onPerSecond: cheapOn,
          offPerSecond: cheapOff,
          addedMicroseconds,
          cpuMicrosecondsPerRequest: { on: cpuOn, off: cpuOff },
        },
        targets: TARGETS,
      };
      await writeJsonResult('ops', result);
      return result;
    },
  );
}

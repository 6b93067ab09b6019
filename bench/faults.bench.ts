// What the input guards of issue 14 cost: the body depth/width bound (before anything walks a
// body) and the real-date check (30 February, year 9999), on "assign primary contact" and on
// "tell the family" (the same flow's step with a date-time, `toldAt`), 16 clients over HTTP
// against two app processes on one database: one as built, one built with `inputGuards: false` (a
// createApp option only benchmarks use), in alternating rounds of one run.
import { performance } from 'node:perf_hooks';
import { AssignPrimaryContactDto, RecordToldDto } from '../apps/api/src/families/family.dto';
import { parseIsoDateTime } from '../apps/api/src/http/fields';
import { bodyShapeProblem } from '../apps/api/src/http/request-shape';
import { createValidationPipe } from '../apps/api/src/http/validation';
import type { HttpStep } from './http-clients';
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

const DATABASE = 'bench_faults';
const TARGETS = { p99OverheadMs: 0.5 };
const COMMANDS = ['assign primary contact', 'tell the family (toldAt)'] as const;
type Command = (typeof COMMANDS)[number];
type Side = 'on' | 'off';

interface Figure {
  readonly command: Command;
  readonly round: number;
  readonly side: Side;
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * The guards alone, in this process, without HTTP: what the bound and the validation pipe (with
 * the real-date check, or taking dates as `new Date()` does) cost per body. End-to-end figures on
 * a busy 2-core machine vary by more than this; it says what there is to find.
 */
async function inProcessMicroseconds(rounds: number): Promise<string[][]> {
  const calls = 50_000;
  const caseworkerId = '7b0e3c6e-2f7a-4e0b-9a43-3f1d0c6a9b21';
  const toldAt = '2026-03-02T10:00:00Z';
  const told = { channel: 'phone', toldAt };
  const bodies = [
    { name: 'assign primary contact', metatype: AssignPrimaryContactDto, body: { caseworkerId } },
    {
      name: 'tell the family (toldAt)',
      metatype: RecordToldDto,
      body: told,
    },
  ];
  const pipes = { on: createValidationPipe(), off: createValidationPipe({ inputGuards: false }) };
  const rows: string[][] = [];
  for (const { name, metatype, body } of bodies) {
    const perCall = { on: [] as number[], off: [] as number[] };
    for (let round = 0; round <= rounds; round++) {
      for (const side of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const started = performance.now();
        for (let i = 0; i < calls; i++) {
          if (side === 'on' && bodyShapeProblem(body) !== null) throw new Error('refused');
          await pipes[side].transform({ ...body }, { type: 'body', metatype });
        }
        if (round > 0) perCall[side].push(((performance.now() - started) * 1000) / calls);
      }
    }
    const on = median(perCall.on);
    const off = median(perCall.off);
    rows.push([name, on.toFixed(1), off.toFixed(1), (on - off).toFixed(1)]);
  }
  // The two guards' own code, synchronous, against doing nothing / what `new Date()` did.
  const loops = 1_000_000;
  const timed = (work: () => unknown) => {
    const started = performance.now();
    for (let i = 0; i < loops; i++) work();
    return ((performance.now() - started) * 1000) / loops;
  };
  const bound = median(Array.from({ length: rounds }, () => timed(() => bodyShapeProblem(told))));
  const checked = median(
    Array.from({ length: rounds }, () => timed(() => parseIsoDateTime(toldAt))),
  );
  const unchecked = median(Array.from({ length: rounds }, () => timed(() => new Date(toldAt))));
  rows.push(['body bound alone (told body)', bound.toFixed(2), '0', bound.toFixed(2)]);
  rows.push([
    'real-date check alone (toldAt)',
    checked.toFixed(2),
    unchecked.toFixed(2),
    (checked - unchecked).toFixed(2),
  ]);
  return rows;
}

export async function runFaultsBench(context: BenchContext): Promise<unknown> {
  const families = numberFromEnv('BENCH_FAULTS_FAMILIES', Math.round(1_000 * context.scale));
  const rounds = Math.max(3, context.rounds);
  return withOnOffApps(
    context,
    {
      database: DATABASE,
      families,
      section: 'faults',
      build: {
        off: { requestLog: false, metrics: true, inputGuards: false },
        on: { requestLog: false, metrics: true, inputGuards: true },
      },
    },
    async ({ data, sides, assign, release, settle }) => {
      const free = data.familiesWithoutPrimaryContact;
      const tell =
        (toldAt: string) =>
        (familyId: string): HttpStep => ({
          method: 'POST',
          path: `/families/${familyId}/primary-contact/told`,
          body: { channel: 'phone', toldAt },
          expectStatus: 200,
        });
      const figures: Figure[] = [];
      // Round 0 warms both up and is not reported.
      for (let round = 0; round <= rounds; round++) {
        for (const side of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
          await settle();
          const runs = {
            'assign primary contact': await sides[side].run({ clients: deal(free.map(assign)) }),
            'tell the family (toldAt)': await sides[side].run({
              clients: deal(free.map(tell(new Date().toISOString()))),
            }),
          };
          await sides[side].run({ clients: deal(free.map(release)) });
          for (const command of COMMANDS) {
            const run = runs[command];
            const failures = Object.entries(run.failures);
            if (failures.length > 0)
              throw new Error(`faults: ${command}: unexpected answers ${JSON.stringify(failures)}`);
            if (round === 0) continue;
            figures.push({
              command,
              round,
              side,
              ops: run.ops,
              opsPerSecond: run.opsPerSecond,
              p50: percentile(run.latenciesMs, 50),
              p99: percentile(run.latenciesMs, 99),
            });
          }
        }
      }

      const of = (command: Command, side: Side, pick: (f: Figure) => number) =>
        median(figures.filter((f) => f.command === command && f.side === side).map(pick));
      console.log(
        `\nfaults: ${CLIENTS} clients, ${formatNumber(free.length)} commands per figure, body bound + real-date check on vs off (alternating rounds; the off app also runs the projectors)\n`,
      );
      console.log(
        formatTable(
          ['command', 'round', 'guards', 'ops/s', 'p50 ms', 'p99 ms'],
          figures.map((f) => [
            f.command,
            String(f.round),
            f.side,
            formatNumber(f.opsPerSecond),
            f.p50.toFixed(2),
            f.p99.toFixed(2),
          ]),
          ['left', 'right', 'left', 'right', 'right', 'right'],
        ),
      );
      const summary = COMMANDS.map((command) => {
        const p50Overhead = of(command, 'on', (f) => f.p50) - of(command, 'off', (f) => f.p50);
        const p99Overhead = of(command, 'on', (f) => f.p99) - of(command, 'off', (f) => f.p99);
        const ratio =
          of(command, 'on', (f) => f.opsPerSecond) / of(command, 'off', (f) => f.opsPerSecond);
        return { command, p50Overhead, p99Overhead, ratio };
      });
      console.log(
        `\n${formatTable(
          [
            'command (medians of rounds)',
            'p50 overhead',
            'p99 overhead',
            'ops/s on / off',
            'target',
            'verdict',
          ],
          summary.map((s) => [
            s.command,
            `${s.p50Overhead.toFixed(2)} ms`,
            `${s.p99Overhead.toFixed(2)} ms`,
            `${s.ratio.toFixed(3)}×`,
            `p99 < ${TARGETS.p99OverheadMs} ms`,
            s.p99Overhead < TARGETS.p99OverheadMs ? 'met' : 'MISSED',
          ]),
        )}\n`,
      );
      const inProcess = await inProcessMicroseconds(rounds);
      console.log(
        `${formatTable(
          ['in process, no HTTP (medians)', 'µs/body on', 'µs/body off', 'added µs'],
          inProcess,
          ['left', 'right', 'right', 'right'],
        )}\n`,
      );
      const result = { families, clients: CLIENTS, figures, summary, inProcess, targets: TARGETS };
      await writeJsonResult('faults', result);
      return result;
    },
  );
}

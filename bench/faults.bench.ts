// What the input guards of issue 14 cost: the body depth/width bound (before anything walks a
// body) and the real-date check (30 February, year 9999), on "assign primary contact" and on
// "tell the family" (the same flow's step with a date-time, `toldAt`), 16 clients over HTTP
// against two apps on one database: one as built, one built with `inputGuards: false` (a
// createApp option only benchmarks use), in alternating rounds of one run.
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../apps/api/src/create-app';
import { readModelDataSourceOptions } from '../apps/api/src/read-models';
import { generateMunicipality } from './generate-municipality';
import { HttpClients, type HttpStep } from './http-clients';
import { caughtUp, deal, listening } from './ops.bench';
import {
  benchAppConfig,
  createDatabase,
  dropDatabase,
  formatNumber,
  formatTable,
  median,
  numberFromEnv,
  percentile,
  writeJsonResult,
  type BenchContext,
} from './support';

const DATABASE = 'bench_faults';
const CLIENTS = 16;
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

export async function runFaultsBench(context: BenchContext): Promise<unknown> {
  const { log } = context;
  const families = numberFromEnv('BENCH_FAULTS_FAMILIES', Math.round(1_000 * context.scale));
  const rounds = Math.max(3, context.rounds);
  const url = await createDatabase(context.connectionString, DATABASE);
  const apps: INestApplication[] = [];
  const clients: HttpClients[] = [];
  try {
    await (await new DataSource(readModelDataSourceOptions(url)).initialize()).destroy();
    log(`faults: generating ${formatNumber(families)} families`);
    const data = await generateMunicipality(url, {
      families,
      casesPerFamily: 4,
      caseworkers: 40,
      primaryContactShare: 0.2,
      log,
    });
    const { config, token } = await benchAppConfig(url);
    // Off runs the projectors for both (one process): the guarded side is not the one favoured.
    const off = await createApp({ config, logger: false, inputGuards: false });
    apps.push(off);
    const offUrl = await listening(off);
    await caughtUp(offUrl, token);
    const on = await createApp({
      config: { ...config, projections: { ...config.projections, enabled: false } },
      logger: false,
    });
    apps.push(on);
    const onUrl = await listening(on);
    const sides = {
      off: await HttpClients.start(offUrl, CLIENTS, token),
      on: await HttpClients.start(onUrl, CLIENTS, token),
    };
    clients.push(sides.off, sides.on);

    const free = data.familiesWithoutPrimaryContact;
    let caseworker = 0;
    const assign = (familyId: string): HttpStep => ({
      method: 'PUT',
      path: `/families/${familyId}/primary-contact`,
      body: { caseworkerId: data.caseworkerIds[caseworker++ % data.caseworkerIds.length] ?? '' },
      expectStatus: 200,
    });
    const tell =
      (toldAt: string) =>
      (familyId: string): HttpStep => ({
        method: 'POST',
        path: `/families/${familyId}/primary-contact/told`,
        body: { channel: 'phone', toldAt },
        expectStatus: 200,
      });
    const release = (familyId: string): HttpStep => ({
      method: 'POST',
      path: `/families/${familyId}/primary-contact/release`,
      body: { reason: 'bench: released for the next round' },
      expectStatus: 200,
    });
    const figures: Figure[] = [];
    // Round 0 warms both up and is not reported.
    for (let round = 0; round <= rounds; round++) {
      for (const side of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
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
    const result = { families, clients: CLIENTS, figures, summary, targets: TARGETS };
    await writeJsonResult('faults', result);
    return result;
  } finally {
    for (const c of clients) await c.close();
    for (const app of apps.reverse()) await app.close();
    await dropDatabase(context.connectionString, DATABASE);
  }
}

// Alerts (issue 15): raising the alerts of a municipality's open duties after the alert run was
// down for 3 days; webhook delivery throughput beside a plain loop of the same POSTs; and the
// p99 a command gains while deliveries run.
//
// The open duties are appended to the event store as inquiries (received, a third of them
// acknowledged) and the running app's projectors build the alert schedule from them, as in
// production; the figure is the alert run's after that. BENCH_ALERT_OPEN_DUTIES (default 40,000:
// one per open case of the municipal dataset in domain.md) sets how many.
import { inquiryStream } from '@tovholder/domain';
import { EVENT_STORE, type EventStore, type StreamAppend } from '@tovholder/event-store';
import { CheckpointWatcher } from '@tovholder/read-models';
import { randomInt, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import { AlertDelivery } from '../apps/api/src/alerts/alert-delivery.service';
import { AlertRun } from '../apps/api/src/alerts/alert-run.service';
import { alertColumns, alertPayload, type AlertRow } from '../apps/api/src/alerts/alert-records';
import { signWebhook } from '../apps/api/src/alerts/webhook-signature';
import type { AppConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';
import { createProjectors } from '../apps/api/src/read-models';
import type { Clock } from '../apps/api/src/shared/clock';
import {
  benchAppConfig,
  createDatabase,
  dropDatabase,
  formatNumber,
  formatTable,
  median,
  percentile,
  scaled,
  writeJsonResult,
  type BenchContext,
} from './support';

const DAY = 86_400_000;
const CONCURRENCY = 16; // the delivery loop's POSTs in flight
const DEPARTMENTS = ['CBU', 'CHP', 'JOBCENTER', 'UU', 'UNGEENHEDEN'];
const STREAMS_PER_APPEND = 500;
const APPENDERS = 4;

/** The streams of `count` open inquiries, received over the 10 days before `t0`. */
function openInquiries(count: number, t0: Date): StreamAppend[] {
  return Array.from({ length: count }, (_, n) => {
    const inquiryId = randomUUID();
    const at = new Date(t0.getTime() - (n % 240) * 3_600_000);
    const received = {
      id: randomUUID(),
      type: 'InquiryReceived',
      data: {
        inquiryId,
        personId: randomUUID(),
        departmentId: DEPARTMENTS[n % DEPARTMENTS.length]!,
        caseId: null,
        channel: 'e-mail',
        receivedAt: at.toISOString(),
      },
    };
    const acknowledged = {
      id: randomUUID(),
      type: 'InquiryAcknowledged',
      data: {
        inquiryId,
        channel: 'e-mail',
        acknowledgedAt: new Date(at.getTime() + 3_600_000).toISOString(),
        answerPromisedBy: new Date(at.getTime() + (n % 12) * DAY).toISOString().slice(0, 10),
      },
    };
    return {
      streamId: inquiryStream(inquiryId),
      events: n % 3 === 0 ? [received, acknowledged] : [received],
      expected: 'no_stream' as const,
    };
  });
}

/** Appends the streams (several appenders, many streams per append); the log's head after. */
async function appendAll(store: EventStore, streams: readonly StreamAppend[]) {
  let next = 0;
  const appender = async () => {
    while (next < streams.length) {
      const chunk = streams.slice(next, next + STREAMS_PER_APPEND);
      next += STREAMS_PER_APPEND;
      await store.appendMany(chunk);
    }
  };
  await Promise.all(Array.from({ length: APPENDERS }, appender));
  return (await store.headPosition())!;
}

/** A receiver in a process of its own, as a case system would be, answering 204 after a delay. */
const RECEIVER = `
const { createServer } = require('node:http');
const delayMs = Number(process.argv[1]);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (delayMs === 0) res.writeHead(204).end();
    else setTimeout(() => res.writeHead(204).end(), delayMs);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function startReceiver(delayMs: number): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', RECEIVER, String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`receiver exited (${code})`)));
  });
  return { process: child, url: `http://127.0.0.1:${port}/hook` };
}

export async function runAlertsBench(context: BenchContext): Promise<unknown> {
  const { log } = context;
  const duties = Math.round(Number(process.env.BENCH_ALERT_OPEN_DUTIES ?? 40_000));
  const deliveries = scaled(3_000, context.scale);
  const commands = scaled(300, context.scale);
  const url = await createDatabase(context.connectionString, 'bench_alerts');
  const { config, token } = await benchAppConfig(url);
  let now = new Date();
  const clock: Clock = { now: () => new Date(now) };
  const appConfig: AppConfig = {
    ...config,
    // The bench drives the run and the delivery loop itself.
    alerts: { ...config.alerts, schedulerCheckMs: 3_600_000, deliveryPollMs: 3_600_000 },
  };
  const app = await createApp({
    config: appConfig,
    clock,
    logger: false,
  });
  const fast = await startReceiver(0);
  const slow = await startReceiver(20);
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
    const base = `http://127.0.0.1:${port}`;
    const send = async (path: string, body: object) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 200)}`);
      return JSON.parse(text) as Record<string, string>;
    };
    const run = app.get(AlertRun);
    const delivery = app.get(AlertDelivery);

    // 1. The run judged everything 3 days ago, then was down; now it catches up.
    const realNow = new Date();
    const t0 = new Date(realNow.getTime() - 3 * DAY);
    const store = app.get<EventStore>(EVENT_STORE);
    const appending = performance.now();
    const head = await appendAll(store, openInquiries(duties, t0));
    const appendSeconds = (performance.now() - appending) / 1000;
    // Every projector, so none is still at work while the run is timed.
    const watcher = app.get(CheckpointWatcher);
    for (const projector of createProjectors(appConfig)) {
      await watcher.waitFor(projector.name, head, 1_800_000);
    }
    const projectSeconds = (performance.now() - appending) / 1000 - appendSeconds;
    log(
      `alerts: ${formatNumber(duties)} open inquiries appended in ${appendSeconds.toFixed(1)} s, projected in ${projectSeconds.toFixed(1)} s`,
    );
    now = t0;
    let started = performance.now();
    const first = (await run.run())!;
    const firstSeconds = (performance.now() - started) / 1000;
    now = realNow;
    started = performance.now();
    const caughtUp = (await run.run())!;
    const catchUpSeconds = (performance.now() - started) / 1000;
    log(
      `alerts: catch-up after 3 days raised ${caughtUp.raised} in ${catchUpSeconds.toFixed(1)} s`,
    );

    // 2. Delivery throughput beside a plain loop of the same POSTs.
    const subscription = await send('/alert-subscriptions', { url: fast.url });
    const db = new Client({ connectionString: url });
    await db.connect();
    const rows = (
      await db.query<AlertRow>(`SELECT ${alertColumns()} FROM alerts ORDER BY seq LIMIT $1`, [
        deliveries,
      ])
    ).rows;
    const queue = async (subscriptionId: string) => {
      await db.query('DELETE FROM alert_deliveries');
      await db.query(
        `INSERT INTO alert_deliveries (alert_id, subscription_id, subject_key, status, next_attempt_at, created_at)
         SELECT alert_id, $1, subject_kind || ':' || subject_id, 'pending', now(), now()
           FROM alerts ORDER BY seq LIMIT $2`,
        [subscriptionId, deliveries],
      );
    };
    const plainLoop = async () => {
      let next = 0;
      const worker = async () => {
        while (next < rows.length) {
          const row = rows[next++]!;
          const body = JSON.stringify(alertPayload(row));
          const timestamp = Math.floor(Date.now() / 1000);
          const response = await fetch(fast.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'webhook-id': row.alert_id,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': signWebhook(subscription.secret!, row.alert_id, timestamp, body),
            },
            body,
          });
          await response.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    };
    const outboxRates: number[] = [];
    const plainRates: number[] = [];
    // This process's CPU per delivery (the event loop commands share), less sensitive to the
    // machine's other load than the rates.
    const outboxCpu: number[] = [];
    const plainCpu: number[] = [];
    const cpuMicros = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / rows.length;
    };
    for (let round = 0; round < context.rounds; round++) {
      await queue(subscription.subscriptionId!);
      started = performance.now();
      let cpu = process.cpuUsage();
      const sent = await delivery.drain();
      outboxCpu.push(cpuMicros(cpu));
      if (sent !== rows.length) throw new Error(`delivered ${sent} of ${rows.length}`);
      outboxRates.push(rows.length / ((performance.now() - started) / 1000));
      started = performance.now();
      cpu = process.cpuUsage();
      await plainLoop();
      plainCpu.push(cpuMicros(cpu));
      plainRates.push(rows.length / ((performance.now() - started) / 1000));
    }
    const outboxRate = median(outboxRates);
    const plainRate = median(plainRates);

    // 3. A command's latency, alone and while a backlog goes to a slow receiver.
    // A made-up CPR number (random serial) on a fresh database.
    const serial = String(randomInt(0, 10_000)).padStart(4, '0');
    const person = await send('/persons', { cpr: `010190-${serial}`, name: 'Bench Person' });
    const command = async (): Promise<number> => {
      const at = performance.now();
      await send('/inquiries', {
        personId: person.personId,
        departmentId: 'CBU',
        channel: 'e-mail',
      });
      return performance.now() - at;
    };
    const measure = async () => {
      const times: number[] = [];
      for (let i = 0; i < commands; i++) times.push(await command());
      return times.sort((a, b) => a - b);
    };
    for (let i = 0; i < 20; i++) await command(); // warm-up
    const slowSubscription = await send('/alert-subscriptions', { url: slow.url });
    const quiet: number[] = [];
    const busy: number[] = [];
    for (let round = 0; round < context.rounds; round++) {
      quiet.push(percentile(await measure(), 0.99));
      await queue(slowSubscription.subscriptionId!);
      const draining = delivery.drain();
      busy.push(percentile(await measure(), 0.99));
      await db.query("UPDATE alert_deliveries SET status = 'delivered' WHERE status = 'pending'");
      await draining;
    }
    await db.end();
    const quietP99 = median(quiet);
    const busyP99 = median(busy);
    log(
      `alerts: p99 added per round (ms): ${busy.map((b, i) => (b - quiet[i]!).toFixed(2)).join(', ')}`,
    );

    const result = {
      dataset: `${duties} open inquiries appended as events; the alert schedule projected from them`,
      appendSeconds,
      projectSeconds,
      firstRun: { ...first, seconds: firstSeconds },
      catchUpAfter3Days: { ...caughtUp, seconds: catchUpSeconds, targetSeconds: 60 },
      delivery: {
        count: rows.length,
        outboxPerSecond: outboxRate,
        plainLoopPerSecond: plainRate,
        ratio: outboxRate / plainRate,
        target: 0.5,
        cpuMicrosPerDelivery: median(outboxCpu),
        plainLoopCpuMicrosPerPost: median(plainCpu),
      },
      commandP99Ms: {
        quiet: quietP99,
        whileDelivering: busyP99,
        added: busyP99 - quietP99,
        targetAddedMs: 2,
      },
    };
    console.log('== Alerts ==');
    console.log(`dataset: ${result.dataset}`);
    console.log(
      formatTable(
        ['figure', 'value', 'baseline', 'ratio / target'],
        [
          [
            `first run (${formatNumber(duties)} records judged)`,
            `${firstSeconds.toFixed(1)} s, ${formatNumber(first.raised)} raised`,
            '',
            '',
          ],
          [
            'catch-up after a 3-day outage',
            `${catchUpSeconds.toFixed(1)} s: ${formatNumber(caughtUp.judged)} judged, ${formatNumber(caughtUp.raised)} raised, ${formatNumber(caughtUp.stopped)} stopped, ${formatNumber(caughtUp.escalated)} escalated`,
            '',
            `target < 60 s`,
          ],
          [
            `webhook deliveries (${formatNumber(rows.length)}, ${CONCURRENCY} at a time)`,
            `${formatNumber(outboxRate)}/s`,
            `plain loop ${formatNumber(plainRate)}/s`,
            `${(outboxRate / plainRate).toFixed(2)}× (target ≥ 0.5×)`,
          ],
          [
            'CPU of this process per delivery (the event loop commands share)',
            `${median(outboxCpu).toFixed(0)} µs`,
            `plain loop (fetch) ${median(plainCpu).toFixed(0)} µs`,
            `${(median(outboxCpu) / median(plainCpu)).toFixed(2)}×`,
          ],
          [
            `p99 of POST /inquiries (${commands} sequential)`,
            `${busyP99.toFixed(2)} ms while delivering to a 20 ms receiver`,
            `${quietP99.toFixed(2)} ms without`,
            `+${(busyP99 - quietP99).toFixed(2)} ms (target < 2 ms)`,
          ],
        ],
      ),
    );
    await writeJsonResult('alerts', result);
    return result;
  } finally {
    await app.close();
    fast.process.kill();
    slow.process.kill();
    await dropDatabase(context.connectionString, 'bench_alerts');
  }
}

// What the alert tests share: fast delivery timings, a local webhook receiver that checks the
// signature as a receiver would, and a run of the alert scheduler over HTTP.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { AppConfig } from '../apps/api/src/config/app-config';
import type { TestApp } from './support/test-app';

/** Fast delivery timings: retries in tens of milliseconds, parked after two seconds. */
export const FAST_ALERTS: AppConfig['alerts'] = {
  schedulerCheckMs: 3_600_000, // the tests run the alert run themselves
  escalationWorkingDays: 2,
  deliveryEnabled: true,
  deliveryPollMs: 50,
  deliveryTimeoutMs: 1_000,
  retryBaseMs: 40,
  retryMaxMs: 200,
  retryForMs: 2_000,
  youthUnitDepartmentId: 'UNGEENHEDEN',
};

export interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly body: string;
  status: number;
}

/** A webhook receiver on 127.0.0.1: records every request; `answer` decides the status. */
export class Receiver {
  readonly requests: Received[] = [];
  answer: (request: Received) => number | 'hang' = () => 200;
  private readonly hanging: ServerResponse[] = [];
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const receiver: Receiver = new Receiver(
      createServer((req, res) => void receiver.handle(req, res)),
    );
    await new Promise<void>((done) => receiver.server.listen(0, '127.0.0.1', done));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const received: Received = {
      id: String(req.headers['webhook-id']),
      timestamp: String(req.headers['webhook-timestamp']),
      signature: String(req.headers['webhook-signature']),
      body: Buffer.concat(chunks).toString('utf8'),
      status: 0,
    };
    this.requests.push(received);
    const answer = this.answer(received);
    if (answer === 'hang') {
      this.hanging.push(res);
      return;
    }
    received.status = answer;
    res.writeHead(answer).end();
  }

  /** Alert ids answered 2xx, with how often. */
  deliveredIds(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.requests.filter((r) => r.status >= 200 && r.status < 300)) {
      counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    }
    return counts;
  }

  async until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    for (const started = Date.now(); Date.now() - started < timeoutMs;) {
      if (check()) return;
      await new Promise((done) => setTimeout(done, 20));
    }
    throw new Error(`receiver: ${what} did not happen within ${timeoutMs} ms`);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }
}

/** What a receiver does with the Standard Webhooks headers, written here from the convention. */
export function verifiedByReceiver(secret: string, r: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${r.id}.${r.timestamp}.${r.body}`)
    .digest('base64');
  const fresh = Math.abs(Date.now() / 1000 - Number(r.timestamp)) < 300;
  return (
    fresh &&
    r.signature.split(' ').some((candidate) => {
      const [version, mac] = candidate.split(',');
      const given = Buffer.from(mac ?? '');
      const wanted = Buffer.from(expected);
      return version === 'v1' && given.length === wanted.length && timingSafeEqual(given, wanted);
    })
  );
}

export async function runAlerts(t: TestApp) {
  return (await request(t.server).post('/alerts/scheduler/run').expect(200)).body as {
    judged: number;
    raised: number;
    stopped: number;
    escalated: number;
  };
}

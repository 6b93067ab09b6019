// Concurrent HTTP clients in a worker thread. The app under test runs in the bench's main
// thread; clients on that same event loop would queue their timers and callbacks behind the
// server's work and report the queueing as latency. In a worker they have a loop of their own,
// like a separate client process (they still share the machine's cores).
//
// node:http with a keep-alive agent: one connection per client, reused, and far less CPU per
// request than fetch (undici), which matters when clients and server share two cores.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** One request of a client's sequence. */
export interface HttpStep {
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly path: string;
  readonly body?: Record<string, string>;
  readonly expectStatus: number;
  /**
   * After a successful command: GET `path?waitForPosition=<the command's position>` and check
   * `primaryContact.caseworkerId`; its duration is the projection lag as a client sees it. With
   * `plain`, the same GET without the position: the read it is set beside.
   */
  readonly readBack?: {
    readonly path: string;
    readonly caseworkerId: string;
    readonly plain?: boolean;
  };
}

export interface HttpJob {
  /** One sequence per client; each client waits for a response before its next request. */
  readonly clients: readonly (readonly HttpStep[])[];
}

export interface HttpJobResult {
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSecond: number;
  /** Every step's latency in ms, sorted ascending (read-backs not included). */
  readonly latenciesMs: Float64Array;
  /** Read-back durations in ms, sorted ascending. */
  readonly readBackMs: Float64Array;
  /** Unexpected answers by "<status> <code>". */
  readonly failures: Record<string, number>;
  /** Read-backs that answered but did not show the assigned caseworker (plain ones may not). */
  readonly readBackMismatches: number;
}

interface WorkerInput {
  readonly role: 'bench-http-clients';
  readonly baseUrl: string;
  readonly sockets: number;
  /** `Bearer <token>`: every request is authenticated, as a case system's would be. */
  readonly authorization: string;
}

/** Set in the worker from its input. */
let authorization = '';

interface Answer {
  readonly status: number;
  readonly body: string;
}

function send(agent: Agent, base: URL, method: string, path: string, body?: object) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        // A stated purpose, as a case system sends for reads outside the caller's own cases.
        headers: payload
          ? {
              authorization,
              'x-purpose': 'benchmark',
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
            }
          : { authorization, 'x-purpose': 'benchmark' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function parse(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function runJob(agent: Agent, base: URL, job: HttpJob): Promise<HttpJobResult> {
  const ops = job.clients.reduce((sum, steps) => sum + steps.length, 0);
  const latencies = new Float64Array(ops);
  const readBacks: number[] = [];
  const failures: Record<string, number> = {};
  let mismatches = 0;
  const fail = (answer: Answer): void => {
    const code = parse(answer.body).code;
    const key = `${answer.status} ${typeof code === 'string' ? code : ''}`.trim();
    failures[key] = (failures[key] ?? 0) + 1;
  };
  let slot = 0;
  const started = performance.now();
  await Promise.all(
    job.clients.map(async (steps) => {
      for (const step of steps) {
        const before = performance.now();
        const answer = await send(agent, base, step.method, step.path, step.body);
        latencies[slot++] = performance.now() - before;
        if (answer.status !== step.expectStatus) {
          fail(answer);
          continue;
        }
        if (!step.readBack) continue;
        const position = parse(answer.body).position;
        if (typeof position !== 'string') {
          mismatches += 1;
          continue;
        }
        const readStart = performance.now();
        const view = await send(
          agent,
          base,
          'GET',
          step.readBack.plain
            ? step.readBack.path
            : `${step.readBack.path}?waitForPosition=${encodeURIComponent(position)}`,
        );
        readBacks.push(performance.now() - readStart);
        if (view.status !== 200) {
          fail(view);
          continue;
        }
        const contact = parse(view.body).primaryContact as { caseworkerId?: unknown } | null;
        if (contact?.caseworkerId !== step.readBack.caseworkerId) mismatches += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  const readBackMs = Float64Array.from(readBacks).sort();
  return {
    ops,
    seconds,
    opsPerSecond: ops / seconds,
    latenciesMs: latencies,
    readBackMs,
    failures,
    readBackMismatches: mismatches,
  };
}

/** The main thread's handle on the worker: one job at a time. */
export class HttpClients {
  private constructor(private readonly worker: Worker) {}

  static async start(baseUrl: string, sockets: number, token: string): Promise<HttpClients> {
    const input: WorkerInput = {
      role: 'bench-http-clients',
      baseUrl,
      sockets,
      authorization: `Bearer ${token}`,
    };
    // This same file, run as the worker (process.execArgv, with the TypeScript hook, is inherited).
    const worker = new Worker(__filename, { workerData: input });
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return new HttpClients(worker);
  }

  run(job: HttpJob): Promise<HttpJobResult> {
    return new Promise((resolve, reject) => {
      const cleanUp = (): void => {
        this.worker.off('message', onMessage);
        this.worker.off('error', onError);
      };
      const onMessage = (message: { result?: HttpJobResult; error?: string }): void => {
        cleanUp();
        if (message.result) resolve(message.result);
        else reject(new Error(`HTTP clients failed: ${message.error ?? 'unknown error'}`));
      };
      const onError = (error: Error): void => {
        cleanUp();
        reject(error);
      };
      this.worker.on('message', onMessage);
      this.worker.on('error', onError);
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function isWorkerInput(value: unknown): value is WorkerInput {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { role?: unknown }).role === 'bench-http-clients'
  );
}

if (!isMainThread && isWorkerInput(workerData) && parentPort) {
  const port = parentPort;
  const base = new URL(workerData.baseUrl);
  authorization = workerData.authorization;
  const agent = new Agent({ keepAlive: true, maxSockets: workerData.sockets });
  port.on('message', (job: HttpJob) => {
    runJob(agent, base, job).then(
      (result) => port.postMessage({ result }),
      (error: unknown) => port.postMessage({ error: String(error) }),
    );
  });
}

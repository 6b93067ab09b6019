import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { retryDelayMs } from '@tovholder/domain';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { Pool } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { alertColumns, alertPayload, type AlertRow } from './alert-records';
import { WebhookSecrets } from './webhook-secrets';
import { signWebhook } from './webhook-signature';

/** POSTs in flight at once. */
const CONCURRENCY = 16;
/** Deliveries claimed per statement: several rounds of POSTs per claim and per bookkeeping update. */
const CLAIM_BATCH = 4 * CONCURRENCY;
/** Connections of the delivery loop's own pool: it never takes one a command could use. */
const POOL_SIZE = 2;

interface Claimed extends AlertRow {
  delivery_id: string;
  subscription_id: string;
  attempts: number;
  url: string;
  secret: string;
  first_try_at: Date;
}

/**
 * Sends the outbox (`alert_deliveries`) to the subscribers' webhooks, apart from everything
 * else: a slow or dead receiver only delays its own deliveries. A delivery is claimed with a
 * lease (committed before the POST), so a crash mid-delivery leaves it to be sent again, with
 * the same `webhook-id` (the alert id), once the lease runs out: at-least-once, de-duplicated
 * by the id. Per subscription and subject only the oldest undelivered alert is sent, so a
 * subject's alerts arrive in order. Several instances share the work (SKIP LOCKED).
 *
 * Delivery timing is real time (the database's clock), not the domain clock tests move.
 *
 * Cheap for the commands beside it: a pool of its own (two connections), one claim and one
 * bookkeeping statement per 64 deliveries, plain `node:http` requests on keep-alive sockets
 * (not `fetch`, whose streams cost several times the CPU), and a turn of the event loop given
 * back before each request.
 */
@Injectable()
export class AlertDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertDelivery');
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private stopping = false;

  private pool: Pool | null = null;
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: CONCURRENCY }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: CONCURRENCY }),
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: WebhookSecrets,
  ) {}

  private async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    if (!this.pool) {
      this.pool = new Pool({
        connectionString: this.config.databaseUrl ?? undefined,
        max: POOL_SIZE,
        application_name: 'tovholder-alert-delivery',
      });
      // An idle connection the server ends (a restart, a failover) is dropped from the pool;
      // without a listener its 'error' would end the process.
      this.pool.on('error', (error) =>
        this.logger.warn(`idle delivery connection lost: ${error.name}`),
      );
    }
    return (await this.pool.query(sql, parameters)).rows as T[];
  }

  onApplicationBootstrap(): void {
    if (!this.config.projections.enabled || !this.config.alerts.deliveryEnabled) return;
    this.timer = setInterval(() => this.poke(), this.config.alerts.deliveryPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    this.agents.http.destroy();
    this.agents.https.destroy();
    const pool = this.pool;
    this.pool = null;
    await pool?.end();
  }

  /** Looks for work now (unless a round is running). */
  poke(): void {
    if (this.busy || this.stopping) return;
    this.busy = this.drain()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.logger.error(
          `delivery round failed: ${error instanceof Error ? error.name : 'error'}`,
        ),
      )
      .finally(() => (this.busy = null));
  }

  /** Delivers until nothing is ready; resolves when done (tests and benchmarks wait on it). */
  async drain(): Promise<number> {
    let sent = 0;
    while (!this.stopping) {
      const claimed = await this.claim();
      if (claimed.length === 0) return sent;
      const failures = await this.postAll(claimed);
      const delivered = claimed.filter((_, index) => failures[index] === null);
      if (delivered.length > 0) {
        await this.query(
          `UPDATE alert_deliveries SET status = 'delivered', delivered_at = clock_timestamp(),
             leased_until = NULL, last_error = NULL WHERE delivery_id = ANY($1::bigint[])`,
          [delivered.map((delivery) => delivery.delivery_id)],
        );
      }
      for (const [index, failure] of failures.entries()) {
        if (failure !== null) await this.retryLater(claimed[index]!, failure);
      }
      sent += delivered.length;
    }
    return sent;
  }

  /** The claimed deliveries, at most CONCURRENCY in flight; each one's failure or null. */
  private async postAll(claimed: readonly Claimed[]): Promise<(string | null)[]> {
    const failures: (string | null)[] = new Array<string | null>(claimed.length).fill(null);
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const index = next++;
        await yieldToOthers();
        failures[index] = await this.post(claimed[index]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, worker));
    return failures;
  }

  private async claim(): Promise<Claimed[]> {
    // Longer than a claim's rounds of POSTs and their bookkeeping take, so a live delivery is
    // rarely sent twice; if it is (a stalled process), it carries the same id.
    const rounds = Math.ceil(CLAIM_BATCH / CONCURRENCY);
    const leaseMs = (rounds + 1) * this.config.alerts.deliveryTimeoutMs + 5_000;
    return this.query<Claimed>(
      `WITH next AS (
         SELECT d.delivery_id FROM alert_deliveries d
          WHERE d.status = 'pending' AND d.next_attempt_at <= clock_timestamp()
            AND (d.leased_until IS NULL OR d.leased_until < clock_timestamp())
            AND NOT EXISTS (
              SELECT 1 FROM alert_deliveries e
               WHERE e.subscription_id = d.subscription_id AND e.subject_key = d.subject_key
                 AND e.status = 'pending' AND e.delivery_id < d.delivery_id)
          ORDER BY d.next_attempt_at, d.delivery_id LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE alert_deliveries d
            SET leased_until = clock_timestamp() + make_interval(secs => $2::float8 / 1000),
                attempts = d.attempts + 1
           FROM next WHERE d.delivery_id = next.delivery_id
         RETURNING d.delivery_id, d.alert_id, d.subscription_id, d.attempts, d.created_at
       )
       SELECT c.delivery_id::text AS delivery_id, c.subscription_id, c.attempts,
              c.created_at AS first_try_at,
              s.url, s.secret, ${alertColumns('a')}
         FROM claimed c JOIN alert_subscriptions s USING (subscription_id)
         JOIN alerts a ON a.alert_id = c.alert_id`,
      [CLAIM_BATCH, leaseMs],
    );
  }

  /** One POST; null when the receiver took it (2xx), else why not. */
  private async post(delivery: Claimed): Promise<string | null> {
    const body = JSON.stringify(alertPayload(delivery));
    const timestamp = Math.floor(Date.now() / 1000);
    const signal = AbortSignal.timeout(this.config.alerts.deliveryTimeoutMs);
    try {
      const secret = this.secrets.open(delivery.subscription_id, delivery.secret);
      const status = await this.send(delivery.url, signal, body, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'webhook-id': delivery.alert_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secret, delivery.alert_id, timestamp, body),
      });
      return status >= 200 && status < 300 ? null : `HTTP ${status}`;
    } catch (error) {
      // The error's name only: messages may quote the URL, which can hold a token.
      if (signal.aborted) return 'TimeoutError';
      return error instanceof Error ? error.name : 'request failed';
    }
  }

  /** The receiver's status; a redirect is not followed (it counts as a failure). */
  private send(
    url: string,
    signal: AbortSignal,
    body: string,
    headers: Record<string, string>,
  ): Promise<number> {
    const secure = url.startsWith('https:');
    const request = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { method: 'POST', headers, signal, agent: secure ? this.agents.https : this.agents.http },
        (response) => {
          response.resume(); // the body is not read, only drained so the socket is reused
          response.once('end', () => resolve(response.statusCode ?? 0));
          response.once('error', reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  }

  private async retryLater(delivery: Claimed, failure: string): Promise<void> {
    const { retryBaseMs, retryMaxMs, retryForMs } = this.config.alerts;
    const delay = retryDelayMs(delivery.attempts, retryBaseMs, retryMaxMs, Math.random());
    // Parked once the next try would fall after the retry period: visible, and re-sendable.
    await this.query(
      `UPDATE alert_deliveries SET leased_until = NULL, last_error = $2,
         status = CASE WHEN clock_timestamp() + make_interval(secs => $3::float8 / 1000)
                            > created_at + make_interval(secs => $4::float8 / 1000)
                       THEN 'parked' ELSE 'pending' END,
         next_attempt_at = clock_timestamp() + make_interval(secs => $3::float8 / 1000)
       WHERE delivery_id = $1`,
      [delivery.delivery_id, failure, delay, retryForMs],
    );
  }
}

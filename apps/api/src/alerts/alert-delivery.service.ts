import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { retryDelayMs } from '@tovholder/domain';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { alertColumns, alertPayload, type AlertRow } from './alert-records';
import { signWebhook } from './webhook-signature';

const CLAIM_BATCH = 16;

interface Claimed extends AlertRow {
  delivery_id: string;
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
 */
@Injectable()
export class AlertDelivery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AlertDelivery');
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.projections.enabled || !this.config.alerts.deliveryEnabled) return;
    this.timer = setInterval(() => this.poke(), this.config.alerts.deliveryPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
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
      const failures = await Promise.all(claimed.map((delivery) => this.post(delivery)));
      const delivered = claimed.filter((_, index) => failures[index] === null);
      if (delivered.length > 0) {
        await this.dataSource.query(
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

  private async claim(): Promise<Claimed[]> {
    // Longer than a POST and its bookkeeping take, so a live delivery is rarely sent twice; if
    // it is (a stalled process), it carries the same id.
    const leaseMs = 2 * this.config.alerts.deliveryTimeoutMs + 5_000;
    return this.dataSource.query<Claimed[]>(
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
       SELECT c.delivery_id::text AS delivery_id, c.attempts, c.created_at AS first_try_at,
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
    let failure: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.alerts.deliveryTimeoutMs),
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.alert_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(delivery.secret, delivery.alert_id, timestamp, body),
        },
        body,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status < 200 || response.status >= 300) failure = `HTTP ${response.status}`;
    } catch (error) {
      // The error's name only: messages may quote the URL, which can hold a token.
      failure = error instanceof Error ? `${error.name}` : 'request failed';
    }
    return failure;
  }

  private async retryLater(delivery: Claimed, failure: string): Promise<void> {
    const { retryBaseMs, retryMaxMs, retryForMs } = this.config.alerts;
    const delay = retryDelayMs(delivery.attempts, retryBaseMs, retryMaxMs, Math.random());
    // Parked once the next try would fall after the retry period: visible, and re-sendable.
    await this.dataSource.query(
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

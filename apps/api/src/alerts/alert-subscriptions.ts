import {
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { newRecordId } from '../http/idempotency';
import type { Page } from '../http/page';
import type { CreateSubscriptionDto } from './alerts.dto';
import { newWebhookSecret } from './webhook-signature';
import { WebhookSecrets } from './webhook-secrets';

export interface SubscriptionView {
  readonly subscriptionId: string;
  readonly url: string;
  readonly departmentIds: string[] | null;
  readonly codes: string[] | null;
  readonly responsibleRoles: string[] | null;
  readonly active: boolean;
  readonly createdAt: string;
}

export interface DeliveryView {
  readonly deliveryId: string;
  readonly alertId: string;
  readonly subscriptionId: string;
  readonly status: string;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
}

const SUBSCRIPTION_NOT_FOUND = {
  code: 'ALERT_SUBSCRIPTION.NOT_FOUND',
  message: 'No subscription with this id',
} as const;
const DELIVERY_NOT_FOUND = {
  code: 'ALERT_DELIVERY.NOT_FOUND',
  message: 'No parked delivery with this id',
} as const;

// The secret is never selected here: it leaves the database (sealed) only to sign a delivery.
const SUBSCRIPTION_COLUMNS = `subscription_id AS "subscriptionId", url, department_ids AS "departmentIds",
  codes, responsible_roles AS "responsibleRoles", active, created_at AS "createdAt"`;

/** Webhook subscriptions (admin) and their deliveries: the parked ones can be sent again. */
@Injectable()
export class AlertSubscriptions implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: WebhookSecrets,
  ) {}

  /** Seals the secrets of subscriptions made before secrets were sealed at rest. */
  async onApplicationBootstrap(): Promise<void> {
    const plain = await this.dataSource.query<{ subscription_id: string; secret: string }[]>(
      "SELECT subscription_id, secret FROM alert_subscriptions WHERE secret NOT LIKE 'sealed:%'",
    );
    for (const row of plain) {
      await this.dataSource.query(
        'UPDATE alert_subscriptions SET secret = $2 WHERE subscription_id = $1 AND secret = $3',
        [row.subscription_id, this.secrets.seal(row.subscription_id, row.secret), row.secret],
      );
    }
  }

  /**
   * The secret is in this answer only, and in a retry's: with an Idempotency-Key the id is
   * derived from it (newRecordId), so a retry after a lost answer finds the subscription it made
   * instead of making a second, which would send every alert twice.
   */
  async create(
    body: CreateSubscriptionDto,
    createdBy: string,
    now: Date,
  ): Promise<SubscriptionView & { secret: string }> {
    const subscriptionId = newRecordId();
    const secret = body.secret ?? newWebhookSecret();
    const wanted = {
      url: body.url,
      departmentIds: body.departmentIds ?? null,
      codes: body.codes ?? null,
      responsibleRoles: body.responsibleRoles ?? null,
    };
    const [created] = await this.dataSource.query<SubscriptionView[]>(
      `INSERT INTO alert_subscriptions (subscription_id, url, secret, department_ids, codes,
         responsible_roles, active, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, true, $7, $8)
       ON CONFLICT (subscription_id) DO NOTHING RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [
        subscriptionId,
        wanted.url,
        this.secrets.seal(subscriptionId, secret),
        wanted.departmentIds,
        wanted.codes,
        wanted.responsibleRoles,
        now,
        createdBy,
      ],
    );
    if (created) return { ...created, secret };
    const [stored] = await this.dataSource.query<(SubscriptionView & { secret: string })[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS}, secret FROM alert_subscriptions WHERE subscription_id = $1`,
      [subscriptionId],
    );
    if (!stored) throw new Error('a subscription in conflict is gone');
    const storedSecret = this.secrets.open(subscriptionId, stored.secret);
    const same =
      stored.url === wanted.url &&
      isDeepStrictEqual(stored.departmentIds, wanted.departmentIds) &&
      isDeepStrictEqual(stored.codes, wanted.codes) &&
      isDeepStrictEqual(stored.responsibleRoles, wanted.responsibleRoles) &&
      (body.secret === undefined || body.secret === storedSecret);
    if (!same) {
      throw new UnprocessableEntityException({
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'This Idempotency-Key was used for a different request',
      });
    }
    return { ...stored, secret: storedSecret };
  }

  list(): Promise<SubscriptionView[]> {
    return this.dataSource.query<SubscriptionView[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM alert_subscriptions ORDER BY created_at, subscription_id`,
    );
  }

  /** Stops new deliveries; pending ones are parked so they stay visible. */
  async deactivate(subscriptionId: string): Promise<SubscriptionView> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<SubscriptionView[]>(
        `WITH changed AS (UPDATE alert_subscriptions SET active = false WHERE subscription_id = $1
           RETURNING *) SELECT ${SUBSCRIPTION_COLUMNS} FROM changed`,
        [subscriptionId],
      );
      if (!row) throw new NotFoundException(SUBSCRIPTION_NOT_FOUND);
      await manager.query(
        `UPDATE alert_deliveries SET status = 'parked', last_error = 'subscription deactivated'
          WHERE subscription_id = $1 AND status = 'pending'`,
        [subscriptionId],
      );
      return row;
    });
  }

  async deliveries(
    status: 'pending' | 'delivered' | 'parked',
    limit: number,
    offset: number,
  ): Promise<Page<DeliveryView>> {
    const rows = await this.dataSource.query<(DeliveryView & { total: string })[]>(
      `SELECT delivery_id::text AS "deliveryId", alert_id AS "alertId",
              subscription_id AS "subscriptionId", status, attempts,
              next_attempt_at AS "nextAttemptAt", last_error AS "lastError",
              delivered_at AS "deliveredAt", count(*) OVER ()::text AS total
         FROM alert_deliveries WHERE status = $1 ORDER BY delivery_id LIMIT $2 OFFSET $3`,
      [status, limit, offset],
    );
    return {
      items: rows.map(({ total: _total, ...item }) => item),
      total: Number(rows[0]?.total ?? 0),
      limit,
      offset,
    };
  }

  /** A parked delivery goes back into the queue for a fresh retry period. */
  async redeliver(deliveryId: string): Promise<void> {
    const rows = await this.dataSource.query<{ delivery_id: string }[]>(
      `WITH changed AS (
         UPDATE alert_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = clock_timestamp(),
                created_at = clock_timestamp(), leased_until = NULL
           FROM alert_subscriptions s
          WHERE d.delivery_id = $1 AND d.status = 'parked' AND s.subscription_id = d.subscription_id AND s.active
          RETURNING d.delivery_id) SELECT * FROM changed`,
      [deliveryId],
    );
    if (rows.length === 0) throw new NotFoundException(DELIVERY_NOT_FOUND);
  }
}

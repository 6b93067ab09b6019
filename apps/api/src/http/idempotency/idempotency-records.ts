import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { IdempotencyState } from './idempotency-record.entity';
import type { RequestFingerprint } from './request-fingerprint';

/**
 * How long a key is remembered. Older records are treated as absent: the next request with the
 * key overwrites them and runs. Clients retry within minutes; a day covers a retry after an
 * outage without keeping responses (which may name people) for long. Nothing deletes expired
 * rows yet: they stay until a key is reused or a clean-up job is added (index on created_at).
 */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface StoredRecord {
  readonly requestHash: string;
  readonly state: IdempotencyState;
  readonly statusCode: number | null;
  readonly responseBody: unknown;
}

/** `claimed`: this request owns the key and runs. `existing`: a live record has it. */
export type Claim =
  | { readonly kind: 'claimed'; readonly createdAt: Date; readonly generation: string }
  | { readonly kind: 'existing'; readonly record: StoredRecord }
  | { readonly kind: 'contended' };

interface RecordRow {
  request_hash: string;
  state: IdempotencyState;
  status_code: number | null;
  response_body: unknown;
}

const CLAIM_ATTEMPTS = 3;

/** The idempotency_records table, in plain SQL: each step is one atomic statement. */
export class IdempotencyRecords {
  constructor(private readonly dataSource: DataSource) {}

  private async rows<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return result.records as T[];
    } finally {
      await runner.release();
    }
  }

  /**
   * Inserts a pending record, or takes over an expired one or a pending one whose lease ran out
   * (its process died: a live one renews it), in one statement; otherwise reads the live record
   * that holds the key. A record of a pre-lease version (no lease) counts as run out. Concurrent claims of one key are serialised by the primary
   * key: exactly one of them gets `claimed`.
   */
  async claim(
    key: string,
    request: RequestFingerprint,
    now: Date,
    leaseMs: number,
  ): Promise<Claim> {
    const expiredBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
    const leaseUntil = new Date(now.getTime() + leaseMs);
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      // A takeover of a run-out lease is the same request run again: it keeps the generation.
      const [claimed] = await this.rows<{ generation: string }>(
        `INSERT INTO idempotency_records AS r
           (key, method, path, request_hash, state, created_at, lease_until, generation)
         VALUES ($1, $2, $3, $4, 'pending', $5, $7, $8)
         ON CONFLICT (key) DO UPDATE SET
           method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
           state = 'pending', status_code = NULL, response_body = NULL,
           created_at = EXCLUDED.created_at, completed_at = NULL, lease_until = EXCLUDED.lease_until,
           generation = CASE WHEN r.created_at < $6 OR r.generation IS NULL
                             THEN EXCLUDED.generation ELSE r.generation END
         WHERE r.created_at < $6
            OR (r.state = 'pending' AND r.request_hash = EXCLUDED.request_hash
                AND (r.lease_until IS NULL OR r.lease_until < $5))
         RETURNING generation`,
        [
          key,
          request.method,
          request.path,
          request.hash,
          now,
          expiredBefore,
          leaseUntil,
          randomUUID(),
        ],
      );
      if (claimed) return { kind: 'claimed', createdAt: now, generation: claimed.generation };
      const [row] = await this.rows<RecordRow>(
        `SELECT request_hash, state, status_code, response_body FROM idempotency_records
         WHERE key = $1 AND created_at >= $2`,
        [key, expiredBefore],
      );
      if (row) {
        return {
          kind: 'existing',
          record: {
            requestHash: row.request_hash,
            state: row.state,
            statusCode: row.status_code,
            responseBody: row.response_body,
          },
        };
      }
      // Released (its request failed) or expired between the two statements: claim again.
    }
    return { kind: 'contended' };
  }

  /** The answer to replay. Only the claim that made the pending record may complete it. */
  async complete(
    key: string,
    createdAt: Date,
    statusCode: number,
    body: unknown,
    now: Date,
  ): Promise<void> {
    await this.rows(
      `UPDATE idempotency_records
       SET state = 'completed', status_code = $3, response_body = $4::jsonb, completed_at = $5
       WHERE key = $1 AND created_at = $2 AND state = 'pending'
       RETURNING key`,
      [key, createdAt, statusCode, body === undefined ? null : JSON.stringify(body), now],
    );
  }

  /** Keeps a running request's claim: its process is alive. */
  async renew(key: string, createdAt: Date, leaseUntil: Date): Promise<void> {
    await this.rows(
      `UPDATE idempotency_records SET lease_until = $3
       WHERE key = $1 AND created_at = $2 AND state = 'pending'
       RETURNING key`,
      [key, createdAt, leaseUntil],
    );
  }

  /** Forgets a claim whose request failed on our side, so a retry can run. */
  async release(key: string, createdAt: Date): Promise<void> {
    await this.rows(
      `DELETE FROM idempotency_records WHERE key = $1 AND created_at = $2 AND state = 'pending'
       RETURNING key`,
      [key, createdAt],
    );
  }
}

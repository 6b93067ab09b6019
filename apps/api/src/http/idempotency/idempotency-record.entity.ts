import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type IdempotencyState = 'pending' | 'completed';

/**
 * What the API answered to a command sent with an `Idempotency-Key`, so a retry gets the same
 * answer instead of running the command again. The body is what the API sent back (never a CPR
 * number); the request is kept only as a hash.
 */
@Entity({ name: 'idempotency_records' })
@Index('idempotency_records_created_at', ['createdAt'])
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  method!: string;

  /** The path as requested, parameters filled in (e.g. `/cases/…/close`), without the query. */
  @Column({ type: 'text' })
  path!: string;

  /** sha256 (hex) of method, path and canonical JSON body: tells a retry from a reused key. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  @Column({ type: 'text' })
  state!: IdempotencyState;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** While pending: until when the request's process holds the key (it renews the lease). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;
}

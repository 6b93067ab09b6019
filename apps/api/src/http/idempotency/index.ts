export { IdempotencyInterceptor } from './idempotency.interceptor';
export { IdempotencyRecordEntity } from './idempotency-record.entity';
export { IdempotencyRecords1764000000200 } from './idempotency-records.migration';
export { IDEMPOTENCY_WINDOW_MS } from './idempotency-records';
export { documentIdempotencyKey } from './idempotency.openapi';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_REPLAYED_HEADER } from './request-fingerprint';
export { newRecordId } from './command-key';

import { SetMetadata } from '@nestjs/common';

export const NO_IDEMPOTENCY_RECORD = 'tovholder:no-idempotency-record';

/**
 * Routes whose answers hold personal data in plain text (the person registry's names) or a
 * secret: the interceptor keeps no record of them, so no answer is stored. Such routes must be
 * idempotent by themselves. An `Idempotency-Key` sent to them is checked, and the handler runs
 * with it in scope, so a record it names with `newRecordId` gets the same id on a retry.
 */
export const NoIdempotencyRecord = (): MethodDecorator & ClassDecorator =>
  SetMetadata(NO_IDEMPOTENCY_RECORD, true);

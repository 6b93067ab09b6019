import { SetMetadata } from '@nestjs/common';

export const NO_IDEMPOTENCY_RECORD = 'tovholder:no-idempotency-record';

/**
 * Routes whose answers hold personal data in plain text (the person registry's names): the
 * interceptor keeps no record of them, so no answer is stored. Such routes must be idempotent by
 * themselves; an `Idempotency-Key` sent to them is accepted and has no effect.
 */
export const NoIdempotencyRecord = (): MethodDecorator & ClassDecorator =>
  SetMetadata(NO_IDEMPOTENCY_RECORD, true);

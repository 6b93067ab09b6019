import type { OpenAPIObject, ParameterObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_REPLAYED_HEADER } from './request-fingerprint';
import { IDEMPOTENCY_WINDOW_MS } from './idempotency-records';

const PARAMETER_NAME = 'IdempotencyKey';

const parameter: ParameterObject = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description: [
    'Makes a retry safe: a repeat of the same request with the same key within',
    `${IDEMPOTENCY_WINDOW_MS / 3_600_000} h gets the first answer (success or refusal) with`,
    `\`${IDEMPOTENCY_REPLAYED_HEADER}: true\` and writes nothing.`,
    'The same key with a different request: 422 IDEMPOTENCY_KEY_REUSED.',
    'While the first request runs: 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After.',
  ].join(' '),
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,200}$', minLength: 1, maxLength: 200 },
};

const MUTATING = ['post', 'put', 'patch', 'delete'] as const;

/** Adds the optional `Idempotency-Key` header to every POST/PUT/PATCH/DELETE operation. */
export function documentIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    parameters: { ...document.components?.parameters, [PARAMETER_NAME]: parameter },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of MUTATING) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        { $ref: `#/components/parameters/${PARAMETER_NAME}` },
      ];
    }
  }
  return document;
}

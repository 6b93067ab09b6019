import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { documentIdempotencyKey } from './idempotency/idempotency.openapi';

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The one error shape of the API (`Problem` in problem.filter.ts). */
const problemSchema: SchemaObject = {
  type: 'object',
  description:
    'Every error. `code` is stable (e.g. VALIDATION_FAILED, CASE.NOT_FOUND, CONCURRENCY_CONFLICT); `message` is for people and never echoes the input.',
  required: ['status', 'code', 'message'],
  properties: {
    status: { type: 'integer', description: 'The HTTP status', example: 400 },
    code: { type: 'string', description: 'Stable, for programs', example: 'VALIDATION_FAILED' },
    message: {
      type: 'string',
      description: 'For people',
      example: 'Some fields are missing or invalid',
    },
    errors: {
      type: 'array',
      description: 'Each bad field and why',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string', example: 'departmentId' },
          reason: { type: 'string', example: 'departmentId must be a string' },
        },
      },
    },
    details: {
      type: 'object',
      description: 'Facts about the refusal, e.g. `primaryContact` for PRIMARY_CONTACT_TAKEN',
      additionalProperties: true,
    },
  },
};

const problemContent = {
  [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } },
};

/** The standard errors, each a shared response in `components.responses`. */
const standardErrors = {
  400: ['BadRequest', 'The input is invalid: `errors` names each field and why'],
  401: ['Unauthenticated', 'No valid bearer token (AUTH.UNAUTHENTICATED)'],
  404: ['NotFound', 'Nothing with this id'],
  409: [
    'Conflict',
    'The record changed meanwhile or is in a state that refuses this; or the same Idempotency-Key is still running',
  ],
  413: ['PayloadTooLarge', 'The body is larger than 100 kB (PAYLOAD_TOO_LARGE)'],
  422: [
    'Unprocessable',
    'The command is refused by a domain rule, or its Idempotency-Key was used for another request',
  ],
  429: ['RateLimited', 'Too many requests; wait a moment and retry (RATE_LIMITED)'],
  503: [
    'NotCaughtUp',
    'The view has not caught up with `waitForPosition` yet; retry after Retry-After (READ_MODEL.NOT_CAUGHT_UP)',
  ],
} as const satisfies Record<number, readonly [string, string]>;
type ErrorStatus = keyof typeof standardErrors;

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);

/**
 * The errors an operation can answer, read from what it is: every route is rate-limited; a route
 * with an access rule (`@Allow`, which documents its 403 with the roles) needs a token; one with
 * parameters (headers too) or a body can be refused as invalid; an id in the path can be unknown;
 * a command can conflict, be refused by the domain or an idempotency key, and have too large a
 * body; `waitForPosition` can wait too long.
 */
function errorsOf(method: string, operation: OperationObject): ErrorStatus[] {
  const parameters = (operation.parameters ?? []).filter(
    (parameter): parameter is Exclude<typeof parameter, ReferenceObject> => !('$ref' in parameter),
  );
  const statuses: ErrorStatus[] = [429];
  if (operation.responses['403']) statuses.push(401);
  if (operation.requestBody || (operation.parameters ?? []).length > 0) statuses.push(400);
  if (parameters.some((p) => p.in === 'path')) statuses.push(404);
  if (MUTATING.has(method)) statuses.push(409, 422);
  if (MUTATING.has(method) && operation.requestBody) statuses.push(413);
  if (parameters.some((p) => p.name === 'waitForPosition')) statuses.push(503);
  return statuses;
}

/**
 * Documents every error response as `application/problem+json` with the Problem schema: a
 * route's own description of a status (e.g. which roles a 403 allows) is kept, other standard
 * errors refer to the shared responses. A success without a description gets the status's name.
 * A route without an access rule is public (`@Public`: every other route must name its roles),
 * so it asks for no token.
 */
function documentResponses(document: OpenAPIObject): OpenAPIObject {
  const responses: Record<string, ResponseObject> = {};
  for (const [name, description] of Object.values(standardErrors)) {
    responses[name] = { description, content: problemContent };
  }
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, Problem: problemSchema },
    responses: { ...document.components?.responses, ...responses },
  };
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      const own = operation.responses;
      if (!own['403']) operation.security = [];
      for (const status of errorsOf(method, operation)) {
        own[status] ??= { $ref: `#/components/responses/${standardErrors[status][0]}` };
      }
      for (const [status, response] of Object.entries(own)) {
        if (!response || '$ref' in response) continue;
        // Every error leaves through the ProblemFilter, whatever a decorator said its body is.
        if (Number(status) >= 400) response.content = problemContent;
        else response.description ||= status === '201' ? 'Created' : 'OK';
      }
    }
  }
  return document;
}

/** The API's OpenAPI document, as served at /docs/openapi.json and checked in as openapi.json. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tovholder')
    .setDescription(
      'Coordination of municipal social-services cases across departments: one primary contact per family, transitions to adult life, casework duties.',
    )
    .setVersion('0.1.0')
    // The API answers at the root of wherever a municipality deploys it.
    .addServer('/', 'This deployment')
    .addBearerAuth()
    .addSecurityRequirements('bearer')
    .build();
  config.info.contact = { name: 'Tovholder maintainers' };
  // As package.json says: not licensed for use by others.
  config.info.license = { name: 'UNLICENSED' };
  return documentResponses(documentIdempotencyKey(SwaggerModule.createDocument(app, config)));
}

/** Serves the document at /docs/openapi.json and its reader at /docs. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
}

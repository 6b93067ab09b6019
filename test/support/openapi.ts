import request from 'supertest';
import type { TestApp } from './test-app';

/** The parts of an OpenAPI 3 schema the generated tests read. */
export type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  minItems?: number;
};
export type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
export type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
export interface Target {
  readonly method: string;
  readonly path: string;
  readonly operation: Operation;
}

export interface ServedDocument {
  /** Every operation, in the document's order. */
  readonly targets: Target[];
  /** A schema with its `$ref` followed and its `allOf` merged. */
  resolve(schema: Schema): Schema;
}

/** The OpenAPI document the app serves at /docs/openapi.json, as operations and schemas. */
export async function servedDocument(t: TestApp): Promise<ServedDocument> {
  const document = (await request(t.server).get('/docs/openapi.json').expect(200)).body as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, Schema> };
  };
  const components = document.components.schemas;
  const targets = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) return resolve(components[schema.$ref.split('/').pop() ?? ''] ?? {});
    if (schema.allOf)
      return schema.allOf
        .map(resolve)
        .reduce((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
    return schema;
  };
  return { targets, resolve };
}

/** The JSON body schema of an operation, if it takes one. */
export const bodySchema = (target: Target): Schema | undefined =>
  target.operation.requestBody?.content?.['application/json']?.schema;

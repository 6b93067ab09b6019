// The checked-in openapi.json is the document the running app serves, so integrators can diff it
// between versions and a change to the API shows in review. `npm run openapi` rewrites it;
// `npm run lint:openapi` (CI) holds it to Redocly's recommended rules.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';

interface Operation {
  summary?: string;
  operationId?: string;
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

describe('the OpenAPI document', () => {
  let t: TestApp;
  let served: Document;
  beforeAll(async () => {
    t = await startTestApp();
    served = (await request(t.rawServer).get('/docs/openapi.json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await t.close();
  });

  it('openapi.json equals what the running app serves (npm run openapi rewrites it)', async () => {
    const checkedIn: unknown = JSON.parse(
      await readFile(join(__dirname, '..', 'openapi.json'), 'utf8'),
    );
    expect(served).toEqual(checkedIn);
  });

  it('every operation has a summary, its own camelCase operationId, a 2xx and problem errors', () => {
    const operations = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
    );
    expect(operations.length).toBeGreaterThan(100);
    const unfinished = operations.filter(
      ({ operation }) =>
        !operation.summary ||
        // Nest's default id (Controller_method) means the route has no @ApiOperation.
        !/^[a-z][A-Za-z]+$/.test(operation.operationId ?? '') ||
        !Object.keys(operation.responses).some((status) => status.startsWith('2')) ||
        Object.entries(operation.responses).some(
          ([status, response]) =>
            Number(status) >= 400 &&
            !response.$ref?.startsWith('#/components/responses/') &&
            !response.content?.['application/problem+json'],
        ),
    );
    expect(unfinished.map(({ at }) => at)).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

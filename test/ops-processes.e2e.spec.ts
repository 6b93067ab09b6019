import { Client } from 'pg';
import { READ_MODEL_MIGRATIONS } from '../apps/api/src/read-models';
import { createTestDatabase, dropTestDatabase } from './support/database';
import { fakeCpr } from './support/fixtures';
import {
  childEnvironment,
  removeBuild,
  startProcess,
  stopProcess,
  until,
  type RunningProcess,
} from './support/processes';
import { TestIdentityProvider } from './support/test-identity-provider';

jest.setTimeout(300_000);

interface ProjectorState {
  readonly name: string;
  readonly state: string;
}

async function workerProjectors(worker: RunningProcess): Promise<ProjectorState[]> {
  const response = await fetch(`${worker.url}/health`);
  return ((await response.json()) as { projectors: ProjectorState[] }).projectors;
}

const allIn = (state: string) => (projectors: ProjectorState[]) =>
  projectors.length > 0 && projectors.every((p) => p.state === state);

/**
 * Production topology as separate processes on one database: API instances starting together,
 * and workers that take over each other's projectors.
 */
describe('operations: several processes on one database', () => {
  const started: RunningProcess[] = [];
  const databases: string[] = [];
  let identityProvider: TestIdentityProvider;

  beforeAll(async () => {
    identityProvider = await TestIdentityProvider.start();
  });

  afterAll(async () => {
    for (const process of started) {
      if (process.child.exitCode === null) process.child.kill('SIGKILL');
      await process.exited;
    }
    await identityProvider?.close();
    for (const url of databases) await dropTestDatabase(url);
    await removeBuild();
  });

  const database = async () => {
    const url = await createTestDatabase();
    databases.push(url);
    return url;
  };
  const auth = () => ({
    AUTH_ISSUER: identityProvider.config.issuer,
    AUTH_AUDIENCE: identityProvider.config.audience,
    AUTH_JWKS_URL: identityProvider.config.jwksUrl,
  });

  it('three API instances starting at once on one empty database all come up', async () => {
    const url = await database();
    const env = { ...childEnvironment(url), ...auth() };
    const apis = await Promise.all([0, 1, 2].map(() => startProcess('api', env)));
    started.push(...apis);
    for (const api of apis) {
      expect((await fetch(`${api.url}/health`)).status).toBe(200);
    }
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM migrations',
      );
      expect(rows[0]?.n).toBe(READ_MODEL_MIGRATIONS.length);
    } finally {
      await client.end();
    }
    // Tracing is off unless OTEL_* variables ask for it.
    expect(apis[0]?.lines.join('\n')).not.toContain('traceId');
    // One migrated; the others found nothing pending.
    const migrated = apis.filter((api) =>
      api.lines.some((line) => line.includes('read-model migration(s)')),
    );
    expect(migrated).toHaveLength(1);
    expect(await Promise.all(apis.map(stopProcess))).toEqual([0, 0, 0]);
  });

  it('one API and two workers: when the active worker dies, the other takes over the projectors', async () => {
    const url = await database();
    const env = { ...childEnvironment(url), ...auth() };
    // All three at once: the workers share out the projectors' locks between them.
    const [api, ...workers] = await Promise.all([
      startProcess('api', { ...env, PROJECTIONS_ENABLED: 'false', READ_WAIT_MAX_MS: '60000' }),
      startProcess('worker', env),
      startProcess('worker', env),
    ]);
    started.push(api, ...workers);
    const states = async () =>
      Promise.all(
        workers.map(
          async (worker) => new Map((await workerProjectors(worker)).map((p) => [p.name, p.state])),
        ),
      );
    // Each projector runs in exactly one worker and stands by in the other.
    const shared = await until('the workers to share out the projectors', async () => {
      const [a, b] = await states();
      if (!a || !b || a.size === 0) return undefined;
      const settled = [...a].every(
        ([name, state]) =>
          (state === 'running' && b.get(name) === 'standby') ||
          (state === 'standby' && b.get(name) === 'running'),
      );
      return settled ? a : undefined;
    });
    const apiHealth = (await (await fetch(`${api.url}/health`)).json()) as {
      info: { projections: { projectors: ProjectorState[] } };
    };
    expect(allIn('stopped')(apiHealth.info.projections.projectors)).toBe(true);

    // Kill the worker running case-list (the one the read below needs).
    const [victim, survivor] =
      shared.get('case-list') === 'running' ? [workers[0], workers[1]] : [workers[1], workers[0]];
    if (!victim || !survivor) throw new Error('two workers expected');
    victim.child.kill('SIGKILL');
    await victim.exited;
    await until(
      'the other worker to take over every projector',
      async () => {
        const projectors = await workerProjectors(survivor);
        return allIn('running')(projectors) ? projectors : undefined;
      },
      60_000,
    );

    // A command through the API is projected by the second worker and read back.
    const token = await identityProvider.token({ sub: 'ops-test', roles: ['system'] });
    const call = async (method: string, path: string, body?: object) => {
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    const person = await call('POST', '/persons', {
      cpr: fakeCpr('2010-05-01'),
      name: 'Worker Testesen',
    });
    expect(person.status).toBe(201);
    const opened = await call('POST', '/cases', {
      personId: person.body.personId,
      departmentId: 'CBU',
      caseType: 'support',
    });
    expect(opened.status).toBe(201);
    const read = await call(
      'GET',
      `/cases/${opened.body.caseId}?waitForPosition=${opened.body.position}`,
    );
    expect(read).toMatchObject({ status: 200, body: { caseId: opened.body.caseId } });

    // The worker serves its metrics; the survivor runs every projector.
    const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
    expect(metrics).toMatch(/^tovholder_projection_running\{projector="case-list"\} 1$/m);
    expect(await stopProcess(survivor)).toBe(0);
    expect(await stopProcess(api)).toBe(0);
  });

  it('with OTEL_TRACES_EXPORTER set, traces HTTP, Nest, pg and each projection batch', async () => {
    const url = await database();
    const api = await startProcess('api', {
      ...childEnvironment(url),
      ...auth(),
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    started.push(api);
    const token = await identityProvider.token({ sub: 'ops-test', roles: ['system'] });
    const response = await fetch(`${api.url}/caseworkers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ departmentId: 'CBU', name: 'Traced Caseworker' }),
    });
    expect(response.status).toBe(201);
    const spans = await until('the spans to be exported', () => {
      const output = api.lines.join('\n');
      // The HTTP span ends after the response, so it may come in a later export than the rest.
      const complete =
        /name: 'project [a-z-]+'/.test(output) &&
        output.includes('CaseworkersController') &&
        output.includes("name: 'POST /caseworkers'");
      return Promise.resolve(complete ? output : undefined);
    });
    for (const scope of [
      '@opentelemetry/instrumentation-http',
      '@opentelemetry/instrumentation-pg',
    ]) {
      expect(spans).toContain(scope);
    }
    expect(spans).toContain("name: 'POST /caseworkers'"); // the HTTP span, by route template
    expect(spans).toContain("name: 'CaseworkersController.register'"); // the Nest handler
    expect(spans).not.toContain('Traced Caseworker');
    expect(await stopProcess(api)).toBe(0);
  });
});

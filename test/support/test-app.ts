import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config';
import { createApp } from '../../apps/api/src/create-app';
import type { Clock } from '../../apps/api/src/shared/clock';
import { createTestDatabase, dropTestDatabase } from './database';
import { TestIdentityProvider, type TokenClaims } from './test-identity-provider';

type SupertestApp = Parameters<typeof import('supertest')>[0];

export interface TestApp {
  readonly app: INestApplication;
  readonly databaseUrl: string;
  /**
   * The HTTP server for supertest: requests go through Nest's real HTTP stack, and one without
   * an Authorization header is sent with a system-actor token from the test identity provider.
   */
  readonly server: SupertestApp;
  /** The same server without the default token: what an anonymous caller gets. */
  readonly rawServer: SupertestApp;
  /** The identity provider the app trusts (its JWKS served over local HTTP). */
  readonly identityProvider: TestIdentityProvider;
  /** A signed token with these claims (default: subject test-admin, role admin, one hour). */
  tokenFor(claims?: TokenClaims): Promise<string>;
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(time: Date): void {
    this.current = new Date(time);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The real app on its own fresh database in the test run's embedded PostgreSQL. */
export async function startTestApp(
  options: { clock?: Clock; config?: Partial<AppConfig>; logDestination?: DestinationStream } = {},
): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const identityProvider = await TestIdentityProvider.start();
  const defaults = loadConfig({});
  const config: AppConfig = {
    ...defaults,
    databaseUrl,
    logFormat: 'text',
    auth: { ...defaults.auth, identityProvider: identityProvider.config },
    // Whole suites run as one subject; auth.e2e sets a low limit where it tests the limit.
    rateLimitPerMinute: 1_000_000,
    // The suites share one PostgreSQL cluster, whose slowest open transaction (another suite's
    // migrations, on a loaded machine) holds every database's log head back: read-your-writes
    // may wait longer here than the 5 s a dedicated server needs.
    readWaitMaxMs: 30_000,
    // A configured set-up must have a master key; each test app gets its own.
    personData: { masterKey: randomBytes(32) },
    ...options.config,
  };
  // TEST_LOGS=1 shows the app's logs when a test needs explaining.
  const app = await createApp({
    config,
    clock: options.clock,
    logger: process.env.TEST_LOGS || options.logDestination ? undefined : false,
    logDestination: options.logDestination,
  });
  await app.init();
  const handler = app.getHttpAdapter().getInstance() as (
    request: IncomingMessage,
    response: ServerResponse,
  ) => void;
  // Tokens are checked against real time (not the test's clock), so one hour is plenty.
  // The suites test features, not access: their default caller is the system actor, which every
  // route allows and scoping does not narrow (test/access.e2e.spec.ts tests the roles).
  const systemToken = await identityProvider.token(
    { sub: 'test-system', roles: ['system'] },
    { expiresIn: '6h' },
  );
  const server = createServer((request, response) => {
    request.headers.authorization ??= `Bearer ${systemToken}`;
    handler(request, response);
  });
  const rawServer = createServer((request, response) => handler(request, response));
  const closeServer = async (s: Server) => {
    if (!s.listening) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    app,
    databaseUrl,
    server,
    rawServer,
    identityProvider,
    tokenFor: (claims) => identityProvider.token(claims),
    close: async () => {
      await closeServer(server);
      await closeServer(rawServer);
      await app.close();
      await identityProvider.close();
      await dropTestDatabase(databaseUrl);
    },
  };
}

import type { INestApplication } from '@nestjs/common';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config';
import { createApp } from '../../apps/api/src/create-app';
import type { Clock } from '../../apps/api/src/shared/clock';
import { createTestDatabase, dropTestDatabase } from './database';

export interface TestApp {
  readonly app: INestApplication;
  readonly databaseUrl: string;
  /** The HTTP server for supertest: requests go through Nest's real HTTP stack. */
  readonly server: Parameters<typeof import('supertest')>[0];
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
  options: { clock?: Clock; config?: Partial<AppConfig> } = {},
): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const config: AppConfig = {
    ...loadConfig({}),
    databaseUrl,
    logFormat: 'text',
    ...options.config,
  };
  // TEST_LOGS=1 shows the app's logs when a test needs explaining.
  const app = await createApp({
    config,
    clock: options.clock,
    logger: process.env.TEST_LOGS ? undefined : false,
  });
  await app.init();
  return {
    app,
    databaseUrl,
    server: app.getHttpServer() as Parameters<typeof import('supertest')>[0],
    close: async () => {
      await app.close();
      await dropTestDatabase(databaseUrl);
    },
  };
}
